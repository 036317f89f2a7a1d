package dev.dropstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dropstream.parser.LineParser;
import dev.dropstream.parser.Outcome;
import dev.dropstream.parser.ParsedLine;
import dev.dropstream.parser.ParserConfig;
import dev.dropstream.parser.Recognizer;
import dev.dropstream.streams.Corpus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dropstream up} end to end on its own embedded broker: real kernel lines in files, and the query API
 * answering with the counts this test makes of the same files by itself; then a restart on the same data
 * directory with one more file, after which the first file's counts are what they were (nothing shipped or
 * counted twice) and the new file's are there too.
 *
 * <p>The first file is the kernel lab's records in an RFC 3164 envelope: written on one afternoon three days
 * before this code, in time order, so each of its windows is open while its lines arrive. The second is the same
 * records as {@code /dev/kmsg} wrote them, which carry no calendar time: they are counted at the time they are
 * shipped. Those put the stream's time at today, past the one-minute store's day of retention for the first file,
 * so the first file's counts are asked of the one-hour store, which keeps 30 days.
 */
class UpCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    @Test
    void answersWithTheCountsOfTheFilesAndKeepsThemAcrossARestart() throws Exception {
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        Path dated = Files.copy(Corpus.root().resolve("kernel-lab/envelope-rfc3164.log"), logs.resolve("kern.log"));
        Path data = tmp.resolve("data");
        Counts first = Counts.of(Files.readAllLines(dated, StandardCharsets.UTF_8));
        assertThat(first.packetsByPrefix).hasSizeGreaterThan(10);
        assertThat(first.eventsByReason).isNotEmpty();
        String range = "resolution=1h&from=" + first.from + "&to=" + first.to;

        UpRun up = UpRun.start("--data-dir", data.toString(), "--listen", "127.0.0.1:0", dated.toString());
        URI api = up.baseUri();
        await("the first file counted").atMost(Duration.ofSeconds(180)).ignoreExceptions()
                .until(() -> packetsByPrefix(api, range).equals(first.packetsByPrefix));
        assertThat(packetsByPort(api, range)).isEqualTo(first.packetsByPort);
        assertThat(eventsByReason(api, range)).isEqualTo(first.eventsByReason);
        assertThat(rawRecords(up.bootstrapServers())).as("lines in Kafka").isEqualTo(first.shipped);
        assertThat(up.stop()).as("exit status after Ctrl-C").isZero();
        assertThat(up.err()).contains("stopped.");

        Path undated = Files.copy(Corpus.root().resolve("kernel-lab/envelope-kmsg.log"), logs.resolve("kmsg.log"));
        Counts second = Counts.of(Files.readAllLines(undated, StandardCharsets.UTF_8));
        UpRun again = UpRun.start("--data-dir", data.toString(), "--listen", "127.0.0.1:0", dated.toString(),
                undated.toString());
        URI api2 = again.baseUri();
        try {
            await("the second file counted").atMost(Duration.ofSeconds(180)).ignoreExceptions()
                    .until(() -> packetsByPrefix(api2, "resolution=1m&since=1h").equals(second.packetsByPrefix));
            assertThat(rawRecords(again.bootstrapServers())).as("lines in Kafka: each file's once")
                    .isEqualTo(first.shipped + second.shipped);
            assertThat(packetsByPrefix(api2, range)).isEqualTo(first.packetsByPrefix);
            assertThat(eventsByReason(api2, range)).isEqualTo(first.eventsByReason);
        } finally {
            assertThat(again.stop()).isZero();
        }
    }

    @Test
    void theDemoShowsAFleetWithItsConntrackReasonsJoinedToTheirPackets() throws Exception {
        UpRun up = UpRun.start("--demo", "--demo-rate", "400", "--demo-hosts", "6", "--data-dir",
                tmp.resolve("data").toString(), "--listen", "127.0.0.1:0");
        URI api = up.baseUri();
        try {
            assertThat(up.err()).contains("shipping the demo (400 lines/s from 6 hosts)");
            await("every host of the fleet seen").atMost(Duration.ofSeconds(180)).ignoreExceptions()
                    .until(() -> values(get(api, "/api/v1/hosts"), "host"),
                            hosts -> hosts.equals(List.of("api-01", "cache-01", "db-01", "edge-01", "mail-01", "web-01")));
            await("conntrack reasons joined to the LOG lines of their packets").atMost(Duration.ofSeconds(180))
                    .ignoreExceptions().until(() -> get(api, "/api/v1/invalid?limit=50").get("items"),
                            items -> items.size() > 0 && values(items, "match").stream().allMatch("MATCHED"::equals));
            // The aggregates are a repartition further on than the hosts and the join: they may come a little later.
            await("drops by prefix and verdict").atMost(Duration.ofSeconds(180)).ignoreExceptions()
                    .until(() -> values(get(api, "/api/v1/top/prefixes?since=1h&limit=50"), "value"),
                            prefixes -> prefixes.containsAll(List.of("nft-dropped: ", "nft-accepted: ",
                                    "filter_IN_public_REJECT: ")));
            assertThat(values(get(api, "/api/v1/top/verdicts?since=1h"), "value")).contains("DROP", "REJECT", "ACCEPT");
        } finally {
            assertThat(up.stop()).isZero();
        }
    }

    private static List<String> values(JsonNode answer, String field) {
        JsonNode items = answer.has("items") ? answer.get("items") : answer;
        List<String> values = new java.util.ArrayList<>();
        items.forEach(i -> values.add(i.get(field).asText()));
        values.sort(null);
        return values;
    }

    /** What the test counts itself: the parser says what each line is; the grouping and the sums are the test's. */
    private record Counts(long shipped, Map<String, Long> packetsByPrefix, Map<String, Long> packetsByPort,
            Map<String, Long> eventsByReason, Instant from, Instant to) {
        static Counts of(List<String> lines) {
            LineParser parser = new LineParser(ParserConfig.defaults());
            ParsedLine p = new ParsedLine();
            Map<String, Long> byPrefix = new TreeMap<>();
            Map<String, Long> byPort = new TreeMap<>();
            Map<String, Long> byReason = new TreeMap<>();
            long shipped = 0;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (String line : lines) {
                byte[] b = line.getBytes(StandardCharsets.UTF_8);
                // The shipper of dropstream up sends only the lines that may be netfilter records.
                shipped += Recognizer.mayBeNetfilter(b, 0, b.length) ? 1 : 0;
                Outcome o = parser.parse(b, 0, b.length, p);
                if (o == Outcome.PACKET) {
                    byPrefix.merge(p.prefix(), 1L, Long::sum);
                    if (p.dstPort() >= 0) {
                        byPort.merge(Integer.toString(p.dstPort()), 1L, Long::sum);
                    }
                } else if (o == Outcome.CONNTRACK) {
                    byReason.merge(p.conntrackKind() + "/" + p.reason(), 1L, Long::sum);
                }
                if (p.eventTimeMicros() != null && (o == Outcome.PACKET || o == Outcome.CONNTRACK)) {
                    first = Math.min(first, p.eventTimeMicros());
                    last = Math.max(last, p.eventTimeMicros());
                }
            }
            Instant from = first == Long.MAX_VALUE ? null
                    : Instant.ofEpochSecond(first / 1_000_000).truncatedTo(ChronoUnit.HOURS);
            Instant to = last == Long.MIN_VALUE ? null
                    : Instant.ofEpochSecond(last / 1_000_000).truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
            return new Counts(shipped, byPrefix, byPort, byReason, from, to);
        }
    }

    private static Map<String, Long> packetsByPrefix(URI api, String range) throws Exception {
        JsonNode answer = get(api, "/api/v1/drops?group=prefix&" + range);
        Map<String, Long> counts = new TreeMap<>();
        for (JsonNode series : answer.get("series")) {
            long packets = 0;
            for (JsonNode point : series.get("points")) {
                packets += point.get("packets").asLong();
            }
            counts.merge(series.get("key").get("prefix").asText(), packets, Long::sum);
        }
        return counts;
    }

    private static Map<String, Long> packetsByPort(URI api, String range) throws Exception {
        JsonNode answer = get(api, "/api/v1/top/ports?limit=1000&" + range);
        Map<String, Long> counts = new TreeMap<>();
        for (JsonNode item : answer.get("items")) {
            if (!item.get("value").asText().equals("-1")) {
                counts.put(item.get("value").asText(), item.get("packets").asLong());
            }
        }
        return counts;
    }

    private static Map<String, Long> eventsByReason(URI api, String range) throws Exception {
        JsonNode answer = get(api, "/api/v1/reasons?" + range);
        Map<String, Long> counts = new TreeMap<>();
        for (JsonNode item : answer.get("items")) {
            counts.merge(item.get("kind").asText() + "/" + item.get("reason").asText(), item.get("events").asLong(),
                    Long::sum);
        }
        return counts;
    }

    private static JsonNode get(URI api, String pathAndQuery) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(api.resolve(pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static long rawRecords(String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            TopicPartition p = new TopicPartition("netlog.raw", 0);
            return admin.listOffsets(Map.of(p, OffsetSpec.latest())).all().get().get(p).offset();
        }
    }
}
