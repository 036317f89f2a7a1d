package dev.dropstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dropstream.schema.PacketEvent;
import dev.dropstream.streams.Corpus;
import dev.dropstream.streams.it.CorpusLine;
import dev.dropstream.streams.it.ItClients;
import dev.dropstream.streams.it.ItPipeline;
import dev.dropstream.testkit.KafkaBroker;
import dev.dropstream.testkit.KafkaTest;
import dev.dropstream.topics.TopicCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.GroupState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dropstream streams} through its Java entry point against the testkit broker: what a user sees when
 * Kafka cannot be used (one sentence, a non-zero status), and lines becoming packet records when it can.
 */
@KafkaTest
class StreamsCommandIT {
    private static final String NL = System.lineSeparator();

    @TempDir
    Path stateDir;

    @Test
    void saysInOneSentenceThatKafkaCannotBeReached() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String address = "127.0.0.1:" + closedPort;
        StringWriter err = new StringWriter();

        int exit = command(err).execute("streams", "--bootstrap-servers", address, "--state-dir", stateDir.toString(),
                "--set", "startup.timeout=3s", "--listen", "127.0.0.1:0");

        assertThat(exit).isNotZero();
        assertThat(err.toString()).isEqualTo("dropstream: cannot reach Kafka at " + address + " within 3 s." + NL);
    }

    @Test
    void saysInOneSentenceThatTheInputTopicIsMissing(KafkaBroker kafka) {
        ItPipeline run = ItPipeline.named("no-input");
        StringWriter err = new StringWriter();

        List<String> args = new ArrayList<>(List.of("streams", "--bootstrap-servers", kafka.bootstrapServers(),
                "--state-dir", stateDir.toString(), "--set", "startup.timeout=10s"));
        args.addAll(run.flags());
        int exit = command(err).execute(args.toArray(String[]::new));

        assertThat(exit).isNotZero();
        assertThat(err.toString()).isEqualTo("dropstream: the input topic " + run.topic("topics.raw") + " does not exist on "
                + kafka.bootstrapServers() + "; create it, or set topics.raw to the topic your shippers write to." + NL);
    }

    @Test
    void turnsRawLinesIntoPacketRecordsUntilStopped(KafkaBroker kafka) throws Exception {
        ItPipeline run = ItPipeline.named("command");
        kafka.createTopic(run.topic("topics.raw"), ItPipeline.PARTITIONS);
        String registry = "mock://" + run.applicationId();
        List<String> args = new ArrayList<>(List.of("streams", "--bootstrap-servers", kafka.bootstrapServers(),
                "--state-dir", stateDir.toString(), "--schema-registry-url", registry));
        args.addAll(run.flags());
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread streams = new Thread(() -> exit.complete(command(err).execute(args.toArray(String[]::new))),
                "dropstream-streams-command");
        streams.start();
        try {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                await("the application in its consumer group").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .failFast("the command ended early", exit::isDone)
                        .until(() -> admin.describeConsumerGroups(List.of(run.applicationId())).all().get()
                                .get(run.applicationId()).groupState() == GroupState.STABLE);
            }
            // Lines without a calendar stamp take the record's time, now: the topics the command creates keep 7 days.
            List<String> lines = Corpus.lines("kernel-lab/v4-tcp.log").subList(0, 3);
            List<CorpusLine> records = new ArrayList<>();
            lines.forEach(l -> records.add(new CorpusLine("v4-tcp.log", records.size() + 1, l, "labB", null)));
            ItClients.produce(kafka.bootstrapServers(), run.topic("topics.raw"), records);

            TopicCatalog.Topic<String, PacketEvent> packets = run.catalog(registry).packets();
            List<ConsumerRecord<String, PacketEvent>> out = ItClients.readCommitted(kafka.bootstrapServers(),
                    packets.name(), packets.keySerde().deserializer(), packets.valueSerde().deserializer(),
                    read -> read.size() >= lines.size(), Duration.ofSeconds(60));

            assertThat(out).hasSize(lines.size()).allSatisfy(r -> assertThat(r.key()).isEqualTo("labB"));
            assertThat(out).extracting(r -> r.value().getPrefix())
                    .containsExactlyInAnyOrder("LAB-A-OUT-UID ", "LAB-NFT-ALL ", "LAB-NFT-RST-OUT ");
            assertThat(out).extracting(r -> r.value().getPacket().getDstPort()).containsExactlyInAnyOrder(7001, 7001, 46672);
        } finally {
            streams.interrupt();
        }
        assertThat(exit.get(60, TimeUnit.SECONDS)).as("exit status when stopped").isZero();
        assertThat(err.toString()).startsWith("dropstream: streams running against " + kafka.bootstrapServers());
    }

    private static picocli.CommandLine command(StringWriter err) {
        return DropstreamCommand.commandLine().setErr(new PrintWriter(err, true));
    }
}
