package dev.dropstream.ingest;

import static dev.dropstream.ingest.TopicRecords.header;
import static dev.dropstream.ingest.TopicRecords.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dropstream.testkit.KafkaBroker;
import dev.dropstream.testkit.KafkaTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The syslog receivers against a real broker: both protocols, both framings, long and garbage input, the spool. */
@KafkaTest
class NetworkSourcesIT {
    private static final InetSocketAddress ANY_LOCAL_PORT = new InetSocketAddress("127.0.0.1", 0);

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final String topic = "ship-net-" + UUID.randomUUID();
    private final List<Shipper> shippers = new ArrayList<>();
    private final List<Future<?>> runs = new ArrayList<>();

    @AfterEach
    void stopShippers() throws Exception {
        for (Shipper s : shippers) {
            s.stop();
        }
        for (Future<?> f : runs) {
            f.get();
        }
        for (Shipper s : shippers) {
            s.close();
        }
        pool.shutdownNow();
    }

    private Shipper start(String bootstrap, long bufferBytes, List<String> files, InetSocketAddress metrics) {
        Map<String, Object> client = new HashMap<>();
        client.put("bootstrap.servers", bootstrap);
        Shipper s = new Shipper(new Shipper.Settings(files, client, topic, dir.resolve("checkpoints"), "test-host",
                false, 65_536, Duration.ofMillis(50), Duration.ofSeconds(30), false),
                new NetworkSettings(ANY_LOCAL_PORT, ANY_LOCAL_PORT, 64, bufferBytes, dir.resolve("spool"), 64L << 20),
                metrics);
        shippers.add(s);
        s.listen();
        runs.add(pool.submit(() -> {
            s.runFiles();
            return null;
        }));
        return s;
    }

    private Shipper start(KafkaBroker kafka) {
        return start(kafka.bootstrapServers(), NetworkSettings.DEFAULT_BUFFER_BYTES, List.of(), null);
    }

    private static String peer(String scheme, Socket s) {
        return scheme + "://127.0.0.1:" + s.getLocalPort();
    }

    @Test
    void udpMessagesInBothFormatsAreKeyedByTheirHeaderElseByThePeer(KafkaBroker kafka) throws IOException {
        kafka.createTopic(topic, 1);
        Shipper s = start(kafka);
        String a = Syslog.rfc3164("fw1", "[UFW BLOCK] IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP SPT=1 DPT=22");
        String b = Syslog.rfc5424("fw2", "[UFW BLOCK] IN=eth0 OUT= SRC=10.0.0.3 DST=10.0.0.4 PROTO=UDP SPT=5 DPT=53");
        String bare = "[UFW BLOCK] IN=eth0 OUT= SRC=10.0.0.5 DST=10.0.0.6 PROTO=ICMP TYPE=8";
        Syslog.udp(s.udpAddress(), a, b, bare);

        List<ConsumerRecord<String, byte[]>> records = TopicRecords.readUntil(kafka, topic, rs -> rs.size() >= 3);

        assertThat(records).extracting(TopicRecords::value).containsExactly(a, b, bare);
        assertThat(records).extracting(ConsumerRecord::key).containsExactly("fw1", "fw2", "127.0.0.1");
        assertThat(records).allSatisfy(r -> {
            assertThat(header(r, KafkaLineSink.SOURCE)).startsWith("udp://127.0.0.1:");
            assertThat(header(r, KafkaLineSink.LINE)).startsWith("net:");
            assertThat(header(r, KafkaLineSink.CUT)).isNull();
        });
    }

