package dev.dropstream.ingest;

import static dev.dropstream.ingest.TopicRecords.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dropstream.testkit.KafkaBroker;
import dev.dropstream.testkit.KafkaTest;
import dev.dropstream.testkit.NetnsLab;
import dev.dropstream.testkit.NetnsLab.KmsgRecord;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The /dev/kmsg source on this machine's own kernel, against a real broker: records written into the kernel log
 * through /dev/kmsg (fast, no namespace), and the records the kernel's netfilter writes for packets in a
 * throw-away network namespace ({@link NetnsLab}). Skipped, saying why, where /dev/kmsg cannot be used (not root,
 * a container) or the lab cannot run.
 */
@KafkaTest
class KmsgShipIT {
    private static final Logger LOG = LoggerFactory.getLogger(KmsgShipIT.class);
    private static final Path DEVICE = Path.of("/dev/kmsg");

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final String topic = "ship-kmsg-it-" + UUID.randomUUID();
    private final String marker = String.format(Locale.ROOT, "DSSHIP-%08x", ThreadLocalRandom.current().nextInt());
    private String host;
    private String bootId;

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private void assumeKmsg(boolean write) throws IOException {
        Assumptions.assumeTrue(NetnsLab.effectiveUid() == 0, "/dev/kmsg tests: need root, running as uid "
                + NetnsLab.effectiveUid());
        try {
            KmsgSource.requireReadable();
        } catch (IllegalStateException e) {
            Assumptions.abort("/dev/kmsg tests: " + e.getMessage());
        }
        Assumptions.assumeTrue(!write || Files.isWritable(DEVICE), "/dev/kmsg tests: /dev/kmsg is not writable");
        host = InetAddress.getLocalHost().getHostName();
        bootId = Files.readString(KmsgSource.BOOT_ID).strip();
    }

    private Shipper shipper(KafkaBroker kafka) {
        Map<String, Object> client = new HashMap<>();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        Shipper s = new Shipper(new Shipper.Settings(List.of(), client, topic, dir.resolve("checkpoints"), host, false,
                65_536, Duration.ofMillis(50), Duration.ofSeconds(30), false));
        s.addKmsg(dir.resolve("ship.kmsg"));
        return s;
    }

    private Future<?> run(Shipper s) {
        return pool.submit(() -> {
            s.run();
            return null;
        });
    }

    private static void stop(Shipper s, Future<?> running) throws Exception {
        s.stop();
        running.get();
        s.close();
    }

