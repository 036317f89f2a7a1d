package dev.dropstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.schema.DropKey;
import dev.dropstream.schema.DropStats;
import dev.dropstream.schema.InvalidDrop;
import dev.dropstream.schema.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;

/** The stores the query API reads besides the window aggregates: hosts seen, recent InvalidDrops, top sources. */
class QueryStoresTest extends TopologyTestBase {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private void drop(Instant t, String host, String src, int dport) {
        send(host, t + " " + host + " kernel: [UFW BLOCK] IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 "
                + "SRC=" + src + " DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=1 DF PROTO=TCP SPT=40000 DPT="
                + dport + " WINDOW=64240 RES=0x00 SYN URGP=0 ", t);
    }

    /** A LOG record of an invalid-state rule: without a conntrack reason it becomes a PACKET_ONLY InvalidDrop. */
    private void invalidLog(Instant t, String host, int id) {
        send(host, t + " " + host + " kernel: ct-invalid IN=eth0 OUT= SRC=198.51.100.7 DST=192.0.2.10 LEN=40 TOS=0x00 "
                + "PREC=0x00 TTL=64 ID=" + id + " PROTO=TCP SPT=40000 DPT=443 WINDOW=0 RES=0x00 RST URGP=0 ", t);
    }

    @Test
    void everyHostIsKeptWithItsLastEventTimeAndRecordCount() {
        start(settings());
        drop(T0, "fw1", "203.0.113.1", 22);
        drop(T0.plusSeconds(30), "fw1", "203.0.113.1", 22);
        drop(T0.plusSeconds(10), "fw1", "203.0.113.2", 22);
        drop(T0.plusSeconds(5), "web-7", "203.0.113.1", 80);
        send("web-7", "not a netfilter line", T0.plusSeconds(90));

        KeyValueStore<String, HostActivity> hosts = driver.getKeyValueStore(Names.HOSTS_STORE);
        assertThat(hosts.get("fw1")).isEqualTo(new HostActivity(T0.plusSeconds(30).toEpochMilli(), 3));
        assertThat(hosts.get("web-7")).as("a skipped line is not a record")
                .isEqualTo(new HostActivity(T0.plusSeconds(5).toEpochMilli(), 1));
        List<String> all = new ArrayList<>();
        try (KeyValueIterator<String, HostActivity> it = hosts.all()) {
            it.forEachRemaining(kv -> all.add(kv.key));
        }
        assertThat(all).containsExactly("fw1", "web-7");
    }

    @Test
    void onlyTheNewestInvalidDropsOfEachHostAreKeptNewestFirst() {
        start(settings().withRecentInvalidPerHost(3));
        for (int i = 0; i < 5; i++) {
            invalidLog(T0.plusSeconds(i * 10L), "fw1", 100 + i);
        }
        invalidLog(T0.plusSeconds(1), "fw2", 200);
        send("fw1", T0.plusSeconds(300) + " fw1 kernel: nothing here", T0.plusSeconds(300));
        drop(T0.plusSeconds(300), "fw1", "203.0.113.1", 22);
        drop(T0.plusSeconds(300), "fw2", "203.0.113.1", 22);

        assertThat(output(topics.invalid()).readValuesToList()).as("every InvalidDrop still goes to the topic")
                .hasSize(6);
        KeyValueStore<String, InvalidDrop> recent = driver.getKeyValueStore(Names.RECENT_INVALID_STORE);
        assertThat(ids(recent, "fw1")).containsExactly(104L, 103L, 102L);
        assertThat(ids(recent, "fw2")).containsExactly(200L);
    }

    private static List<Long> ids(KeyValueStore<String, InvalidDrop> store, String host) {
        List<Long> ids = new ArrayList<>();
        String prefix = RecentInvalidDrops.hostPrefix(host);
        try (KeyValueIterator<String, InvalidDrop> it = store.range(prefix, prefix + '\uffff')) {
            it.forEachRemaining(kv -> ids.add(kv.value.getPacket().getPacket().getId()));
        }
        return ids;
    }

    @Test
    void theDropAggregateKnowsItsHeaviestSourcesAndHosts() {
        start(settings().withGrace(Duration.ofSeconds(30), Duration.ofMinutes(10)));
        for (int i = 0; i < 5; i++) {
            drop(T0.plusSeconds(i), "fw1", "203.0.113.1", 22);
        }
        for (int i = 0; i < 3; i++) {
            drop(T0.plusSeconds(10 + i), "fw2", "203.0.113.2", 22);
        }
        drop(T0.plusSeconds(20), "fw2", "203.0.113.3", 22);

        WindowStore<DropKey, DropStats> store = driver.getWindowStore(Names.DROPS_1M_STORE);
        DropKey ssh = DropKey.newBuilder().setPrefix("[UFW BLOCK] ").setVerdict(Verdict.DROP).setProtocol(6)
                .setDstPort(22).build();
        DropStats stats = store.fetch(ssh, T0.toEpochMilli());
        assertThat(FrequentItems.top(stats.getTopSources(), 2)).extracting(FrequentItems.Item::value, FrequentItems.Item::estimate)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("203.0.113.1", 5L),
                        org.assertj.core.groups.Tuple.tuple("203.0.113.2", 3L));
        assertThat(FrequentItems.top(stats.getTopHosts(), 10)).extracting(FrequentItems.Item::value,
                FrequentItems.Item::estimate).containsExactly(org.assertj.core.groups.Tuple.tuple("fw1", 5L),
                        org.assertj.core.groups.Tuple.tuple("fw2", 4L));
    }
}
