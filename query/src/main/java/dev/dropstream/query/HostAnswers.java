package dev.dropstream.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-host answers from the fleet's rows: conntrack reasons and table-full events ({@code /api/v1/reasons},
 * {@code /api/v1/table-full}), the hosts seen ({@code /api/v1/hosts}) and the recent InvalidDrops
 * ({@code /api/v1/invalid}).
 */
final class HostAnswers {
    private HostAnswers() {
    }

    /** Events per (host, kind, reason) over the range, most events first. */
    static ObjectNode reasons(List<ObjectNode> rows, Range range, String resolution) {
        Map<String, ObjectNode> items = new LinkedHashMap<>();
        for (JsonNode r : rows) {
            String id = r.get("host").asText() + '\u0000' + r.get("kind").asText() + '\u0000' + r.path("reason").asText();
            ObjectNode item = items.get(id);
            if (item == null) {
                item = Json.MAPPER.createObjectNode().put("host", r.get("host").asText()).put("kind", r.get("kind").asText());
                item.set("reason", r.get("reason"));
                item.put("events", 0L).put("suppressedCallbacks", 0L).put("firstSeen", Long.MAX_VALUE)
                        .put("lastSeen", Long.MIN_VALUE);
                items.put(id, item);
            }
            item.put("events", item.get("events").asLong() + r.get("events").asLong());
            item.put("suppressedCallbacks", item.get("suppressedCallbacks").asLong()
                    + r.get("suppressedCallbacks").asLong());
            item.put("firstSeen", Math.min(item.get("firstSeen").asLong(), r.get("firstSeen").asLong()));
            item.put("lastSeen", Math.max(item.get("lastSeen").asLong(), r.get("lastSeen").asLong()));
        }
        ObjectNode answer = Json.ranged(range).put("resolution", resolution);
        ArrayNode out = answer.putArray("items");
        items.values().stream()
                .sorted(Comparator.comparing((ObjectNode i) -> i.get("events").asLong()).reversed()
                        .thenComparing(i -> i.get("host").asText()).thenComparing(i -> i.get("kind").asText())
                        .thenComparing(i -> i.path("reason").asText()))
                .forEach(i -> out.add(i.put("firstSeen", Json.time(i.get("firstSeen").asLong()))
                        .put("lastSeen", Json.time(i.get("lastSeen").asLong()))));
        return answer;
    }

    /** Every host, by name, with its latest event time and records (a host re-keyed across partitions: merged). */
    static ObjectNode hosts(List<ObjectNode> rows) {
        Map<String, long[]> hosts = new TreeMap<>();
        for (JsonNode r : rows) {
            long[] h = hosts.computeIfAbsent(r.get("host").asText(), k -> new long[] {Long.MIN_VALUE, 0});
            h[0] = Math.max(h[0], r.get("lastSeen").asLong());
            h[1] += r.get("records").asLong();
        }
        ObjectNode answer = Json.MAPPER.createObjectNode();
        ArrayNode items = answer.putArray("items");
        hosts.forEach((host, h) -> items.addObject().put("host", host).put("lastSeen", Json.time(h[0]))
                .put("records", h[1]));
        return answer;
    }

    /** The newest {@code limit} InvalidDrops of the fleet. */
    static ObjectNode invalid(List<ObjectNode> rows, int limit) {
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.putArray("items").addAll(Rows.newestFirst(rows, limit));
        return answer;
    }
}