    @Test
    void tcpWithBothFramingsOverManyConnectionsKeepsEachSendersOrder(KafkaBroker kafka) throws Exception {
        kafka.createTopic(topic, 3);
        Shipper s = start(kafka);
        int connections = 12;
        int each = 100;
        List<Future<?>> senders = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int conn = c;
            senders.add(pool.submit(() -> {
                try (Socket socket = Syslog.connect(s.tcpAddress())) {
                    for (int i = 0; i < each; i++) {
                        String host = "c" + conn;
                        String text = "[UFW BLOCK] IN=eth0 SRC=10.1." + conn + "." + i + " seq=" + i;
                        String m = i % 2 == 0 ? Syslog.rfc3164(host, text) : Syslog.rfc5424(host, text);
                        // Connections 0-3 frame by newline (LF, some CRLF), 4-7 count octets, 8-11 alternate.
                        boolean octets = conn >= 4 && (conn < 8 || i % 2 == 1);
                        Syslog.write(socket, octets ? Syslog.octets(m) : Syslog.newline(i % 3 == 0 ? m + "\r" : m));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : senders) {
            f.get();
        }

        List<ConsumerRecord<String, byte[]>> records =
                TopicRecords.readUntil(kafka, topic, rs -> rs.size() >= connections * each);

        assertThat(records).hasSize(connections * each);
        Map<String, List<Integer>> seqByHost = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            String v = value(r);
            assertThat(v).doesNotEndWith("\r").contains(" " + r.key() + " kernel");
            assertThat(header(r, KafkaLineSink.SOURCE)).startsWith("tcp://127.0.0.1:");
            seqByHost.computeIfAbsent(r.key(), k -> new ArrayList<>())
                    .add(Integer.parseInt(v.substring(v.indexOf("seq=") + 4)));
        }
        assertThat(seqByHost).hasSize(connections);
        List<Integer> inOrder = java.util.stream.IntStream.range(0, each).boxed().toList();
        assertThat(seqByHost.values()).allSatisfy(seqs -> assertThat(seqs).isEqualTo(inOrder));
        assertThat(s.counters().badFrames.sum()).isZero();
    }

    @Test
    void aOneMebibyteMessageIsCutAndFlaggedInBothFramings(KafkaBroker kafka) throws IOException {
        kafka.createTopic(topic, 1);
        Shipper s = start(kafka);
        String huge = Syslog.rfc3164("big", "x".repeat(1 << 20));
        String after = Syslog.rfc3164("big", "the next message");
        try (Socket socket = Syslog.connect(s.tcpAddress())) {
            Syslog.write(socket, Syslog.octets(huge), Syslog.newline(huge), Syslog.newline(after));
        }

        List<ConsumerRecord<String, byte[]>> records = TopicRecords.readUntil(kafka, topic, rs -> rs.size() >= 3);

        assertThat(records).hasSize(3);
        for (ConsumerRecord<String, byte[]> r : records.subList(0, 2)) {
            assertThat(r.value()).hasSize(65_536);
            assertThat(value(r)).isEqualTo(huge.substring(0, 65_536));
            assertThat(header(r, KafkaLineSink.CUT)).isEqualTo("1");
            assertThat(r.key()).isEqualTo("big");
        }
        assertThat(value(records.get(2))).isEqualTo(after);
        assertThat(header(records.get(2), KafkaLineSink.CUT)).isNull();
        assertThat(s.counters().cut.sum()).isEqualTo(2);
    }

    @Test
    void binaryGarbageNeitherCrashesAConnectionNorLosesWhatFollows(KafkaBroker kafka) throws IOException {
        kafka.createTopic(topic, 1);
        Shipper s = start(kafka);
        byte[] garbage = new byte[20_000];
        new Random(5424).nextBytes(garbage);
        for (int i = 0; i < garbage.length; i++) {
            if (garbage[i] >= '0' && garbage[i] <= '9') {
                garbage[i] = '#';   // a digit could start a valid octet count that swallows the next messages
            }
        }
        List<String> wanted = new ArrayList<>();
        try (Socket socket = Syslog.connect(s.tcpAddress())) {
            Syslog.write(socket, garbage, Syslog.newline(""), "99999999999 a count no frame can have\n".getBytes(
                    StandardCharsets.US_ASCII));
            for (int i = 0; i < 10; i++) {
                String m = Syslog.rfc5424("after", "message " + i);
                wanted.add(m);
                Syslog.write(socket, i % 2 == 0 ? Syslog.octets(m) : Syslog.newline(m));
            }
        }
        Syslog.udp(s.udpAddress(), new String(garbage, 0, 1000, StandardCharsets.ISO_8859_1));
        Syslog.udp(s.udpAddress(), wanted.get(0));

        List<ConsumerRecord<String, byte[]>> records = TopicRecords.readUntil(kafka, topic,
                rs -> rs.stream().filter(r -> "after".equals(r.key())).count() == 11);

        assertThat(records.stream().filter(r -> "after".equals(r.key())).map(TopicRecords::value))
                .containsAll(wanted);
        assertThat(s.counters().badFrames.sum()).isEqualTo(1);
    }

    @Test
    void aSpoolLeftByARunWithoutKafkaIsSentFirstByTheNextRun(KafkaBroker kafka) throws Exception {
        kafka.createTopic(topic, 1);
        Shipper offline = start("127.0.0.1:" + freePort(), 1024, List.of(), null);
        List<String> wanted = new ArrayList<>();
        try (Socket socket = Syslog.connect(offline.tcpAddress())) {
            for (int i = 0; i < 300; i++) {
                wanted.add(Syslog.rfc3164("relay", "spooled " + i));
                Syslog.write(socket, Syslog.newline(wanted.get(i)));
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> offline.counters().read.sum() == 300);
        offline.stop();
        runs.remove(0).get();
        shippers.remove(offline);
        offline.close();
        assertThat(spoolSegments()).isNotEmpty();
        assertThat(offline.counters().sent.sum()).isZero();

        Shipper online = start(kafka);
        try (Socket socket = Syslog.connect(online.tcpAddress())) {
            for (int i = 0; i < 10; i++) {
                wanted.add(Syslog.rfc3164("relay", "live " + i));
                Syslog.write(socket, Syslog.newline(wanted.get(wanted.size() - 1)));
            }
        }

        List<ConsumerRecord<String, byte[]>> records = TopicRecords.readUntil(kafka, topic, rs -> rs.size() >= 310);
        assertThat(records).extracting(TopicRecords::value).containsExactlyElementsOf(wanted);
        await().atMost(Duration.ofSeconds(30)).until(() -> spoolSegments().isEmpty());
        assertThat(online.counters().spoolBytes.get()).isZero();
    }

    private List<Path> spoolSegments() throws IOException {
        Path spool = dir.resolve("spool");
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(spool)) {
            return s.filter(p -> p.toString().endsWith(Spool.SUFFIX)).toList();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void metricsServeTheCountersAfterTraffic(KafkaBroker kafka) throws Exception {
        kafka.createTopic(topic, 1);
        Path log = dir.resolve("kern.log");
        Files.writeString(log, Syslog.rfc3164("fw1", "from a file 1") + "\n" + Syslog.rfc3164("fw1", "from a file 2")
                + "\n");
        Shipper s = start(kafka.bootstrapServers(), NetworkSettings.DEFAULT_BUFFER_BYTES, List.of(log.toString()),
                ANY_LOCAL_PORT);
        Syslog.udp(s.udpAddress(), Syslog.rfc3164("fw2", "one"), Syslog.rfc3164("fw2", "two"));
        await().atMost(Duration.ofSeconds(30)).until(() -> s.counters().acked.sum() == 4);
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + s.metricsAddress().getPort() + "/metrics");

        HttpResponse<String> r = await().atMost(Duration.ofSeconds(10)).until(
                () -> http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()),
                resp -> resp.body().contains("dropstream_ship_file_behind_bytes{file=\"" + log.toAbsolutePath()));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(ShipperMetrics.CONTENT_TYPE);
        String text = r.body();
        assertThat(metric(text, "dropstream_ship_lines_read_total")).isEqualTo(4);
        assertThat(metric(text, "dropstream_ship_lines_sent_total")).isEqualTo(4);
        assertThat(metric(text, "dropstream_ship_lines_acknowledged_total")).isEqualTo(4);
        assertThat(metric(text, "dropstream_ship_file_behind_bytes\\{file=\"[^\"]+\"}")).isZero();
        assertThat(metric(text, "dropstream_ship_last_ack_seconds"))
                .isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(120.0));
        for (String zero : List.of("dropstream_ship_lines_cut_total", "dropstream_ship_lines_dropped_total",
                "dropstream_ship_lines_filtered_total", "dropstream_ship_send_failures_total",
                "dropstream_ship_truncations_total", "dropstream_ship_bad_frames_total", "dropstream_ship_cut_bytes_total",
                "dropstream_ship_buffer_bytes", "dropstream_ship_spool_bytes")) {
            assertThat(metric(text, zero)).as(zero).isZero();
        }
        assertThat(text).contains("# HELP dropstream_ship_lines_dropped_total Network messages dropped");
        assertThat(http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(405);
        assertThat(http.send(HttpRequest.newBuilder(uri.resolve("/metrics/x")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
    }

    /** The value of the sample named {@code name} (a regex) in a Prometheus text exposition. */
    private static double metric(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("%s in%n%s", name, text).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
