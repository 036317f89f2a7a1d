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
