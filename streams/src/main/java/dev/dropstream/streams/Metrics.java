package dev.dropstream.streams;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * Dropstream's own counters, registered through Kafka Streams' metrics (group
 * {@code stream-dropstream-metrics}, tags {@code thread-id} and {@code dropstream-id} = task), so every
 * exporter of the application's metrics sees them beside Kafka's.
 */
final class Metrics {
    static final String SCOPE = "dropstream";

    private Metrics() {
    }

    /** A sensor recording {@code <operation>-total} and {@code <operation>-rate}. */
    static Sensor sensor(ProcessingContext ctx, String operation) {
        return ctx.metrics().addRateTotalSensor(SCOPE, ctx.taskId().toString(), operation, Sensor.RecordingLevel.INFO);
    }
}
