package dev.dropstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dropstream.streams.Names;
import dev.dropstream.streams.it.CorpusExpectation;
import dev.dropstream.streams.it.ItClients;
import dev.dropstream.streams.it.ItPipeline;
import dev.dropstream.testkit.KafkaBroker;
import dev.dropstream.testkit.KafkaTest;
import dev.dropstream.testkit.StreamsAwait;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code dropstream streams} instances of one application (same id, their own state directories and query
 * ports, an input topic of three partitions): the same query on either gives the same fleet-wide answer, equal
 * to an independent count of the corpus; after one of them stops and the survivor has taken over its tasks, the
 * survivor alone gives the same answer. While the application rebalances the API answers 503 and the test waits
 * for readiness.
 */
@KafkaTest
class FleetIT {
    private static final String TOP_PORTS = "api/v1/top/ports?limit=20&resolution=1h&" + QueryApiIT.ALL_TIME;
    private static final String DROPS = "api/v1/drops?resolution=1h&" + QueryApiIT.ALL_TIME;
    private static final String HOSTS = "api/v1/hosts";

    @TempDir
    Path stateA;
    @TempDir
    Path stateB;

    @Test
    void eitherInstanceAnswersForTheWholeFleetBeforeAndAfterTheOtherStops(KafkaBroker kafka) throws Exception {
        CorpusExpectation expected = CorpusExpectation.of(Instant.now());
        ItPipeline run = ItPipeline.named("fleet");
        run.createTopics(kafka.bootstrapServers());
        try (Instance a = Instance.start(run, kafka.bootstrapServers(), stateA, "fleet-secret");
                Instance b = Instance.start(run, kafka.bootstrapServers(), stateB, "fleet-secret")) {
            Awaitility.await("both instances to hold partitions of the drop store").atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> a.app().streams().state() == KafkaStreams.State.RUNNING
                            && b.app().streams().state() == KafkaStreams.State.RUNNING
                            && a.app().streams().streamsMetadataForStore(Names.DROPS_1H_STORE).size() == 2);
            ItClients.produce(kafka.bootstrapServers(), run.topic("topics.raw"), expected.lines());

            JsonNode dropsA = awaitTotal(a, expected.packets());
            JsonNode dropsB = awaitTotal(b, expected.packets());
            assertThat(dropsB).as("the same answer from either instance").isEqualTo(dropsA);
            assertThat(QueryApiIT.seriesTotals(dropsA)).isEqualTo(QueryApiIT.byPrefix(expected));
            JsonNode topA = get(a, TOP_PORTS);
            assertThat(portsOf(topA)).isEqualTo(QueryApiIT.top(QueryApiIT.byPort(expected), 20));
            assertThat(get(b, TOP_PORTS)).isEqualTo(topA);
            JsonNode hostsA = get(a, HOSTS);
            assertThat(get(b, HOSTS)).isEqualTo(hostsA);
            assertThat(Http.get(a.base(), TOP_PORTS).status()).as("the fleet shares the token").isEqualTo(401);

            b.close();
            StreamsAwait.awaitStreamsState(a.app().streams(), KafkaStreams.State.RUNNING);
            JsonNode alone = awaitTotal(a, expected.packets());
            assertThat(a.app().streams().streamsMetadataForStore(Names.DROPS_1H_STORE)).hasSize(1);
            assertThat(alone).as("the survivor's answer, from every partition").isEqualTo(dropsA);
            assertThat(get(a, TOP_PORTS)).isEqualTo(topA);
            assertThat(get(a, HOSTS)).isEqualTo(hostsA);
        }
    }

    /** The answer once it is 200 (during a rebalance it is 503) and holds every packet. */
    private static JsonNode awaitTotal(Instance instance, long packets) {
        JsonNode[] last = new JsonNode[1];
        Awaitility.await("a whole answer from " + instance.base()).atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    Http r = get(instance.base(), DROPS);
                    if (r.status() == 503) {
                        assertThat(r.headers().firstValue("Retry-After")).contains("1");
                        return false;
                    }
                    assertThat(r.status()).as(r.body()).isEqualTo(200);
                    last[0] = r.json();
                    return last[0].at("/totals/packets").asLong() >= packets;
                });
        assertThat(last[0].at("/totals/packets").asLong()).isEqualTo(packets);
        return last[0];
    }

    private static JsonNode get(Instance instance, String path) {
        Http r = get(instance.base(), path);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static Http get(java.net.URI base, String path) {
        return Http.send(java.net.http.HttpRequest.newBuilder(base.resolve(path)).GET()
                .header("Authorization", "Bearer fleet-secret"));
    }

    private static List<String> portsOf(JsonNode top) {
        List<String> ports = new java.util.ArrayList<>();
        top.get("items").forEach(i -> ports.add(i.get("value").asText() + "=" + i.get("packets").asLong()));
        return ports;
    }
}
