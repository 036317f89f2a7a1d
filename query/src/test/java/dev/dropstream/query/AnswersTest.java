package dev.dropstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.junit.jupiter.api.Test;

/**
 * Merging rows as two instances would send them (one of them through JSON, as over HTTP) into the answers'
 * JSON shapes: sums, sketch unions, ordering, top-N after the merge.
 */
class AnswersTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Range RANGE = new Range(T0, T0.plusSeconds(3600));

    private static ObjectNode drop(String prefix, int port, int minute, long packets, String... sources) {
        HllSketch hll = new HllSketch(12, TgtHllType.HLL_4);
        ItemsSketch<String> items = new ItemsSketch<>(64);
        for (String s : sources) {
            hll.update(s);
            items.update(s, packets / sources.length);
        }
        HllSketch hosts = new HllSketch(12, TgtHllType.HLL_4);
        hosts.update("fw-" + port);
        long start = T0.plusSeconds(60L * minute).toEpochMilli();
        return Json.MAPPER.createObjectNode().put("prefix", prefix).put("verdict", "DROP").put("protocol", 6)
                .put("port", port).put("start", start).put("end", start + 60_000).put("packets", packets)
                .put("bytes", packets * 60).put("sourceSketch", hll.toCompactByteArray())
                .put("hostSketch", hosts.toCompactByteArray())
                .put("topSources", items.toByteArray(new ArrayOfStringsSerDe())).put("topHosts", new byte[0]);
    }

    /** Rows of two instances, the second one's after a trip through JSON text. */
    private static List<ObjectNode> fleet() throws Exception {
        List<ObjectNode> rows = new ArrayList<>();
        rows.add(drop("[UFW BLOCK] ", 22, 0, 4, "203.0.113.1", "203.0.113.2"));
        rows.add(drop("[UFW BLOCK] ", 22, 1, 2, "203.0.113.1"));
        LocalPart other = new LocalPart(new java.util.TreeSet<>(List.of(1)),
                List.of(drop("[UFW BLOCK] ", 22, 0, 6, "203.0.113.3", "203.0.113.1"), drop("nft-drop ", 443, 0, 3, "198.51.100.7")));
        JsonNode wire = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(other.toJson()));
        wire.get("rows").forEach(r -> rows.add((ObjectNode) r));
        return rows;
    }

    @Test
    void seriesSumTheSameWindowOfEveryInstanceAndUnionTheirSources() throws Exception {
        JsonNode a = DropAnswers.series(fleet(), "prefix", RANGE, "1m");

        assertThat(a.get("resolution").asText()).isEqualTo("1m");
        assertThat(a.get("from").asText()).isEqualTo("2026-11-25T10:00:00Z");
        assertThat(a.get("to").asText()).isEqualTo("2026-11-25T11:00:00Z");
        assertThat(a.get("group").asText()).isEqualTo("prefix");
        assertThat(a.at("/series/0/key").toString()).isEqualTo("{\"prefix\":\"[UFW BLOCK] \"}");
        assertThat(a.at("/series/0/points").toString()).isEqualTo("[{\"start\":\"2026-11-25T10:00:00Z\","
                + "\"end\":\"2026-11-25T10:01:00Z\",\"packets\":10,\"bytes\":600,\"distinctSources\":3},"
                + "{\"start\":\"2026-11-25T10:01:00Z\",\"end\":\"2026-11-25T10:02:00Z\",\"packets\":2,\"bytes\":120,"
                + "\"distinctSources\":1}]");
        assertThat(a.at("/series/1/key/prefix").asText()).isEqualTo("nft-drop ");
        assertThat(a.get("totals").toString())
                .isEqualTo("{\"packets\":15,\"bytes\":900,\"distinctSources\":4,\"distinctHosts\":2}");
    }

    @Test
    void groupsByTheWholeRuleOrNothing() throws Exception {
        JsonNode rule = DropAnswers.series(fleet(), "rule", RANGE, "1m");
        assertThat(rule.at("/series/1/key").toString())
                .isEqualTo("{\"prefix\":\"nft-drop \",\"verdict\":\"DROP\",\"protocol\":\"tcp\",\"port\":443}");
        JsonNode total = DropAnswers.series(fleet(), "total", RANGE, "1m");
        assertThat(total.get("series")).hasSize(1);
        assertThat(total.at("/series/0/key").toString()).isEqualTo("{}");
        assertThat(total.at("/series/0/points/0/packets").asLong()).isEqualTo(13);
    }

    @Test
    void topRanksAfterTheMergeExactlyOrFromTheSketches() throws Exception {
        JsonNode ports = DropAnswers.top(fleet(), "ports", 10, RANGE, "1h");
        assertThat(ports.get("approximate").asBoolean()).isFalse();
        assertThat(ports.get("items").toString()).isEqualTo("[{\"value\":\"22\",\"packets\":12,\"bytes\":720},"
                + "{\"value\":\"443\",\"packets\":3,\"bytes\":180}]");
        JsonNode one = DropAnswers.top(fleet(), "ports", 1, RANGE, "1h");
        assertThat(one.get("items")).hasSize(1);

        // 203.0.113.1: 2 + 2 + 3 packets; 198.51.100.7 and 203.0.113.3: 3 each, the tie ordered by value.
        JsonNode sources = DropAnswers.top(fleet(), "sources", 2, RANGE, "1h");
        assertThat(sources.get("approximate").asBoolean()).isTrue();
        assertThat(sources.get("items").toString()).isEqualTo("[{\"value\":\"203.0.113.1\",\"packets\":7,\"bytes\":null,"
                + "\"packetsLowerBound\":7,\"packetsUpperBound\":7},{\"value\":\"198.51.100.7\",\"packets\":3,"
                + "\"bytes\":null,\"packetsLowerBound\":3,\"packetsUpperBound\":3}]");
    }

    @Test
    void reasonsAndHostsMergeWhatEachInstanceSaw() {
        List<ObjectNode> reasons = List.of(
                reason("web-7", "INVALID", "INVALID_TCP_FLAGS", 3, 0, 10),
                reason("web-7", "INVALID", "INVALID_TCP_FLAGS", 2, 60, 70),
                reason("db-1", "TABLE_FULL", null, 9, 5, 6));
        JsonNode r = HostAnswers.reasons(reasons, RANGE, "1m");
        assertThat(r.get("items").toString()).isEqualTo("[{\"host\":\"db-1\",\"kind\":\"TABLE_FULL\",\"reason\":null,"
                + "\"events\":9,\"suppressedCallbacks\":0,\"firstSeen\":\"2026-11-25T10:00:05Z\","
                + "\"lastSeen\":\"2026-11-25T10:00:06Z\"},{\"host\":\"web-7\",\"kind\":\"INVALID\","
                + "\"reason\":\"INVALID_TCP_FLAGS\",\"events\":5,\"suppressedCallbacks\":0,"
                + "\"firstSeen\":\"2026-11-25T10:00:00Z\",\"lastSeen\":\"2026-11-25T10:01:10Z\"}]");

        List<ObjectNode> hosts = List.of(host("web-7", 10, 3), host("db-1", 20, 1), host("web-7", 30, 2));
        assertThat(HostAnswers.hosts(hosts).get("items").toString()).isEqualTo("[{\"host\":\"db-1\","
                + "\"lastSeen\":\"2026-11-25T10:00:20Z\",\"records\":1},{\"host\":\"web-7\","
                + "\"lastSeen\":\"2026-11-25T10:00:30Z\",\"records\":5}]");
    }

    @Test
    void theNewestInvalidDropsOfEveryInstanceComeFirst() {
        List<ObjectNode> rows = List.of(invalid("a", "2026-11-25T10:00:01.000000Z"), invalid("b", null),
                invalid("c", "2026-11-25T10:00:03.000000Z"), invalid("d", "2026-11-25T10:00:02.000000Z"));
        List<String> hosts = new ArrayList<>();
        HostAnswers.invalid(rows, 3).get("items").forEach(i -> hosts.add(i.get("host").asText()));
        assertThat(hosts).containsExactly("c", "d", "a");
    }

    private static ObjectNode reason(String host, String kind, String reason, long events, int first, int last) {
        return Json.MAPPER.createObjectNode().put("host", host).put("kind", kind).put("reason", reason)
                .put("events", events).put("suppressedCallbacks", 0).put("firstSeen", T0.plusSeconds(first).toEpochMilli())
                .put("lastSeen", T0.plusSeconds(last).toEpochMilli());
    }

    private static ObjectNode host(String host, int lastSeen, long records) {
        return Json.MAPPER.createObjectNode().put("host", host).put("lastSeen", T0.plusSeconds(lastSeen).toEpochMilli())
                .put("records", records);
    }

    private static ObjectNode invalid(String host, String time) {
        ObjectNode o = Json.MAPPER.createObjectNode().put("host", host);
        if (time != null) {
            o.put("eventTime", time);
        }
        return o;
    }
}
