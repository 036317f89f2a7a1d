package dev.dropstream.ingest;

import static dev.dropstream.ingest.TopicRecords.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dropstream.testkit.KafkaBroker;
import dev.dropstream.testkit.KafkaTest;
import dev.dropstream.testkit.NetnsLab;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journald source end to end, against a real broker, on real journald records: records written into the kernel
 * log through /dev/kmsg, which journald reads as kernel records. Where no journal runs (this build machine's PID 1 is
 * not systemd), the test starts a private {@code systemd-journald} in a mount namespace of its own ({@code unshare -m},
 * a tmpfs over {@code /run} and {@code /var/log/journal}), so nothing outside sees its journal, and runs journalctl
 * in that namespace ({@code nsenter -m}); it stops it afterwards. Skipped, saying why, where that is impossible.
 */
@KafkaTest
class JournaldShipIT {
    private static final Logger LOG = LoggerFactory.getLogger(JournaldShipIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final String topic = "ship-journald-it-" + UUID.randomUUID();
    private final String marker = String.format(Locale.ROOT, "DSSHIP-%08x", ThreadLocalRandom.current().nextInt());
    private Process journald;
    /** journalctl, run where the journal is: {@code [journalctl]} or {@code [nsenter, -t, PID, -m, journalctl]}. */
    private List<String> journalctl;

    @AfterEach
    void cleanUp() throws InterruptedException {
        pool.shutdownNow();
        if (journald != null) {
            journald.destroy();
            if (!journald.waitFor(10, TimeUnit.SECONDS)) {
                journald.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Finds the running journal, or starts a private journald; aborts the test, saying why, where neither can be. */
    private void journal() throws Exception {
        long uid = NetnsLab.effectiveUid();
        Assumptions.assumeTrue(uid == 0, "journald test: needs root (it writes kernel records through /dev/kmsg), "
                + "running as uid " + uid);
        Assumptions.assumeTrue(Files.isWritable(Path.of("/dev/kmsg")), "journald test: /dev/kmsg is not writable");
        String jctl;
        try {
            jctl = JournaldSource.requireJournalctl();
        } catch (IllegalStateException e) {
            Assumptions.abort("journald test: " + e.getMessage());
            return;
        }
        if (Files.exists(Path.of("/run/systemd/journal/socket"))) {
            journalctl = List.of(jctl);
            return;
        }
        String daemon = List.of("/lib/systemd/systemd-journald", "/usr/lib/systemd/systemd-journald").stream()
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
        String unshare = NetnsLab.which("unshare");
        String nsenter = NetnsLab.which("nsenter");
        Assumptions.assumeTrue(daemon != null && unshare != null && nsenter != null, "journald test: no journal runs "
                + "here and a private one needs systemd-journald, unshare and nsenter (journald " + daemon + ", unshare "
                + unshare + ", nsenter " + nsenter + ")");
        journald = new ProcessBuilder(unshare, "-m", "--propagation", "private", "sh", "-c",
                "mount -t tmpfs tmpfs /run && { [ ! -d /var/log/journal ] || mount -t tmpfs tmpfs /var/log/journal; } "
                        + "&& exec " + daemon)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(dir.resolve("journald.out").toFile()).redirectErrorStream(true).start();
        journalctl = List.of(nsenter, "-t", Long.toString(journald.pid()), "-m", jctl);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> !journald.isAlive() || tailCursor() != null);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            Assumptions.abort("journald test: a private journald did not answer within 20 s: "
                    + Files.readString(dir.resolve("journald.out")).strip());
        }
        Assumptions.assumeTrue(journald.isAlive(), () -> "journald test: a private journald could not start here: "
                + readQuietly(dir.resolve("journald.out")));
        LOG.info("started a private systemd-journald (pid {}) in a mount namespace of its own", journald.pid());
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Runs journalctl with {@code args} and returns its output lines. */
    private List<String> journalctl(String... args) throws Exception {
        List<String> c = new ArrayList<>(journalctl);
        c.addAll(List.of(args));
        Path out = dir.resolve("journalctl.out");
        Process p = new ProcessBuilder(c).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("journalctl " + String.join(" ", args) + " did not end in 20 s");
        }
        return Files.readAllLines(out).stream().filter(l -> !l.isBlank()).toList();
    }

    /** The cursor of the journal's last kernel record, or null. */
    private String tailCursor() throws Exception {
        List<String> lines = journalctl("-k", "-n", "1", "-o", "json", "--no-pager");
        return lines.isEmpty() ? null : field(lines.get(lines.size() - 1), "__CURSOR");
    }

    private static String field(String json, String name) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return JournalJson.string(b, 0, b.length, name);
    }

    /** journalctl's JSON records after {@code cursor} whose MESSAGE starts with {@code prefix}, waiting for {@code count}. */
    private List<String> journaled(String cursor, String prefix, int count) {
        List<String> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            found.clear();
            for (String l : journalctl("-k", "-o", "json", "--all", "--no-pager", "--after-cursor=" + cursor)) {
                String m = field(l, "MESSAGE");
                if (m != null && m.startsWith(prefix)) {
                    found.add(l);
                }
            }
            return found.size() >= count;
        });
        return List.copyOf(found);
    }

    /** The journal's first kernel record after {@code cursor}, as journalctl prints it. */
    private String after(String cursor) throws Exception {
        return journalctl("-k", "-o", "json", "--all", "--no-pager", "--after-cursor=" + cursor).get(0);
    }

    private static void write(List<String> messages) throws IOException {
        try (FileOutputStream out = new FileOutputStream("/dev/kmsg")) {
            for (String m : messages) {
                out.write(("<4>" + m + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private Shipper shipper(KafkaBroker kafka) {
        Map<String, Object> client = new HashMap<>();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        Shipper s = new Shipper(new Shipper.Settings(List.of(), client, topic, dir.resolve("checkpoints"), "no-hostname",
                false, 65_536, Duration.ofMillis(50), Duration.ofSeconds(30), false));
        s.addKernelSource(new JournaldSource(journalctl, dir.resolve("ship.journald.cursor"), "no-hostname", 65_536,
                s.counters(), Duration.ofSeconds(1)));
        return s;
    }

    private Future<?> run(Shipper s) {
        return pool.submit(() -> {
            s.run();
            return null;
        });
    }

    /** Whether the records read include one for each of {@code jsons}, by cursor. */
    private static java.util.function.Predicate<List<ConsumerRecord<String, byte[]>>> containing(List<String> jsons) {
        return rs -> rs.stream().map(r -> header(r, KafkaLineSink.LINE)).toList()
                .containsAll(jsons.stream().map(j -> field(j, "__CURSOR")).toList());
    }

    /**
     * The record of {@code json} (by cursor) is that JSON record: journalctl prints a record's fields in another order
     * on each run, so the shipped value and the test's own read are compared as JSON, not as bytes.
     */
    private static void assertArrived(List<ConsumerRecord<String, byte[]>> records, String json) throws IOException {
        String cursor = field(json, "__CURSOR");
        ConsumerRecord<String, byte[]> r = records.stream().filter(x -> cursor.equals(header(x, KafkaLineSink.LINE)))
                .findFirst().orElseThrow(() -> new AssertionError("not in the topic: " + json));
        assertThat(JSON.readTree(r.value())).isEqualTo(JSON.readTree(json));
        assertThat(r.key()).isEqualTo(field(json, "_HOSTNAME")).isNotNull();
        assertThat(header(r, KafkaLineSink.SOURCE)).isEqualTo("journald");
        assertThat(header(r, KafkaLineSink.LINE)).isEqualTo(field(json, "__CURSOR"));
    }

    @Test
    void kernelRecordsOfTheJournalArriveAsJsonAndARestartResumesAfterTheSavedCursor(KafkaBroker kafka) throws Exception {
        journal();
        kafka.createTopic(topic, 1);
        String start = tailCursor();
        assertThat(start).as("the journal has kernel records").isNotNull();
        // Where the source starts: so the test knows which records come, whatever else the kernel logs meanwhile.
        Files.writeString(dir.resolve("ship.journald.cursor"), start + "\n");

        Shipper s = shipper(kafka);
        Future<?> running = run(s);
        write(List.of(marker + " first 1", marker + " first 2", marker + " first 3"));
        List<String> first = journaled(start, marker + " first", 3);
        TopicRecords.readUntil(kafka, topic, containing(first));
        s.stop();
        running.get();
        s.close();
        String saved = Files.readString(dir.resolve("ship.journald.cursor")).strip();

        write(List.of(marker + " second 1", marker + " second 2"));
        List<String> second = journaled(start, marker + " second", 2);
        Shipper again = shipper(kafka);
        Future<?> runningAgain = run(again);
        List<ConsumerRecord<String, byte[]>> records = TopicRecords.readUntil(kafka, topic, containing(second));
        again.stop();
        runningAgain.get();
        again.close();

        LOG.info("journald records in Kafka:\n{}", records.stream().filter(r -> TopicRecords.value(r).contains(marker))
                .map(TopicRecords::describe).collect(Collectors.joining("\n")));
        for (String j : first) {
            assertArrived(records, j);
        }
        for (String j : second) {
            assertArrived(records, j);
        }
        TopicRecords.assertNoLineTwice(records, "a clean restart sends nothing twice");
        List<String> cursors = records.stream().map(r -> header(r, KafkaLineSink.LINE)).toList();
        assertThat(cursors.get(0)).as("the first record sent is the first after the start cursor")
                .isEqualTo(field(after(start), "__CURSOR"));
        assertThat(cursors).as("the first run saved the cursor of a record it sent").contains(saved);
        assertThat(cursors.get(cursors.indexOf(saved) + 1)).as("the second run started right after the saved cursor")
                .isEqualTo(field(after(saved), "__CURSOR"));
    }
}
