package dev.dropstream.ingest;

import static dev.dropstream.ingest.CompressedRotationsTest.gzip;
import static dev.dropstream.ingest.CompressedRotationsTest.lines;
import static dev.dropstream.ingest.CompressedRotationsTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dropstream.testkit.KafkaBroker;
import dev.dropstream.testkit.KafkaTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --read-compressed} against a real broker: gzip rotations and the live file arrive whole, once, in order;
 * a restart sends nothing again; a damaged rotation gives its lines before the damage and following goes on.
 */
@KafkaTest(fresh = true)
class CompressedRotationsIT {
    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final String topic = "ship-gz-" + UUID.randomUUID();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private Shipper shipper(KafkaBroker kafka, boolean once) {
        Map<String, Object> client = new HashMap<>();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        return new Shipper(new Shipper.Settings(List.of(dir.resolve("kern.log*").toString()), client, topic,
                dir.resolve("checkpoints"), "test-host", false, 65_536, Duration.ofMillis(50), Duration.ofSeconds(30),
                once, true));
    }

    /** Every line of the topic (one partition: the order the shipper sent them), once all expected arrived. */
    private List<ConsumerRecord<String, byte[]>> read(KafkaBroker kafka, int atLeast) {
        return TopicRecords.readUntil(kafka, topic, rs -> rs.size() >= atLeast);
    }

    private static List<String> values(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(TopicRecords::value).toList();
    }

    @Test
    void rotationsThenTheLiveFileArriveOnceInOrderAndARestartSendsNothingAgain(KafkaBroker kafka) throws Exception {
        kafka.createTopic(topic, 1);
        gzip(dir.resolve("kern.log.3.gz"), lines("3", 0, 2000), Duration.ofHours(3));
        gzip(dir.resolve("kern.log.2.gz"), lines("2", 0, 2000), Duration.ofHours(2));
        Files.write(dir.resolve("kern.log"), text(lines("live", 0, 500)));
        try (Shipper first = shipper(kafka, true)) {
            first.runFiles();
        }
        List<String> expected = new ArrayList<>(lines("3", 0, 2000));
        expected.addAll(lines("2", 0, 2000));
        expected.addAll(lines("live", 0, 500));
        List<ConsumerRecord<String, byte[]>> records = read(kafka, expected.size());
        assertThat(values(records)).containsExactlyElementsOf(expected);
        TopicRecords.assertNoLineTwice(records, "first run");
        assertThat(TopicRecords.header(records.get(0), KafkaLineSink.SOURCE))
                .isEqualTo("file:" + dir.resolve("kern.log.3.gz"));
        assertThat(TopicRecords.header(records.get(1), KafkaLineSink.LINE))
                .endsWith(":" + (lines("3", 0, 1).get(0).length() + 1));

        // A restart: the rotations are done, the live file goes on where it was.
        Files.write(dir.resolve("kern.log"), text(lines("live", 500, 600)), StandardOpenOption.APPEND);
        try (Shipper second = shipper(kafka, true)) {
            second.runFiles();
            assertThat(second.counters().read.sum()).as("lines the restarted shipper read").isEqualTo(100);
        }
        expected.addAll(lines("live", 500, 600));
        records = read(kafka, expected.size());
        assertThat(values(records)).containsExactlyElementsOf(expected);
        TopicRecords.assertNoLineTwice(records, "after the restart");
    }

    /** {@code lines} gzip-compressed, cut down to half, then {@code garbage} bytes of 0x5a; settled. */
    private Path damaged(String name, List<String> lines, int garbage, Duration age) throws Exception {
        Path whole = gzip(dir.resolve(name + ".tmp"), lines, Duration.ZERO);
        byte[] bytes = Files.readAllBytes(whole);
        Files.delete(whole);
        byte[] cut = Arrays.copyOf(bytes, bytes.length / 2 + garbage);
        Arrays.fill(cut, bytes.length / 2, cut.length, (byte) 0x5a);
        Path file = dir.resolve(name);
        Files.write(file, cut);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
        return file;
    }

    @Test
    void damagedRotationsGiveTheirLinesBeforeTheDamageAndTheLiveFileIsStillFollowed(KafkaBroker kafka) throws Exception {
        kafka.createTopic(topic, 1);
        // Cut short (an interrupted copy); and overwritten in the middle, which gzip notices only some bytes later
        // (its checksum is at the end), so a garbled line or two may come before the warning.
        damaged("kern.log.2.gz", lines("2", 0, 5000), 0, Duration.ofHours(2));
        damaged("kern.log.3.gz", lines("3", 0, 5000), 64, Duration.ofHours(3));
        Path live = dir.resolve("kern.log");
        Files.write(live, text(lines("live", 0, 100)));
        Shipper s = shipper(kafka, false);
        Future<?> running = pool.submit(() -> {
            s.runFiles();
            return null;
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> s.counters().acked.sum() > 2100);
        Files.write(live, text(lines("live", 100, 200)), StandardOpenOption.APPEND);
        await().atMost(Duration.ofSeconds(60)).until(() -> s.counters().acked.sum() == s.counters().read.sum()
                && s.counters().read.sum() > 2200);
        List<ConsumerRecord<String, byte[]>> records = TopicRecords.readUntil(kafka, topic, rs -> rs.size() >= s.counters().read.sum());
        s.stop();
        running.get();
        s.close();
        List<String> got = values(records);
        TopicRecords.assertNoLineTwice(records, "damaged rotations");
        List<String> fromCorrupt = sourced(records, "kern.log.3.gz");
        List<String> fromTruncated = sourced(records, "kern.log.2.gz");
        assertThat(fromCorrupt.subList(0, 1000)).as("the corrupt file's first lines, in order")
                .containsExactlyElementsOf(lines("3", 0, 1000));
        assertThat(fromTruncated).as("the truncated file's complete lines")
                .containsExactlyElementsOf(lines("2", 0, fromTruncated.size()));
        assertThat(fromTruncated.size()).isGreaterThan(1000).isLessThan(5000);
        List<String> expected = new ArrayList<>(fromCorrupt);
        expected.addAll(fromTruncated);
        expected.addAll(lines("live", 0, 200));
        assertThat(got).as("oldest rotation first, then the live file, which was still followed")
                .containsExactlyElementsOf(expected);
    }

    private static List<String> sourced(List<ConsumerRecord<String, byte[]>> records, String name) {
        return records.stream().filter(r -> TopicRecords.header(r, KafkaLineSink.SOURCE).endsWith("/" + name))
                .map(TopicRecords::value).toList();
    }
}
