package dev.dropstream.cli.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The tables {@code dropstream query} prints for each answer of the API. */
final class Render {
    private Render() {
    }

    static void top(JsonNode a, PrintWriter out) {
        boolean approximate = a.path("approximate").asBoolean();
        Table t = approximate ? new Table(a.path("dimension").asText().toUpperCase(java.util.Locale.ROOT), "PACKETS (≈)#",
                "AT LEAST#", "AT MOST#") : new Table(a.path("dimension").asText().toUpperCase(java.util.Locale.ROOT),
                "PACKETS#", "BYTES#");
        for (JsonNode i : a.path("items")) {
            if (approximate) {
                t.row(i.path("value").asText(), i.path("packets").asLong(), i.path("packetsLowerBound").asLong(),
                        i.path("packetsUpperBound").asLong());
            } else {
                t.row(i.path("value").asText(), i.path("packets").asLong(), i.path("bytes").asLong());
            }
        }
        range(a, out);
        t.print(out, "(no drops in this range)");
    }

    static void drops(JsonNode a, PrintWriter out) {
        Table t = new Table("KEY", "WINDOW START", "PACKETS#", "BYTES#", "SOURCES#");
        for (JsonNode s : a.path("series")) {
            String key = key(s.path("key"));
            for (JsonNode p : s.path("points")) {
                t.row(key, p.path("start").asText(), p.path("packets").asLong(), p.path("bytes").asLong(),
                        p.path("distinctSources").asLong());
            }
        }
        range(a, out);
        t.print(out, "(no drops in this range)");
        JsonNode tot = a.path("totals");
        out.println("total: " + tot.path("packets").asLong() + " packets, " + tot.path("bytes").asLong() + " bytes, about "
                + tot.path("distinctSources").asLong() + " sources, " + tot.path("distinctHosts").asLong() + " hosts");
    }

    private static String key(JsonNode key) {
        List<String> parts = new ArrayList<>();
        key.fields().forEachRemaining(e -> parts.add(e.getValue().asText().strip()));
        return parts.isEmpty() ? "total" : String.join(" ", parts);
    }

    static void reasons(JsonNode a, PrintWriter out) {
        Table t = new Table("HOST", "KIND", "REASON", "EVENTS#", "FIRST SEEN", "LAST SEEN");
        for (JsonNode i : a.path("items")) {
            t.row(i.path("host").asText(), i.path("kind").asText(), i.path("reason").asText(""), i.path("events").asLong(),
                    i.path("firstSeen").asText(), i.path("lastSeen").asText());
        }
        range(a, out);
        t.print(out, "(no conntrack events in this range)");
    }

    static void hosts(JsonNode a, PrintWriter out) {
        Table t = new Table("HOST", "LAST SEEN", "RECORDS#");
        for (JsonNode i : a.path("items")) {
            t.row(i.path("host").asText(), i.path("lastSeen").asText(), i.path("records").asLong());
        }
        t.print(out, "(no hosts seen yet)");
    }

    static void invalid(JsonNode a, PrintWriter out) {
        Table t = new Table("TIME", "HOST", "MATCH", "REASON", "PREFIX", "SOURCE", "DESTINATION", "PROTO");
        for (JsonNode i : a.path("items")) {
            JsonNode ip = i.path("packet").path("packet");
            if (ip.isMissingNode()) {
                ip = i.path("conntrack").path("packet").path("packet");
            }
            t.row(i.path("eventTime").asText(), i.path("host").asText(), i.path("match").asText(),
                    i.path("reason").asText(""), i.path("prefix").asText("").strip(), endpoint(ip, "src", "srcPort"),
                    endpoint(ip, "dst", "dstPort"), ip.path("protocol").asText(""));
        }
        t.print(out, "(no InvalidDrops)");
    }

    private static String endpoint(JsonNode ip, String addr, String port) {
        String a = ip.path(addr).asText("");
        return ip.hasNonNull(port) ? (a.contains(":") ? "[" + a + "]" : a) + ":" + ip.get(port).asInt() : a;
    }

    private static void range(JsonNode a, PrintWriter out) {
        if (a.has("from")) {
            out.println("from " + a.path("from").asText() + " to " + a.path("to").asText()
                    + (a.has("resolution") ? " (" + a.path("resolution").asText() + " windows)" : ""));
        }
    }
}
