package dev.dropstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.schema.DropKey;
import dev.dropstream.schema.DropStats;
import dev.dropstream.schema.ReasonKey;
import dev.dropstream.schema.ReasonStats;
import dev.dropstream.schema.ConntrackEventKind;
import dev.dropstream.schema.ConntrackReason;
import dev.dropstream.schema.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Windowed drop aggregates: counts, distinct sources and hosts, lateness, final results, open-window stores. */
class DropAggregatesTest extends TopologyTestBase {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @BeforeEach
    void startDriver() {
        start(settings().withGrace(Duration.ofSeconds(30), Duration.ofMinutes(10)));
    }

    /** A UFW drop at the given time (RFC 3339 stamp, so the event time is exact). */
    private void drop(Instant t, String host, String src, int dport, String prefix) {
        send(host, t + " " + host + " kernel: " + prefix + "IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 "
                + "SRC=" + src + " DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=1 DF PROTO=TCP SPT=40000 DPT="
                + dport + " WINDOW=64240 RES=0x00 SYN URGP=0 ", t);
    }

    private static DropKey key(String prefix, Verdict v, int port) {
        return DropKey.newBuilder().setPrefix(prefix).setVerdict(v).setProtocol(6).setDstPort(port).build();
    }

    @Test
    void finalResultsAreEmittedOnceWhenTheWindowClosesIncludingOutOfOrderRecordsWithinGrace() {
        drop(T0.plusSeconds(5), "fw1", "203.0.113.1", 22, "[UFW BLOCK] ");
        drop(T0.plusSeconds(50), "fw2", "203.0.113.2", 22, "[UFW BLOCK] ");
        drop(T0.plusSeconds(61), "fw1", "203.0.113.1", 22, "[UFW BLOCK] ");
        drop(T0.plusSeconds(10), "fw1", "203.0.113.3", 22, "[UFW BLOCK] ");   // out of order, within grace
        drop(T0.plusSeconds(20), "fw1", "203.0.113.1", 23, "[UFW BLOCK] ");
        assertThat(output(topics.drops1m()).isEmpty()).as("nothing before the window closes").isTrue();

        drop(T0.plusSeconds(91), "fw1", "203.0.113.9", 80, "[UFW BLOCK] ");     // stream time passes 10:01:00 + 30 s
        drop(T0.plusSeconds(30), "fw1", "203.0.113.4", 22, "[UFW BLOCK] ");   // too late: window closed
        List<KeyValue<DropKey, DropStats>> results = output(topics.drops1m()).readKeyValuesToList();
        assertThat(results).extracting(kv -> kv.key).containsExactlyInAnyOrder(
                key("[UFW BLOCK] ", Verdict.DROP, 22), key("[UFW BLOCK] ", Verdict.DROP, 23));
        DropStats ssh = results.stream().filter(kv -> kv.key.getDstPort() == 22).findFirst().orElseThrow().value;
        assertThat(ssh.getPackets()).isEqualTo(3);
        assertThat(ssh.getBytes()).isEqualTo(180);
        assertThat(ssh.getDistinctSources()).isEqualTo(3);
        assertThat(ssh.getDistinctHosts()).isEqualTo(2);
        assertThat(ssh.getWindowStart()).isEqualTo(T0);
        assertThat(ssh.getWindowEnd()).isEqualTo(T0.plusSeconds(60));
        assertThat(ssh.getFirstSeen()).isEqualTo(T0.plusSeconds(5));
        assertThat(ssh.getLastSeen()).isEqualTo(T0.plusSeconds(50));
        assertThat(driver.metrics().entrySet().stream().filter(e -> e.getKey().name().equals("late-drop-records-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum())
                .as("the late record is counted as left out").isEqualTo(1.0);
        assertThat(output(topics.drops1m()).isEmpty()).as("each window's final result only once").isTrue();
    }

    @Test
    void hourResultsAddUpTheMinutesOfTheHourAndComeOnceWhenTheHourCloses() {
        drop(T0.plusSeconds(5), "fw1", "203.0.113.1", 22, "[UFW BLOCK] ");
        drop(T0.plusSeconds(65), "fw2", "203.0.113.2", 22, "[UFW BLOCK] ");
        drop(T0.plusSeconds(3599), "fw1", "203.0.113.1", 22, "[UFW BLOCK] ");
        drop(T0.plusSeconds(3600 + 599), "fw1", "203.0.113.7", 22, "[UFW BLOCK] ");   // hour grace is 10 min
        assertThat(output(topics.drops1h()).isEmpty()).as("the hour is open until its grace has passed").isTrue();
        drop(T0.plusSeconds(3600 + 30), "fw3", "203.0.113.3", 22, "[UFW BLOCK] ");  // next hour, out of order

        drop(T0.plusSeconds(3600 + 600), "fw1", "203.0.113.1", 22, "[UFW BLOCK] ");
        List<KeyValue<DropKey, DropStats>> hours = output(topics.drops1h()).readKeyValuesToList();
        assertThat(hours).hasSize(1);
        DropStats h = hours.get(0).value;
        assertThat(hours.get(0).key).isEqualTo(key("[UFW BLOCK] ", Verdict.DROP, 22));
        assertThat(h.getPackets()).isEqualTo(3);
        assertThat(h.getDistinctSources()).isEqualTo(2);
        assertThat(h.getDistinctHosts()).isEqualTo(2);
        assertThat(h.getWindowStart()).isEqualTo(T0);
        assertThat(h.getWindowEnd()).isEqualTo(T0.plusSeconds(3600));
        assertThat(h.getLastSeen()).isEqualTo(T0.plusSeconds(3599));
        assertThat(FrequentItems.top(h.getTopSources(), 1)).extracting(FrequentItems.Item::value, FrequentItems.Item::estimate)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("203.0.113.1", 2L));
        assertThat(output(topics.drops1m()).readKeyValuesToList()).as("the minute topic has minute windows only")
                .isNotEmpty().extracting(kv -> kv.value.getWindowEnd().toEpochMilli()
                        - kv.value.getWindowStart().toEpochMilli()).containsOnly(60_000L);
    }

    @Test
    void aJumpInTimeBeyondTheStoreRetentionStillGivesTheWindowsItClosesTheirFinalResults() {
        drop(T0.plusSeconds(5), "fw1", "203.0.113.1", 22, "[UFW BLOCK] ");
        drop(T0.plusSeconds(6), "fw2", "203.0.113.2", 22, "[UFW BLOCK] ");
        drop(T0.plus(Duration.ofDays(3)), "fw1", "203.0.113.1", 80, "[UFW BLOCK] ");   // the 1-minute store keeps 1 day
        List<KeyValue<DropKey, DropStats>> results = output(topics.drops1m()).readKeyValuesToList();
        assertThat(results).extracting(kv -> kv.key).containsExactly(key("[UFW BLOCK] ", Verdict.DROP, 22));
        assertThat(results.get(0).value.getPackets()).isEqualTo(2);
        assertThat(output(topics.drops1h()).readKeyValuesToList()).extracting(kv -> kv.value.getPackets())
                .containsExactly(2L);
    }

    @Test
    void openWindowsAreQueryableInTheirStores() {
        drop(T0.plusSeconds(5), "fw1", "203.0.113.1", 22, "[UFW BLOCK] ");
        drop(T0.plusSeconds(6), "fw1", "203.0.113.1", 22, "[UFW BLOCK] ");
        drop(T0.plusSeconds(7), "fw1", "203.0.113.1", 22, "[UFW AUDIT] ");
        WindowStore<DropKey, ValueAndTimestamp<DropStats>> minute = driver.getTimestampedWindowStore(Names.DROPS_1M_STORE);
        try (KeyValueIterator<Windowed<DropKey>, ValueAndTimestamp<DropStats>> it = minute.all()) {
            List<KeyValue<Windowed<DropKey>, ValueAndTimestamp<DropStats>>> all = new java.util.ArrayList<>();
            it.forEachRemaining(all::add);
            assertThat(all).hasSize(2);
            assertThat(all).anySatisfy(kv -> {
                assertThat(kv.key.key().getVerdict()).as("verdict presets flow into the keys").isEqualTo(Verdict.AUDIT);
                assertThat(kv.value.value().getPackets()).isEqualTo(1);
            });
            assertThat(all).anySatisfy(kv -> {
                assertThat(kv.key.key().getVerdict()).isEqualTo(Verdict.DROP);
                assertThat(kv.value.value().getPackets()).isEqualTo(2);
                assertThat(kv.key.window().startTime()).isEqualTo(T0);
            });
        }
        WindowStore<DropKey, ValueAndTimestamp<DropStats>> hour = driver.getTimestampedWindowStore(Names.DROPS_1H_STORE);
        assertThat(hour.fetch(key("[UFW BLOCK] ", Verdict.DROP, 22), T0.toEpochMilli()).value().getPackets()).isEqualTo(2);
    }

    @Test
    void conntrackReasonsAreCountedPerHostAndReason() {
        for (int i = 0; i < 3; i++) {
            send("fw1", T0.plusSeconds(i) + " fw1 kernel: nf_ct_proto_6: invalid new IN=eth0 OUT= SRC=10.0.0.1 "
                    + "DST=10.0.0.2 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=" + i + " PROTO=TCP SPT=1 DPT=2 SEQ=1 ACK=0 "
                    + "WINDOW=5 RES=0x00 ACK URGP=0 ", T0);
        }
        send("fw1", T0.plusSeconds(4) + " fw1 kernel: net_ratelimit: 3939 callbacks suppressed", T0);
        send("fw1", T0.plusSeconds(5) + " fw1 kernel: net_ratelimit: 61 callbacks suppressed", T0);
        WindowStore<ReasonKey, ValueAndTimestamp<ReasonStats>> store = driver.getTimestampedWindowStore(Names.REASONS_1M_STORE);
        ReasonKey invalidNew = ReasonKey.newBuilder().setHost("fw1").setKind(ConntrackEventKind.INVALID)
                .setReason(ConntrackReason.INVALID_NEW).build();
        assertThat(store.fetch(invalidNew, T0.toEpochMilli()).value().getEvents()).isEqualTo(3);
        ReasonKey suppressed = ReasonKey.newBuilder().setHost("fw1").setKind(ConntrackEventKind.CALLBACKS_SUPPRESSED).build();
        ReasonStats s = store.fetch(suppressed, T0.toEpochMilli()).value();
        assertThat(s.getEvents()).isEqualTo(2);
        assertThat(s.getSuppressedCallbacks()).isEqualTo(4000);
    }
}
