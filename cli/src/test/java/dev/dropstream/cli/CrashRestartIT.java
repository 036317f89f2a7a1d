package dev.dropstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.registry.FakeRegistryServer;
import dev.dropstream.streams.it.CorpusExpectation;
import dev.dropstream.streams.it.CorpusLine;
import dev.dropstream.streams.it.FinalResults;
import dev.dropstream.streams.it.ItClients;
import dev.dropstream.streams.it.ItPipeline;
import dev.dropstream.streams.it.Sentinels;
import dev.dropstream.testkit.KafkaBroker;
import dev.dropstream.testkit.KafkaTest;
import dev.dropstream.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once across a crash: the packaged {@code dropstream streams} in a child JVM is fed half the corpus,
 * killed ({@code SIGKILL}, no clean close) while it is working through it, started again on the same state
 * directory, fed the rest; every LOG record is then on the packets topic once and the final aggregates are
 * exactly the independent count of the whole corpus ({@link CorpusExpectation}).
 *
 * <p>The schema registry is a local HTTP one ({@link FakeRegistryServer}) that both JVMs and this test use.
 * With {@code mock://} each process numbers schemas itself, in the order it first writes them: this test could
 * not read the child's output at all, and nothing would guarantee that the restarted instance numbers them as
 * its predecessor did when it reads the Avro records left in changelogs and repartitions.
 */
@KafkaTest
class CrashRestartIT {
    private static final Logger LOG = LoggerFactory.getLogger(CrashRestartIT.class);
    private static final Path JAR = Path.of("target", "dropstream.jar");

    /** State and the children's logs; kept when the test fails. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void anInstanceKilledMidWayAndRestartedOnItsStateKeepsEveryCountExact(KafkaBroker kafka) throws Exception {
        CorpusExpectation expected = CorpusExpectation.of(Instant.now());
        List<CorpusLine> lines = expected.lines();
        int half = lines.size() / 2;
        ItPipeline run = ItPipeline.named("crash");
        run.createTopics(kafka.bootstrapServers());
        String raw = run.topic("topics.raw");

        try (FakeRegistryServer registry = new FakeRegistryServer()) {
            TopicCatalog catalog = run.catalog(registry.url());
            Process first = start(kafka, registry, run, "first");
            long committedAtKill;
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                kafka.awaitConsumerGroup(run.applicationId(), GroupState.STABLE);
                ItClients.produce(kafka.bootstrapServers(), raw, lines.subList(0, half));
                committedAtKill = Awaitility.await("the first instance working through the first half")
                        .atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                        .until(() -> committed(admin, run), n -> n >= half / 4);
                first.destroyForcibly();
                assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("the killed JVM is gone").isTrue();
            } finally {
                first.destroyForcibly();
            }
            LOG.info("killed the first instance with {} of {} raw lines committed", committedAtKill, half);
            assertThat(committedAtKill).as("raw lines committed when killed, of %d produced", half).isLessThan(half);

            Process second = start(kafka, registry, run, "second");
            try {
                ItClients.produce(kafka.bootstrapServers(), raw, lines.subList(half, lines.size()));
                FinalResults.assertEveryLogRecordOnce(kafka.bootstrapServers(), catalog, expected);
                ItClients.produce(kafka.bootstrapServers(), raw, Sentinels.lines(run, catalog, Instant.now()));
                FinalResults.assertFinalAggregates(kafka.bootstrapServers(), catalog, expected);
            } finally {
                second.destroy();
                if (!second.waitFor(60, TimeUnit.SECONDS)) {
                    second.destroyForcibly();
                }
            }
        }
    }

    /**
     * The packaged command in a child JVM, its output in {@code <name>.log}. A short session timeout, so the
     * killed instance's group member is dropped in seconds rather than the default 45.
     */
    private Process start(KafkaBroker kafka, FakeRegistryServer registry, ItPipeline run, String name) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", JAR.toString(), "streams", "--bootstrap-servers", kafka.bootstrapServers(),
                "--schema-registry-url", registry.url(), "--state-dir", dir.resolve("state").toString(),
                "--set", "session.timeout.ms=6000", "--set", "heartbeat.interval.ms=1000"));
        command.addAll(run.flags());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile())
                .start();
    }

    /** Raw-topic offsets the application has committed, summed over partitions. */
    private static long committed(Admin admin, ItPipeline run) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(run.applicationId())
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(run.topic("topics.raw")))
                .mapToLong(e -> e.getValue().offset()).sum();
    }
}
