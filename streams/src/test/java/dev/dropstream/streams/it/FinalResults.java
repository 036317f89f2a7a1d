package dev.dropstream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.schema.DropKey;
import dev.dropstream.schema.DropStats;
import dev.dropstream.topics.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Assertions on what a run wrote, read with {@code read_committed}: exact final aggregates, exact record counts. */
public final class FinalResults {
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final int SHOWN = 25;

    private FinalResults() {
    }

    /**
     * Every LOG record of the corpus is on the packets topic exactly once. Returns only once all are there, so
     * it is also the barrier before {@link Sentinels}: the records for the drop aggregates are written in the
     * same transactions as the packets, so by then every one is in the repartition ahead of any sentinel.
     */
    public static void assertEveryLogRecordOnce(String bootstrapServers, TopicCatalog catalog, CorpusExpectation expected) {
        assertRecordCount(bootstrapServers, catalog.packets().name(), expected.packets());
    }

    /** The final 1-minute and 1-hour results are exactly the expected counts, each window once. */
    public static void assertFinalAggregates(String bootstrapServers, TopicCatalog catalog, CorpusExpectation expected) {
        assertExact(bootstrapServers, catalog.drops1m(), expected.perMinute());
        assertExact(bootstrapServers, catalog.drops1h(), expected.perHour());
    }

    /** The topic's final results are {@code expected}: each window once, with exactly the expected packet count. */
    private static void assertExact(String bootstrapServers, TopicCatalog.Topic<DropKey, DropStats> topic,
            Map<DropCount, Long> expected) {
        List<ConsumerRecord<DropKey, DropStats>> records = ItClients.readCommitted(bootstrapServers, topic.name(),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer(),
                read -> keys(read).containsAll(expected.keySet()), WAIT);
        Map<DropCount, Long> actual = new HashMap<>();
        List<DropCount> repeated = new ArrayList<>();
        for (ConsumerRecord<DropKey, DropStats> r : records) {
            if (actual.put(DropCount.of(r.key(), r.value()), r.value().getPackets()) != null) {
                repeated.add(DropCount.of(r.key(), r.value()));
            }
        }
        assertThat(repeated).as("windows of %s emitted more than once", topic.name()).isEmpty();
        assertThat(differences(expected, actual))
                .as("final results of %s against the independent count (%d windows expected, %d read)", topic.name(),
                        expected.size(), actual.size())
                .isEmpty();
    }

    /** The topic holds exactly {@code expected} committed records. */
    private static void assertRecordCount(String bootstrapServers, String topic, long expected) {
        List<ConsumerRecord<byte[], byte[]>> records = ItClients.readCommitted(bootstrapServers, topic,
                new ByteArrayDeserializer(), new ByteArrayDeserializer(), read -> read.size() >= expected, WAIT);
        assertThat(records.size()).as("committed records on %s", topic).isEqualTo(expected);
    }

    private static Set<DropCount> keys(List<ConsumerRecord<DropKey, DropStats>> records) {
        Set<DropCount> keys = new HashSet<>();
        records.forEach(r -> keys.add(DropCount.of(r.key(), r.value())));
        return keys;
    }

    /** The first {@value #SHOWN} windows whose counts differ, as sentences, and how many differ in all. */
    private static List<String> differences(Map<DropCount, Long> expected, Map<DropCount, Long> actual) {
        Set<DropCount> all = new HashSet<>(expected.keySet());
        all.addAll(actual.keySet());
        List<String> out = new ArrayList<>();
        int differing = 0;
        for (DropCount k : all) {
            if (!Objects.equals(expected.get(k), actual.get(k))) {
                if (++differing <= SHOWN) {
                    out.add(k + ": expected " + expected.get(k) + ", read " + actual.get(k));
                }
            }
        }
        if (differing > SHOWN) {
            out.add("… " + (differing - SHOWN) + " more");
        }
        return out;
    }
}
