package dev.dropstream.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dropstream.streams.FrequentItems;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The answers of {@code /api/v1/drops} and {@code /api/v1/top/{dimension}} from the drop aggregate's rows of
 * the whole fleet: sums of packets and bytes, unions of the distinct-count sketches, top-N after the merge.
 */
final class DropAnswers {
    /** What {@code group} may be, and the key object each groups by. */
    static final Map<String, Function<JsonNode, ObjectNode>> GROUPS = Map.of(
            "prefix", r -> key().put("prefix", r.get("prefix").asText()),
            "rule", r -> key().put("prefix", r.get("prefix").asText()).put("verdict", r.get("verdict").asText())
                    .put("protocol", Protocols.name(r.get("protocol").asInt())).put("port", r.get("port").asInt()),
            "port", r -> key().put("port", r.get("port").asInt()),
            "verdict", r -> key().put("verdict", r.get("verdict").asText()),
            "protocol", r -> key().put("protocol", Protocols.name(r.get("protocol").asInt())),
            "total", r -> key());
    /** What a top-N may rank, exactly from the counts: the value of a row for each. */
    static final Map<String, Function<JsonNode, String>> EXACT_DIMENSIONS = Map.of(
            "ports", r -> r.get("port").asText(),
            "prefixes", r -> r.get("prefix").asText(),
            "verdicts", r -> r.get("verdict").asText(),
            "protocols", r -> Protocols.name(r.get("protocol").asInt()),
            "rules", r -> r.get("prefix").asText().strip() + " " + r.get("verdict").asText() + " "
                    + Protocols.name(r.get("protocol").asInt()) + "/" + r.get("port").asInt());
    /** Ranked approximately, from the frequent-items sketch in this row field. */
    static final Map<String, String> SKETCHED_DIMENSIONS = Map.of("sources", "topSources", "hosts", "topHosts");

    private DropAnswers() {
    }

    private static ObjectNode key() {
        return Json.MAPPER.createObjectNode();
    }

    /** One group's or one window's running sums. */
    private static final class Sums {
        long packets;
        long bytes;
        long end;
        final SketchUnion sketches = new SketchUnion();
        final SketchUnion hosts = new SketchUnion();

        void add(JsonNode row) {
            packets += row.get("packets").asLong();
            bytes += row.get("bytes").asLong();
            end = Math.max(end, row.get("end").asLong());
            sketches.addHll(Rows.bytes(row, "sourceSketch"));
            hosts.addHll(Rows.bytes(row, "hostSketch"));
        }
    }

    static ObjectNode series(List<ObjectNode> rows, String group, Range range, String resolution) {
        Function<JsonNode, ObjectNode> keyOf = GROUPS.get(group);
        Map<String, ObjectNode> keys = new HashMap<>();
        Map<String, TreeMap<Long, Sums>> windows = new HashMap<>();
        Map<String, Long> groupPackets = new HashMap<>();
        Sums total = new Sums();
        for (ObjectNode row : rows) {
            ObjectNode key = keyOf.apply(row);
            String id = key.toString();
            keys.putIfAbsent(id, key);
            windows.computeIfAbsent(id, k -> new TreeMap<>()).computeIfAbsent(row.get("start").asLong(), s -> new Sums())
                    .add(row);
            groupPackets.merge(id, row.get("packets").asLong(), Long::sum);
            total.add(row);
        }
        ObjectNode answer = Json.MAPPER.createObjectNode().put("resolution", resolution);
        answer.setAll(Json.ranged(range));
        answer.put("group", group);
        ArrayNode series = answer.putArray("series");
        List<String> order = new ArrayList<>(keys.keySet());
        order.sort(Comparator.comparing((String id) -> groupPackets.get(id)).reversed().thenComparing(id -> id));
        for (String id : order) {
            ObjectNode s = series.addObject();
            s.set("key", keys.get(id));
            ArrayNode points = s.putArray("points");
            windows.get(id).forEach((start, w) -> points.addObject().put("start", Json.time(start))
                    .put("end", Json.time(w.end)).put("packets", w.packets).put("bytes", w.bytes)
                    .put("distinctSources", w.sketches.distinct()));
        }
        answer.putObject("totals").put("packets", total.packets).put("bytes", total.bytes)
                .put("distinctSources", total.sketches.distinct()).put("distinctHosts", total.hosts.distinct());
        return answer;
    }

    static ObjectNode top(List<ObjectNode> rows, String dimension, int limit, Range range, String resolution) {
        ObjectNode answer = Json.MAPPER.createObjectNode().put("dimension", dimension).put("resolution", resolution);
        answer.setAll(Json.ranged(range));
        ArrayNode items;
        String sketchField = SKETCHED_DIMENSIONS.get(dimension);
        if (sketchField != null) {
            answer.put("approximate", true);
            items = answer.putArray("items");
            SketchUnion union = new SketchUnion();
            rows.forEach(r -> union.addItems(Rows.bytes(r, sketchField)));
            for (FrequentItems.Item i : union.top(limit)) {
                items.addObject().put("value", i.value()).put("packets", i.estimate()).putNull("bytes")
                        .put("packetsLowerBound", i.lowerBound()).put("packetsUpperBound", i.upperBound());
            }
            return answer;
        }
        answer.put("approximate", false);
        items = answer.putArray("items");
        Function<JsonNode, String> valueOf = EXACT_DIMENSIONS.get(dimension);
        Map<String, long[]> sums = new HashMap<>();
        for (ObjectNode r : rows) {
            long[] s = sums.computeIfAbsent(valueOf.apply(r), v -> new long[2]);
            s[0] += r.get("packets").asLong();
            s[1] += r.get("bytes").asLong();
        }
        sums.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, long[]> e) -> e.getValue()[0]).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(limit)
                .forEach(e -> items.addObject().put("value", e.getKey()).put("packets", e.getValue()[0])
                        .put("bytes", e.getValue()[1]));
        return answer;
    }
}
