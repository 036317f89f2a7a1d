package dev.dropstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dropstream.streams.it.CorpusExpectation;
import dev.dropstream.streams.it.DropCount;
import dev.dropstream.streams.it.ItClients;
import dev.dropstream.streams.it.ItPipeline;
import dev.dropstream.testkit.KafkaBroker;
import dev.dropstream.testkit.KafkaTest;
import dev.dropstream.testkit.StreamsAwait;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole corpus through the application and the query API on a real broker: the API's packet counts per
 * prefix, per port and in total equal counts computed from the same lines without the project's parser
 * ({@link CorpusExpectation}).
 */
@KafkaTest
class QueryApiIT {
    /** Every window the corpus has: it spans 2015 to today, and undated lines are placed in 2026. */
    static final String ALL_TIME = "from=0&to=2200-01-01T00:00:00Z";

    /** A conntrack diagnostic of an invalid packet, in the kernel's current and pre-4.15 forms. */
    private static final Pattern REASON = Pattern.compile("nf_ct_[a-z0-9_]+: ");

    @TempDir
    Path stateDir;

    @Test
    void dropCountsPerPrefixAndPortEqualAnIndependentCountOfTheCorpus(KafkaBroker kafka) throws Exception {
        CorpusExpectation expected = CorpusExpectation.of(Instant.now());
        ItPipeline run = ItPipeline.named("query-api");
        run.createTopics(kafka.bootstrapServers());
        try (Instance instance = Instance.start(run, kafka.bootstrapServers(), stateDir, "")) {
            StreamsAwait.awaitStreamsState(instance.app().streams(), KafkaStreams.State.RUNNING);
            ItClients.produce(kafka.bootstrapServers(), run.topic("topics.raw"), expected.lines());

            JsonNode drops = awaitTotal(instance, "api/v1/drops?resolution=1h&" + ALL_TIME, expected.packets());

            assertThat(seriesTotals(drops)).isEqualTo(byPrefix(expected));
            JsonNode minutes = Http.get(instance.base(), "api/v1/drops?group=total&" + ALL_TIME).json();
            assertThat(minutes.at("/totals/packets").asLong()).as("1-minute windows hold every packet too")
                    .isEqualTo(expected.packets());
            assertThat(minutes.at("/series/0/points").size()).as("one point per minute with packets")
                    .isEqualTo(minutesWithPackets(expected));

            JsonNode ports = Http.get(instance.base(), "api/v1/top/ports?limit=50&resolution=1h&" + ALL_TIME).json();
            assertThat(ports.get("approximate").asBoolean()).isFalse();
            List<String> apiPorts = new ArrayList<>();
            ports.get("items").forEach(i -> apiPorts.add(i.get("value").asText() + "=" + i.get("packets").asLong()));
            assertThat(apiPorts).as("the 50 ports with the most packets, most first, ties by value")
                    .isEqualTo(top(byPort(expected), 50));

            String ufw = "[UFW BLOCK] ";
            long ufwSsh = expected.perHour().entrySet().stream()
                    .filter(e -> e.getKey().prefix().equals(ufw) && e.getKey().dstPort() == 22)
                    .mapToLong(Map.Entry::getValue).sum();
            JsonNode filtered = Http.get(instance.base(), "api/v1/drops?prefix=%5BUFW%20BLOCK%5D&port=22&protocol=tcp"
                    + "&resolution=1h&" + ALL_TIME).json();
            assertThat(filtered.at("/totals/packets").asLong()).as("[UFW BLOCK] to port 22").isEqualTo(ufwSsh)
                    .isPositive();

            assertConntrackAnswers(instance, expected);
            assertMetrics(instance, expected);

            JsonNode hosts = Http.get(instance.base(), "api/v1/hosts").json();
            assertThat(hosts.get("items")).isNotEmpty();
            long records = 0;
            for (JsonNode h : hosts.get("items")) {
                records += h.get("records").asLong();
            }
            assertThat(records).as("records of all hosts: at least every LOG record").isGreaterThanOrEqualTo(
                    expected.packets());
        }
    }