    /** Writes each message as one kernel log record (priority 4; the kernel files user writes under facility user). */
    private static void write(List<String> messages) throws IOException {
        try (FileOutputStream out = new FileOutputStream(DEVICE.toFile())) {
            for (String m : messages) {
                out.write(("<4>" + m + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** The records now in the ring buffer whose message starts with {@code prefix}, read with dd, not the shipper. */
    private static List<KmsgRecord> recordsStartingWith(String prefix, int count) {
        return NetnsLab.awaitRecords(-1, r -> r.message().startsWith(prefix), r -> true, count,
                "records starting with " + prefix);
    }

    /** The sequence number in the kmsg checkpoint, -1 while there is none. */
    private long checkpointSeq() throws IOException {
        Path cp = dir.resolve("ship.kmsg");
        if (!Files.exists(cp)) {
            return -1;
        }
        String[] f = Files.readString(cp).strip().split("\t");
        assertThat(f[0]).isEqualTo(bootId);
        return Long.parseLong(f[1]);
    }

    /** The record, its key and headers are exactly what the kernel wrote, this host, kmsg and its line identity. */
    private void assertArrived(List<ConsumerRecord<String, byte[]>> topicRecords, KmsgRecord k) {
        ConsumerRecord<String, byte[]> r = TopicRecords.withValue(topicRecords, k.line());
        assertThat(r.key()).isEqualTo(host);
        assertThat(header(r, KafkaLineSink.SOURCE)).isEqualTo("kmsg");
        assertThat(header(r, KafkaLineSink.LINE)).isEqualTo("kmsg:" + bootId + ":" + k.seq());
        assertThat(header(r, KafkaLineSink.CUT)).isNull();
    }

    @Test
    void recordsWrittenToTheKernelLogArriveAndAResumedShipperSendsOnlyTheNewOnes(KafkaBroker kafka) throws Exception {
        assumeKmsg(true);
        kafka.createTopic(topic, 1);
        write(List.of(marker + " first 1", marker + " first 2", marker + " first 3"));
        List<KmsgRecord> first = recordsStartingWith(marker + " first", 3);

        Shipper s = shipper(kafka);
        Future<?> running = run(s);
        TopicRecords.readUntil(kafka, topic, TopicRecords.containing(first.stream().map(KmsgRecord::line).toList()));
        stop(s, running);
        long saved = checkpointSeq();
        assertThat(saved).as("the checkpoint is past the records that were acknowledged")
                .isGreaterThanOrEqualTo(first.get(2).seq());

        write(List.of(marker + " second 1", marker + " second 2", marker + " second 3"));
        List<KmsgRecord> second = recordsStartingWith(marker + " second", 3);
        Shipper again = shipper(kafka);
        Future<?> runningAgain = run(again);
        List<ConsumerRecord<String, byte[]>> records = TopicRecords.readUntil(kafka, topic,
                TopicRecords.containing(second.stream().map(KmsgRecord::line).toList()));
        stop(again, runningAgain);

        for (KmsgRecord k : first) {
            assertArrived(records, k);
        }
        for (KmsgRecord k : second) {
            assertArrived(records, k);
        }
        TopicRecords.assertNoLineTwice(records,
                "a clean restart sends nothing twice: the ring buffer up to the checkpoint is skipped");
        assertThat(again.counters().read.sum()).as("the second run sent only what came after the checkpoint")
                .isLessThan(s.counters().read.sum());
        assertThat(s.counters().kmsgLost.sum() + again.counters().kmsgLost.sum()).isZero();
    }

    @Test
    void theVeryRecordsTheKernelWritesForPacketsInANamespaceArrive(KafkaBroker kafka) throws Exception {
        assumeKmsg(false);
        kafka.createTopic(topic, 1);
        int port = ThreadLocalRandom.current().nextInt(20_000, 60_000);
        String prefix = marker + ": ";
        try (NetnsLab lab = NetnsLab.open("dsship", "table inet dsship {\n"
                + "  chain in {\n"
                + "    type filter hook input priority 0; policy accept;\n"
                + "    tcp dport " + port + " log prefix \"" + prefix + "\" drop\n"
                + "  }\n"
                + "}\n")) {
            long before = NetnsLab.lastSeq(NetnsLab.readKmsg());
            Shipper s = shipper(kafka);
            Future<?> running = run(s);
            try {
                // The shipper has sent the ring buffer and waits in read() at its end before the packets go out.
                await().atMost(Duration.ofSeconds(60)).until(() -> checkpointSeq() >= before);
                lab.hping3(3, "-S", "-p", Integer.toString(port), "127.0.0.1");
                List<KmsgRecord> logged = NetnsLab.awaitRecords(before, r -> r.message().startsWith(prefix), r -> true,
                        3, "the LOG records of 3 SYNs to port " + port);
                List<ConsumerRecord<String, byte[]>> records = TopicRecords.readUntil(kafka, topic,
                        TopicRecords.containing(logged.stream().map(KmsgRecord::line).toList()));
                Map<String, ConsumerRecord<String, byte[]>> byLine = records.stream()
                        .collect(Collectors.toMap(TopicRecords::value, Function.identity(), (a, b) -> a));
                LOG.info("namespace {}, SYNs to 127.0.0.1:{}; in Kafka:\n{}", lab.namespace(), port, logged.stream()
                        .map(k -> TopicRecords.describe(byLine.get(k.line()))).collect(Collectors.joining("\n")));
                assertThat(logged).hasSize(3).allSatisfy(k -> {
                    assertThat(k.message()).startsWith(prefix + "IN=lo OUT= ")
                            .contains(" SRC=127.0.0.1 DST=127.0.0.1 ", " PROTO=TCP ", " DPT=" + port + " ", " SYN ");
                    assertArrived(records, k);
                });
            } finally {
                stop(s, running);
            }
        }
    }
}
