package dev.dropstream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dropstream.schema.PacketEvent;
import dev.dropstream.streams.it.ItClients;
import dev.dropstream.streams.it.ItPipeline;
import dev.dropstream.testkit.KafkaBroker;
import dev.dropstream.testkit.KafkaTest;
import dev.dropstream.testkit.NetnsLab;
import dev.dropstream.testkit.StreamsAwait;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rsyslog as the shipper, configured exactly as the README says: a real {@code rsyslogd} with {@code omkafka}
 * (Debian's {@code rsyslog} and {@code rsyslog-kafka}, which {@code .ci/run} installs) receives real UFW records
 * as kernel-facility syslog over UDP, sends them to the test broker with the README's action and templates, and
 * the topology turns every one into a packet event of the right host and prefix.
 */
@KafkaTest
class RsyslogOmkafkaIT {
    private static final Path OMKAFKA = Path.of("/usr/lib/x86_64-linux-gnu/rsyslog/omkafka.so");
    private static final List<String> HOSTS = List.of("fw-a", "fw-b", "edge-1");
    private static final int LINES = 300;
    private static final Pattern README_BLOCK = Pattern.compile(
            "\\*\\*rsyslog\\*\\*.*?```\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PREFIX = Pattern.compile("\\] (\\[UFW [A-Z]+\\] )IN=");

    @TempDir
    Path dir;

    @Test
    void theReadmeConfigurationShipsKernelLinesThatTheTopologyParsesByHost(KafkaBroker kafka) throws Exception {
        String rsyslogd = NetnsLab.which("rsyslogd");
        assumeTrue(rsyslogd != null && Files.exists(OMKAFKA),
                "rsyslogd with omkafka is not installed (Debian packages rsyslog and rsyslog-kafka)");
        ItPipeline run = ItPipeline.named("rsyslog");
        run.createTopics(kafka.bootstrapServers());
        String raw = run.topic("topics.raw");
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path conf = dir.resolve("rsyslog.conf");
        Files.writeString(conf, "global(workDirectory=\"" + dir + "\")\n"
                + "module(load=\"imudp\")\ninput(type=\"imudp\" address=\"127.0.0.1\" port=\"" + port + "\")\n"
                + readmeConfiguration().replace("\"kafka:9092\"", "\"" + kafka.bootstrapServers() + "\"")
                        .replace("topic=\"netlog.raw\"", "topic=\"" + raw + "\""));
        Process rsyslog = new ProcessBuilder(rsyslogd, "-n", "-f", conf.toString(), "-i", dir.resolve("pid").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("rsyslogd.out").toFile()).start();
        try (DatagramSocket udp = new DatagramSocket()) {
            Syslogger syslog = new Syslogger(udp, port);
            syslog.awaitDelivery(kafka.bootstrapServers(), raw);
            List<Sent> sent = syslog.sendUfwRecords();
            List<ConsumerRecord<String, String>> shipped = ItClients.readCommitted(kafka.bootstrapServers(), raw,
                    new StringDeserializer(), new StringDeserializer(), r -> r.size() > sent.size(), Duration.ofMinutes(1));
            assertThat(shipped.stream().filter(r -> r.value().contains("[UFW ")))
                    .as("every line, keyed by its host").hasSize(sent.size())
                    .allSatisfy(r -> assertThat(r.value()).contains(" " + r.key() + " kernel: "));

            StreamsAppConfig config = run.config(kafka.bootstrapServers(), "mock://" + run.applicationId(), dir.resolve("state"));
            try (DropstreamApp app = DropstreamApp.start(config, dir.resolve("state"))) {
                StreamsAwait.awaitStreamsState(app.streams(), KafkaStreams.State.RUNNING);
                List<ConsumerRecord<String, PacketEvent>> packets = ItClients.readCommitted(kafka.bootstrapServers(),
                        app.topics().packets().name(), app.topics().packets().keySerde().deserializer(),
                        app.topics().packets().valueSerde().deserializer(), r -> r.size() >= sent.size(),
                        Duration.ofMinutes(2));
                assertThat(countBy(packets, r -> r.key() + " " + r.value().getPrefix()))
                        .isEqualTo(sent.stream().collect(Collectors.groupingBy(s -> s.host() + " " + s.prefix(),
                                TreeMap::new, Collectors.counting())));
                assertThat(packets).allSatisfy(r -> assertThat(r.value().getHost()).isEqualTo(r.key()));
            }
        } finally {
            rsyslog.destroy();
            rsyslog.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The rsyslog configuration block of the README's "Other shippers" section, as a user would copy it. */
    private static String readmeConfiguration() throws IOException {
        Path readme = Path.of("").toAbsolutePath().resolveSibling("README.md");
        Matcher m = README_BLOCK.matcher(Files.readString(readme));
        assertThat(m.find()).as("the README shows an rsyslog configuration").isTrue();
        return m.group(1);
    }

    private static <T> Map<String, Long> countBy(List<T> items, Function<T, String> key) {
        return items.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
    }

    private record Sent(String host, String prefix) {
    }

    /** Sends kernel-facility RFC 3164 messages, as a host's kernel log reaches a relay. */
    private record Syslogger(DatagramSocket socket, int port) {
        private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT);

        /** Sends a line that is not netfilter until rsyslog has passed one on: it may still be starting. */
        void awaitDelivery(String bootstrapServers, String topic) throws IOException {
            for (int attempt = 0; attempt < 60; attempt++) {
                send("probe", "rsyslog probe " + attempt);
                if (!ItClients.readCommitted(bootstrapServers, topic, new StringDeserializer(), new StringDeserializer(),
                        r -> !r.isEmpty(), Duration.ofSeconds(1)).isEmpty()) {
                    return;
                }
            }
            throw new AssertionError("rsyslogd passed nothing to Kafka within a minute");
        }

        /** The first UFW records of the cs456 corpus file, each from one of the hosts, with a header of now. */
        List<Sent> sendUfwRecords() throws IOException {
            List<String> lines = Corpus.lines("cs456-blueteam/ufw.log").stream()
                    .filter(l -> PREFIX.matcher(l).find()).limit(LINES).toList();
            List<Sent> sent = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String body = lines.get(i).substring(lines.get(i).indexOf(" kernel: ") + " kernel: ".length());
                Matcher prefix = PREFIX.matcher(body);
                assertThat(prefix.find()).isTrue();
                String host = HOSTS.get(i % HOSTS.size());
                send(host, body);
                sent.add(new Sent(host, prefix.group(1)));
            }
            return sent;
        }

        private void send(String host, String message) throws IOException {
            // PRI 4: facility kern (0), severity warning, as the kernel logs LOG-target records.
            String line = "<4>" + STAMP.format(LocalDateTime.now(ZoneOffset.UTC)) + " " + host + " kernel: " + message;
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
        }
    }
}
