package dev.dropstream.cli.bench;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The yardstick of {@code dropstream bench topology}: the least a stateful Kafka Streams application does with
 * the same input. It reads the raw lines without looking at them (the value stays bytes), counts them per Kafka
 * key (the host) in tumbling event-time windows in a persistent window store with its changelog, and writes every
 * count update the record cache lets through to a topic:
 *
 * <pre>
 * input ─ count per host, 1-minute tumbling windows (store + changelog) ─ "host@windowStart" → count ─ output
 * </pre>
 *
 * The records are already keyed by host, so there is no repartition. It runs with exactly the same Kafka Streams
 * settings as the full topology; only the topology differs.
 */
final class MinimalTopology {
    static final String SOURCE = "minimal-source";
    static final String STORE = "minimal-count-store";

    private MinimalTopology() {
    }

    static Topology build(String input, String output, Duration window, Duration grace, Duration retention) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(SOURCE))
                .groupByKey(Grouped.with("minimal-by-host", Serdes.String(), Serdes.ByteArray()))
                .windowedBy(TimeWindows.ofSizeAndGrace(window, grace))
                .count(Named.as("minimal-count"), Materialized.<String, Long, WindowStore<Bytes, byte[]>>as(STORE)
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()).withRetention(retention))
                .toStream(Named.as("minimal-results"))
                .map((wk, n) -> KeyValue.pair(wk.key() + "@" + wk.window().start(), n), Named.as("minimal-window-key"))
                .to(output, Produced.with(Serdes.String(), Serdes.Long()).withName("minimal-sink"));
        return builder.build();
    }
}
