package dev.dropstream.query;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What {@code /metrics} shows: Kafka Streams' and its clients' metrics, the JVM's, and Dropstream's own
 * counters under stable names. The topology records those per task (group {@value #GROUP}); here they are
 * summed over the tasks this instance runs, so a counter can fall back when a task moves to another instance
 * (Prometheus treats that as a reset).
 */
final class ServerMetrics implements AutoCloseable {
    static final String GROUP = "stream-dropstream-metrics";
    private final KafkaStreamsMetrics kafka;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    private ServerMetrics(KafkaStreamsMetrics kafka) {
        this.kafka = kafka;
    }

    static ServerMetrics bind(KafkaStreams streams, PrometheusMeterRegistry registry) {
        ServerMetrics m = new ServerMetrics(new KafkaStreamsMetrics(streams));
        m.kafka.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        m.gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        counter(registry, streams, "dropstream.lines.parsed", "lines-parsed-total", "Lines parsed into an event", null);
        counter(registry, streams, "dropstream.lines.skipped", "lines-skipped-total", "Lines that are not netfilter",
                null);
        counter(registry, streams, "dropstream.lines.dead.lettered", "lines-dead-lettered-total",
                "Lines that became dead letters", null);
        counter(registry, streams, "dropstream.joins", "joins-matched-total", "InvalidDrops emitted", "matched");
        counter(registry, streams, "dropstream.joins", "joins-unmatched-packet-total", "InvalidDrops emitted",
                "unmatched_packet");
        counter(registry, streams, "dropstream.joins", "joins-unmatched-conntrack-total", "InvalidDrops emitted",
                "unmatched_conntrack");
        counter(registry, streams, "dropstream.drops.late", "late-drop-records-total",
                "Drop tallies that came after their window had closed", null);
        return m;
    }

    private static void counter(PrometheusMeterRegistry registry, KafkaStreams streams, String name, String metric,
            String description, String outcome) {
        FunctionCounter.Builder<KafkaStreams> b = FunctionCounter.builder(name, streams, s -> sum(s, metric))
                .description(description);
        if (outcome != null) {
            b.tag("outcome", outcome);
        }
        b.register(registry);
    }

    private static double sum(KafkaStreams streams, String metric) {
        return streams.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals(GROUP) && e.getKey().name().equals(metric))
                .mapToDouble(e -> e.getValue().metricValue() instanceof Number n ? n.doubleValue() : 0).sum();
    }

    @Override
    public void close() {
        kafka.close();
        gc.close();
    }
}
