package dev.dropstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dropstream.testkit.KafkaBroker;
import dev.dropstream.testkit.KafkaTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipper against a real broker: rotation, a crash, a broker outage — every line arrives. */
@KafkaTest(fresh = true)
class ShipperIT {
    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final String topic = "ship-it-" + UUID.randomUUID();
    private int savedAtCrash;

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private Shipper shipper(KafkaBroker kafka, List<String> paths) {
        Map<String, Object> client = new HashMap<>();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        return new Shipper(new Shipper.Settings(paths, client, topic, dir.resolve("checkpoints"), "test-host", false,
                65_536, Duration.ofMillis(50), Duration.ofSeconds(30), false));
    }

    private static String line(int i) {
        return "Nov 25 10:00:00 fw" + (i % 3) + " kernel: [UFW BLOCK] IN=eth0 OUT= SRC=10.0.0." + (i % 250)
                + " DST=10.0.1.1 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=" + i + " PROTO=TCP SPT=1 DPT=22 WINDOW=5 "
                + "RES=0x00 SYN URGP=0 ";
    }

    private static void append(Path file, int from, int to) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(line(i)).append('\n');
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Every record of the topic: values, and each record's line-identity header. */
    private List<ConsumerRecord<String, byte[]>> readAll(KafkaBroker kafka, int atLeast) {
        List<ConsumerRecord<String, byte[]>> out = readUntil(kafka, rs -> rs.size() >= atLeast);
        try (KafkaConsumer<String, byte[]> c = consumer(kafka)) {
            // A last look for anything beyond what was waited for (a duplicate too many would show here).
            c.subscribe(List.of(topic));
            List<ConsumerRecord<String, byte[]>> again = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                c.poll(Duration.ofMillis(200)).forEach(again::add);
                return again.size() >= out.size();
            });
            c.poll(Duration.ofMillis(300)).forEach(again::add);
            return again;
        }
    }

    private static Set<String> distinctLines(List<ConsumerRecord<String, byte[]>> records) {
        Set<String> s = new HashSet<>();
        records.forEach(r -> s.add(new String(r.value(), StandardCharsets.UTF_8)));
        return s;
    }

    private Future<?> run(Shipper s) {
        return pool.submit(() -> {
            s.runFiles();
            return null;
        });
    }

    @Test
    void rotationByRenameAndByCopytruncateWhileWritingLosesNothing(KafkaBroker kafka) throws Exception {
        kafka.createTopic(topic, 3);
        Path log = dir.resolve("kern.log");
        append(log, 0, 500);
        Shipper s = shipper(kafka, List.of(log.toString()));
        Future<?> running = run(s);
        append(log, 500, 1000);
        await().atMost(Duration.ofSeconds(30)).until(() -> s.counters().acked.sum() >= 1000);
        // logrotate's default: rename, then a new file of the same name.
        Files.move(log, dir.resolve("kern.log.1"));
        append(dir.resolve("kern.log.1"), 1000, 1200);   // the writer still had the old file open
        append(log, 1200, 1700);
        await().atMost(Duration.ofSeconds(30)).until(() -> s.counters().acked.sum() >= 1700);
        // copytruncate: copy away, cut the file back to zero in place, keep writing.
        Files.copy(log, dir.resolve("kern.log.2"));
        try (var ch = java.nio.channels.FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        append(log, 1700, 2000);
        await().atMost(Duration.ofSeconds(30)).until(() -> s.counters().acked.sum() >= 2000);
        s.stop();
        running.get();
        s.close();
        List<ConsumerRecord<String, byte[]>> records = readAll(kafka, 2000);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            expected.add(line(i));
        }
        assertThat(distinctLines(records)).isEqualTo(expected);
        assertThat(records).hasSize(2000);
        assertThat(records).allSatisfy(r -> assertThat(r.key()).matches("fw[012]"));
    }

    @Test
    void aCrashLosesNothingAndTheHeaderMarksTheDuplicates(KafkaBroker kafka) throws Exception {
        kafka.createTopic(topic, 2);
        Path log = dir.resolve("ufw.log");
        append(log, 0, 3000);
        Shipper first = shipper(kafka, List.of(log.toString()));
        Future<?> running = run(first);
        await().atMost(Duration.ofSeconds(30)).until(() -> savedLines(log) >= 1000);
        first.abandon();              // no last checkpoint, the producer drops what it holds: a crash
        running.get();
        first.close();
        append(log, 3000, 4000);
        Shipper second = shipper(kafka, List.of(log.toString()));
        Future<?> again = run(second);
        List<ConsumerRecord<String, byte[]>> records = readUntil(kafka, rs -> lineIds(rs).size() >= 4000);
        second.stop();
        again.get();
        second.close();
        records.addAll(readRest(kafka, records.size()));
        Set<String> ids = lineIds(records);
        assertThat(ids).hasSize(4000);
        assertThat(distinctLines(records)).hasSize(4000);
        int duplicates = records.size() - 4000;
        assertThat(duplicates).as("only lines sent after the last checkpoint are sent twice")
                .isLessThanOrEqualTo((int) first.counters().sent.sum() - savedAtCrash);
    }

    /** How many whole lines of {@code log} the checkpoint file says were acknowledged. */
    private long savedLines(Path log) throws IOException {
        Path cp = dir.resolve("checkpoints");
        if (!Files.exists(cp)) {
            return 0;
        }
        long offset = 0;
        for (String l : Files.readAllLines(cp)) {
            String[] f = l.split("\t");
            if (f.length == 5 && f[4].equals(log.toString())) {
                offset = Long.parseLong(f[3]);
            }
        }
        byte[] bytes = Files.readAllBytes(log);
        long lines = 0;
        for (int i = 0; i < Math.min(offset, bytes.length); i++) {
            if (bytes[i] == '\n') {
                lines++;
            }
        }
        savedAtCrash = (int) lines;
        return lines;
    }

    private static Set<String> lineIds(List<ConsumerRecord<String, byte[]>> records) {
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            Header h = r.headers().lastHeader(KafkaLineSink.LINE);
            assertThat(h).as("every record names its line").isNotNull();
            ids.add(new String(h.value(), StandardCharsets.UTF_8));
        }
        return ids;
    }

    /** Reads the topic from the start until {@code done} holds for what was read. */
    private List<ConsumerRecord<String, byte[]>> readUntil(KafkaBroker kafka,
            java.util.function.Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = consumer(kafka)) {
            c.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                return done.test(out);
            });
        }
        return out;
    }

    /** Everything after the first {@code skip} records (what arrived while the shipper stopped). */
    private List<ConsumerRecord<String, byte[]>> readRest(KafkaBroker kafka, int skip) {
        List<ConsumerRecord<String, byte[]>> all = readAll(kafka, skip);
        return new ArrayList<>(all.subList(skip, all.size()));
    }

    private KafkaConsumer<String, byte[]> consumer(KafkaBroker kafka) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @Test
    void aBrokerOutageOnlyPausesTheShipper(KafkaBroker kafka) throws Exception {
        kafka.createTopic(topic, 1);
        Path log = dir.resolve("kern.log");
        append(log, 0, 500);
        Shipper s = shipper(kafka, List.of(log.toString()));
        Future<?> running = run(s);
        await().atMost(Duration.ofSeconds(30)).until(() -> s.counters().acked.sum() >= 500);
        kafka.restart();   // stops and starts again with the same data and address
        append(log, 500, 1000);
        await().atMost(Duration.ofSeconds(90)).until(() -> s.counters().acked.sum() >= 1000);
        s.stop();
        running.get();
        s.close();
        assertThat(distinctLines(readAll(kafka, 1000))).hasSize(1000);
    }

    @Test
    void longLinesAreCutAndFlagged(KafkaBroker kafka) throws Exception {
        kafka.createTopic(topic, 1);
        Path log = dir.resolve("big.log");
        Files.writeString(log, "x".repeat(1 << 20) + "\n" + line(1) + "\n" + "\u0000\u00ff\u00fe binary\n",
                StandardCharsets.ISO_8859_1);
        Shipper s = shipper(kafka, List.of(log.toString()));
        Future<?> running = run(s);
        await().atMost(Duration.ofSeconds(30)).until(() -> s.counters().acked.sum() >= 3);
        s.stop();
        running.get();
        s.close();
        List<ConsumerRecord<String, byte[]>> records = readAll(kafka, 3);
        assertThat(records.get(0).value()).hasSize(65_536);
        assertThat(records.get(0).headers().lastHeader(KafkaLineSink.CUT)).isNotNull();
        assertThat(new String(records.get(1).value(), StandardCharsets.UTF_8)).isEqualTo(line(1));
        assertThat(records.get(1).headers().lastHeader(KafkaLineSink.CUT)).isNull();
        assertThat(records.get(2).value()).startsWith(0, 0xff, 0xfe);
        assertThat(s.counters().cut.sum()).isEqualTo(1);
    }
}
