package dev.dropstream.cli.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dropstream.cli.CliRun;
import dev.dropstream.query.QueryServer;
import dev.dropstream.query.QuerySettings;
import dev.dropstream.streams.DropstreamApp;
import dev.dropstream.streams.StreamsAppConfig;
import dev.dropstream.streams.it.CorpusExpectation;
import dev.dropstream.streams.it.ItClients;
import dev.dropstream.streams.it.ItPipeline;
import dev.dropstream.testkit.KafkaBroker;
import dev.dropstream.testkit.KafkaTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dropstream query} against a running application and query server with a token, after the corpus went
 * through it: the tables show the counts computed independently from the same lines, {@code --json} is the
 * API's answer, and refusals are one sentence.
 */
@KafkaTest
class QueryCommandIT {
    private static final String TOKEN = "cli-secret";
    private static final String[] ALL_TIME = {"--from", "0", "--to", "2200-01-01T00:00:00Z", "--resolution", "1h"};

    @TempDir
    Path stateDir;

    @Test
    void printsTheCountsOfARunningServer(KafkaBroker kafka) throws Exception {
        CorpusExpectation expected = CorpusExpectation.of(Instant.now());
        ItPipeline run = ItPipeline.named("query-command");
        run.createTopics(kafka.bootstrapServers());
        QueryServer server = QueryServer.bind(QuerySettings.of("127.0.0.1:0", TOKEN, ""));
        Map<String, String> flags = new TreeMap<>(run.settings());
        flags.put("bootstrap.servers", kafka.bootstrapServers());
        flags.put("schema.registry.url", "mock://" + run.applicationId());
        flags.put("state.dir", stateDir.toString());
        flags.put("application.server", server.applicationServer());
        try (server; DropstreamApp app = DropstreamApp.start(StreamsAppConfig.load(null, Map.of(), flags), stateDir)) {
            server.serve(app.streams(), null);
            ItClients.produce(kafka.bootstrapServers(), run.topic("topics.raw"), expected.lines());
            String url = server.baseUri().toString();
            Awaitility.await("every packet in the API").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        // 503 while the application starts; the table once it answers
                        CliRun r = CliRun.run(query(url, "drops", "--group", "total"));
                        return r.exit() == 0 && total(r) == expected.packets();
                    });

            CliRun top = CliRun.run(query(url, "top", "ports", "--limit", "5"));
            assertThat(top.exit()).as(top.err()).isZero();
            List<String> lines = top.out().lines().toList();
            assertThat(lines.get(1)).matches("PORTS +PACKETS +BYTES");
            List<String> rows = new ArrayList<>();
            for (String l : lines.subList(2, lines.size())) {
                String[] cells = l.trim().split(" +");
                rows.add(cells[0] + "=" + cells[1]);
            }
            assertThat(rows).isEqualTo(topPorts(expected, 5));

            long ufwSsh = expected.perHour().entrySet().stream()
                    .filter(e -> e.getKey().prefix().equals("[UFW BLOCK] ") && e.getKey().dstPort() == 22)
                    .mapToLong(Map.Entry::getValue).sum();
            assertThat(total(query(url, "drops", "--prefix", "[UFW BLOCK]", "--port", "22"))).isEqualTo(ufwSsh)
                    .isPositive();

            CliRun json = CliRun.run(query(url, "top", "ports", "--limit", "5", "--json"));
            assertThat(json.exit()).isZero();
            assertThat(json.object()).isEqualTo(new ObjectMapper().readTree(get(url
                    + "api/v1/top/ports?from=0&to=2200-01-01T00:00:00Z&resolution=1h&limit=5")));

            CliRun hosts = CliRun.run("query", "hosts", "--url", url, "--token", TOKEN);
            assertThat(hosts.exit()).isZero();
            assertThat(hosts.out().lines().findFirst().orElseThrow()).matches("HOST +LAST SEEN +RECORDS");

            CliRun badSince = CliRun.run("query", "drops", "--since", "1w", "--url", url, "--token", TOKEN);
            assertThat(badSince.exit()).isEqualTo(2);
            assertThat(badSince.errLines()).containsExactly(
                    "dropstream: since must be a duration such as 90s, 15m, 1h, 24h or 7d, not '1w'.");

            CliRun noToken = CliRun.run("query", "hosts", "--url", url);
            assertThat(noToken.exit()).isEqualTo(1);
            assertThat(noToken.errLines()).containsExactly("dropstream: the query API at " + url
                    + " answered 401: this server needs Authorization: Bearer <token>.");
        }
    }

    private static String[] query(String url, String... args) {
        List<String> all = new ArrayList<>(List.of("query"));
        all.addAll(List.of(args));
        all.addAll(List.of(ALL_TIME));
        all.addAll(List.of("--url", url, "--token", TOKEN));
        return all.toArray(String[]::new);
    }

    /** The packets of the "total:" line of a drops table. */
    private static long total(String[] args) {
        CliRun r = CliRun.run(args);
        assertThat(r.exit()).as(r.err()).isZero();
        return total(r);
    }

    private static long total(CliRun r) {
        String last = r.out().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(last).startsWith("total: ");
        return Long.parseLong(last.substring("total: ".length(), last.indexOf(" packets")));
    }

    private static List<String> topPorts(CorpusExpectation expected, int n) {
        Map<String, Long> ports = new TreeMap<>();
        expected.perHour().forEach((k, c) -> ports.merge(Integer.toString(k.dstPort()), c, Long::sum));
        return ports.entrySet().stream().sorted(Comparator.comparing((Map.Entry<String, Long> e) -> e.getValue())
                .reversed().thenComparing(Map.Entry::getKey)).limit(n).map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
