package dev.dropstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.schema.DropKey;
import dev.dropstream.schema.DropStats;
import dev.dropstream.schema.Verdict;
import dev.dropstream.topics.TopicCatalog;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * Kafka Streams inits the same processor again when it revives a task it closed without committing (the stores are
 * rebuilt from their changelogs, the input read again from the last commit): nothing the heap held may survive.
 */
class DropWindowsReviveTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final DropKey SSH = DropKey.newBuilder().setPrefix("[UFW BLOCK] ").setVerdict(Verdict.DROP)
            .setProtocol(6).setDstPort(22).build();

    private static DropStats tally(Instant t, long packets) {
        long start = t.toEpochMilli() - t.toEpochMilli() % 60_000;
        return DropStats.newBuilder().setWindowStart(Instant.ofEpochMilli(start))
                .setWindowEnd(Instant.ofEpochMilli(start + 60_000)).setPackets(packets).setBytes(40 * packets)
                .setFirstSeen(t).setLastSeen(t).build();
    }

    @Test
    void aRevivedWindowProcessorCountsEachTallyOnceAndEmitsEachWindowOnce() {
        TopicCatalog topics = TopicCatalog.create(Map.of("schema.registry.url", "mock://" + UUID.randomUUID()));
        MockProcessorContext<DropKey, DropStats> ctx = new MockProcessorContext<>();
        ctx.setCurrentSystemTimeMs(1_000);
        List<StateStore> stores = List.of(
                Stores.timestampedWindowStoreBuilder(Stores.inMemoryWindowStore(Names.DROPS_1M_STORE,
                        java.time.Duration.ofDays(1), java.time.Duration.ofMinutes(1), false),
                        topics.drops1m().keySerde(), topics.drops1m().valueSerde()).withLoggingDisabled().build(),
                Stores.timestampedWindowStoreBuilder(Stores.inMemoryWindowStore(Names.DROPS_1H_STORE,
                        java.time.Duration.ofDays(30), java.time.Duration.ofHours(1), false),
                        topics.drops1m().keySerde(), topics.drops1m().valueSerde()).withLoggingDisabled().build(),
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(Names.DROPS_CLOSED_STORE), Serdes.String(),
                        Serdes.Long()).withLoggingDisabled().build(),
                BeforeCommit.builder(Names.DROP_WINDOWS_HOOK).build());
        for (StateStore s : stores) {
            s.init(ctx.getStateStoreContext(), s);
            ctx.addStateStore(s);
        }
        DropWindows windows = new DropWindows(List.of(new DropWindows.Size(60_000, 30_000, Names.DROPS_1M_STORE),
                new DropWindows.Size(3_600_000, 600_000, Names.DROPS_1H_STORE)), 600_000, 0,
                Names.DROPS_CLOSED_STORE, Names.DROP_WINDOWS_HOOK);
        windows.init(ctx);
        windows.process(new Record<>(SSH, tally(T0.plusSeconds(5), 4), T0.plusSeconds(5).toEpochMilli()));
        // Closed without a commit: the tally above never reached the store, and comes again after the revive.
        windows.close();
        windows.init(ctx);
        windows.process(new Record<>(SSH, tally(T0.plusSeconds(5), 4), T0.plusSeconds(5).toEpochMilli()));
        windows.process(new Record<>(SSH, tally(T0.plusSeconds(95), 1), T0.plusSeconds(95).toEpochMilli()));

        assertThat(ctx.forwarded()).extracting(f -> f.record().value().getPackets()).containsExactly(4L);
    }
}
