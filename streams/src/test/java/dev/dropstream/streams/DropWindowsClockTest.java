package dev.dropstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.schema.DropKey;
import dev.dropstream.schema.DropStats;
import dev.dropstream.schema.Verdict;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The drop windows' clock when two upstream tasks feed them at different paces, as while a backlog is read: the
 * tallies of both are written straight to {@code drops-by-rule}, each with the header naming its task.
 */
class DropWindowsClockTest extends TopologyTestBase {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final DropKey SSH = DropKey.newBuilder().setPrefix("[UFW BLOCK] ").setVerdict(Verdict.DROP)
            .setProtocol(6).setDstPort(22).build();
    private TestInputTopic<DropKey, DropStats> byRule;

    @BeforeEach
    void startDriver() {
        start(settings().withGrace(Duration.ofSeconds(30), Duration.ofMinutes(10)).withMaxSkew(Duration.ofMinutes(5))
                .withUpstreamTasks(2));
        byRule = driver.createInputTopic("dropstream-test-" + Names.DROPS_BY_RULE + "-repartition",
                topics.drops1m().keySerde().serializer(), topics.drops1m().valueSerde().serializer());
    }

    /** A tally of {@code packets} packets of one task at {@code t}. */
    private void tally(int task, Instant t, long packets) {
        long start = t.toEpochMilli() - t.toEpochMilli() % 60_000;
        DropStats s = DropStats.newBuilder().setWindowStart(Instant.ofEpochMilli(start))
                .setWindowEnd(Instant.ofEpochMilli(start + 60_000)).setPackets(packets).setBytes(40 * packets)
                .setFirstSeen(t).setLastSeen(t).build();
        RecordHeaders h = new RecordHeaders();
        h.add(DropTallies.TASK_HEADER, ByteBuffer.allocate(4).putInt(task).array());
        byRule.pipeInput(new TestRecord<>(SSH, s, h, t));
    }

    private List<Long> finalPackets() {
        return output(topics.drops1m()).readKeyValuesToList().stream().map(kv -> kv.value.getPackets()).toList();
    }

    @Test
    void aWindowWaitsForTheSlowerTaskThatIsStillSending() {
        tally(0, T0.plusSeconds(5), 3);
        tally(1, T0.plusSeconds(6), 1);
        tally(0, T0.plusSeconds(200), 1);                       // task 0 is far ahead
        assertThat(finalPackets()).as("task 1 is still at 10:00:06").isEmpty();
        tally(1, T0.plusSeconds(50), 2);                        // not late: task 1's own part of the minute
        tally(1, T0.plusSeconds(95), 1);                        // task 1 passes 10:01:30
        assertThat(finalPackets()).containsExactly(6L);
        assertThat(metric("late-drop-records-total")).isZero();
    }

    @Test
    void aTaskThatHasSentNothingYetIsWaitedForUntilItProvesQuiet() {
        tally(0, T0.plusSeconds(5), 3);
        tally(0, T0.plusSeconds(95), 1);
        assertThat(finalPackets()).as("task 1 may still be reading its backlog").isEmpty();
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        tally(0, T0.plusSeconds(96), 1);
        assertThat(finalPackets()).containsExactly(3L);
    }

    @Test
    void aTaskThatWentQuietIsNotWaitedFor() {
        tally(0, T0.plusSeconds(5), 3);
        tally(1, T0.plusSeconds(6), 1);
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        tally(0, T0.plusSeconds(95), 1);
        assertThat(finalPackets()).containsExactly(4L);
    }

    @Test
    void theFastestIsWaitedForAtMostTheMaximumSkew() {
        tally(0, T0.plusSeconds(5), 3);
        tally(1, T0.plusSeconds(6), 1);
        tally(0, T0.plusSeconds(90 + 299), 1);
        assertThat(finalPackets()).isEmpty();
        tally(0, T0.plusSeconds(90 + 300), 1);                 // five minutes past the close, task 1 still at 10:00:06
        assertThat(finalPackets()).containsExactly(4L);
        tally(1, T0.plusSeconds(20), 5);                        // too late for its minute: left out, and counted
        assertThat(finalPackets()).isEmpty();
        assertThat(metric("late-drop-records-total")).isEqualTo(1.0);
        assertThat(driver.<DropKey, DropStats>getTimestampedWindowStore(Names.DROPS_1H_STORE)
                .fetch(SSH, T0.toEpochMilli()).value().getPackets()).as("the hour is still open for it").isEqualTo(11);
    }

    private double metric(String name) {
        return driver.metrics().entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }
}