    /**
     * Table-full events and invalid-packet reasons counted from the lines by their text alone; the recent
     * InvalidDrops, newest first.
     */
    private static void assertConntrackAnswers(Instance instance, CorpusExpectation expected) {
        long tableFull = expected.lines().stream().filter(l -> l.text().contains("table full, dropping packet")).count();
        long reasons = expected.lines().stream().filter(l -> REASON.matcher(l.text()).find()).count();
        JsonNode full = Http.get(instance.base(), "api/v1/table-full?resolution=1h&" + ALL_TIME).json();
        assertThat(sum(full.get("items"), "events")).as("table-full events").isEqualTo(tableFull).isPositive();
        full.get("items").forEach(i -> assertThat(i.get("kind").asText()).isEqualTo("TABLE_FULL"));
        JsonNode invalid = Http.get(instance.base(), "api/v1/reasons?kind=INVALID&resolution=1h&" + ALL_TIME).json();
        assertThat(sum(invalid.get("items"), "events")).as("invalid-packet reasons").isEqualTo(reasons).isPositive();
        long previous = Long.MAX_VALUE;
        for (JsonNode i : invalid.get("items")) {
            assertThat(i.get("events").asLong()).as("most events first").isLessThanOrEqualTo(previous);
            previous = i.get("events").asLong();
        }

        Awaitility.await("the join's InvalidDrops, emitted once their window ends").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> Http.get(instance.base(), "api/v1/invalid?limit=5").json().get("items").size() == 5);
        JsonNode recent = Http.get(instance.base(), "api/v1/invalid?limit=5").json();
        List<Instant> times = new ArrayList<>();
        recent.get("items").forEach(i -> {
            assertThat(i.get("match").asText()).isIn("MATCHED", "REASON_ONLY", "PACKET_ONLY");
            times.add(Instant.parse(i.get("eventTime").asText()));
        });
        assertThat(times).as("newest first").isSortedAccordingTo(Comparator.reverseOrder());
    }

    /** Dropstream's own counters, Kafka Streams' metrics and the JVM's in the Prometheus text. */
    private static void assertMetrics(Instance instance, CorpusExpectation expected) {
        Http metrics = Http.get(instance.base(), "metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(sample(metrics.body(), "dropstream_lines_parsed_total")).as("lines parsed")
                .isGreaterThanOrEqualTo(expected.packets());
        assertThat(metrics.body()).contains("dropstream_lines_skipped_total", "dropstream_lines_dead_lettered_total",
                "dropstream_joins_total{outcome=\"matched\"}", "dropstream_joins_total{outcome=\"unmatched_packet\"}",
                "dropstream_joins_total{outcome=\"unmatched_conntrack\"}", "kafka_stream_", "jvm_memory_used_bytes");
    }

    private static double sample(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static long sum(JsonNode items, String field) {
        long n = 0;
        for (JsonNode i : items) {
            n += i.get(field).asLong();
        }
        return n;
    }

    /** Polls {@code path} until its total packets reach {@code packets} (records still flow through the repartition). */
    static JsonNode awaitTotal(Instance instance, String path, long packets) {
        JsonNode[] last = new JsonNode[1];
        Awaitility.await("the API's total packets to reach " + packets).atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> {
                    Http r = Http.get(instance.base(), path);
                    if (r.status() != 200) {
                        return false;
                    }
                    last[0] = r.json();
                    return last[0].at("/totals/packets").asLong() >= packets;
                });
        assertThat(last[0].at("/totals/packets").asLong()).isEqualTo(packets);
        return last[0];
    }

    static Map<String, Long> seriesTotals(JsonNode drops) {
        Map<String, Long> m = new TreeMap<>();
        for (JsonNode s : drops.get("series")) {
            long sum = 0;
            for (JsonNode p : s.get("points")) {
                sum += p.get("packets").asLong();
            }
            m.put(s.at("/key/prefix").asText(), sum);
        }
        return m;
    }

    static Map<String, Long> byPrefix(CorpusExpectation expected) {
        Map<String, Long> m = new TreeMap<>();
        expected.perHour().forEach((k, n) -> m.merge(k.prefix(), n, Long::sum));
        return m;
    }

    static Map<String, Long> byPort(CorpusExpectation expected) {
        Map<String, Long> m = new TreeMap<>();
        expected.perHour().forEach((k, n) -> m.merge(Integer.toString(k.dstPort()), n, Long::sum));
        return m;
    }

    /** The {@code n} largest entries as {@code key=count}, largest first, ties by key. */
    static List<String> top(Map<String, Long> counts, int n) {
        return counts.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, Long> e) -> e.getValue()).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(n).map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private static long minutesWithPackets(CorpusExpectation expected) {
        return expected.perMinute().keySet().stream().map(DropCount::windowStart).distinct().count();
    }
}
