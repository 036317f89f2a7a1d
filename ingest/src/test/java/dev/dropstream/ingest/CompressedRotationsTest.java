package dev.dropstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compressed rotations through the file follower, into a recording sink (no Kafka): order, refusals, damage. */
class CompressedRotationsTest {
    @TempDir
    Path dir;

    private final Counters counters = new Counters();

    static String line(String file, int i) {
        return "Nov 25 10:00:00 fw0 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=10.0.0." + (i % 250) + " DST=10.0.1.1 "
                + "LEN=40 PROTO=TCP SPT=1 DPT=22 file=" + file + " n=" + i;
    }

    static List<String> lines(String file, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(line(file, i));
        }
        return out;
    }

    static byte[] text(List<String> lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Writes {@code lines} gzip-compressed to {@code file}, last changed {@code age} ago (settled). */
    static Path gzip(Path file, List<String> lines, Duration age) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text(lines));
        }
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
        return file;
    }

    private FileFollower follower(boolean readCompressed, Checkpoints checkpoints) {
        return new FileFollower(List.of(dir.resolve("kern.log*").toString()), 65_536, readCompressed, checkpoints,
                counters);
    }

    @Test
    void rotationsAreReadOldestFirstBeforeTheLiveFileEvenWhenTheSinkRefusesLinesOnTheWay() throws IOException {
        gzip(dir.resolve("kern.log.2.gz"), lines("2", 0, 300), Duration.ofHours(2));
        gzip(dir.resolve("kern.log.3.gz"), lines("3", 0, 300), Duration.ofHours(3));
        Files.write(dir.resolve("kern.log"), text(lines("live", 0, 10)));
        RecordingSink sink = new RecordingSink();
        sink.ackAtOnce = false;   // as Kafka does: later, so a rotation read to its end is not done yet
        int[] offers = {0};
        // Kafka's buffer full now and then: every 97th line is refused once, and must be offered again.
        LineSink flaky = (bytes, off, len, source, id, cut, onAck) ->
                ++offers[0] % 97 != 0 && sink.offer(bytes, off, len, source, id, cut, onAck);
        try (FileFollower f = follower(true, Checkpoints.none())) {
            int refusals = 0;
            while (!f.poll(flaky) && refusals < 100) {
                refusals++;
            }
            assertThat(refusals).as("rounds the sink refused a line").isGreaterThan(3);
            assertThat(f.behind()).isZero();
        }
        List<String> expected = new ArrayList<>(lines("3", 0, 300));
        expected.addAll(lines("2", 0, 300));
        expected.addAll(lines("live", 0, 10));
        assertThat(sink.lines()).containsExactlyElementsOf(expected);
        // The identity of the second line of kern.log.3.gz: its offset in the decompressed content.
        assertThat(sink.ids().get(1)).endsWith(":" + (line("3", 0).length() + 1));
        assertThat(sink.taken.get(0).source()).isEqualTo("file:" + dir.resolve("kern.log.3.gz"));
    }

    @Test
    void withoutTheOptionCompressedRotationsAreSkipped() throws IOException {
        gzip(dir.resolve("kern.log.2.gz"), lines("2", 0, 5), Duration.ofHours(2));
        Files.write(dir.resolve("kern.log"), text(lines("live", 0, 5)));
        RecordingSink sink = new RecordingSink();
        try (FileFollower f = follower(false, Checkpoints.none())) {
            f.poll(sink);
            assertThat(f.behind()).isZero();
        }
        assertThat(sink.lines()).containsExactlyElementsOf(lines("live", 0, 5));
    }

    @Test
    void aRotationStillBeingWrittenWaitsAndCountsAsBehind() throws IOException {
        gzip(dir.resolve("kern.log.2.gz"), lines("2", 0, 5), Duration.ZERO);
        RecordingSink sink = new RecordingSink();
        try (FileFollower f = follower(true, Checkpoints.none())) {
            f.poll(sink);
            assertThat(sink.lines()).isEmpty();
            assertThat(f.behind()).isPositive();
            Files.setLastModifiedTime(dir.resolve("kern.log.2.gz"), FileTime.from(Instant.now().minusSeconds(60)));
            f.poll(sink);
            assertThat(f.behind()).isZero();
        }
        assertThat(sink.lines()).containsExactlyElementsOf(lines("2", 0, 5));
    }

    @Test
    void aTruncatedRotationGivesTheLinesBeforeTheDamageAndIsDone(@TempDir Path state) throws IOException {
        Path whole = gzip(dir.resolve("whole.gz.tmp"), lines("2", 0, 5000), Duration.ZERO);
        byte[] bytes = Files.readAllBytes(whole);
        Files.delete(whole);
        Path cut = dir.resolve("kern.log.2.gz");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        Files.setLastModifiedTime(cut, FileTime.from(Instant.now().minusSeconds(3600)));
        Files.write(dir.resolve("kern.log.3.gz"), "not gzip at all\n".getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(dir.resolve("kern.log.3.gz"), FileTime.from(Instant.now().minusSeconds(7200)));
        Files.write(dir.resolve("kern.log"), text(lines("live", 0, 3)));
        Checkpoints checkpoints = Checkpoints.load(state.resolve("checkpoints"));
        RecordingSink sink = new RecordingSink();
        try (FileFollower f = follower(true, checkpoints)) {
            assertThat(f.poll(sink)).isTrue();
        }
        List<String> got = sink.lines();
        int fromGz = got.size() - 3;
        assertThat(fromGz).as("lines before the damage").isGreaterThan(1000).isLessThan(5000);
        assertThat(got.subList(0, fromGz)).containsExactlyElementsOf(lines("2", 0, fromGz));
        assertThat(got.subList(fromGz, got.size())).containsExactlyElementsOf(lines("live", 0, 3));
        checkpoints.save();
        // Both damaged files are done: a restart sends neither again.
        RecordingSink again = new RecordingSink();
        try (FileFollower f = follower(true, Checkpoints.load(state.resolve("checkpoints")))) {
            f.poll(again);
        }
        assertThat(again.taken).noneMatch(t -> t.source().endsWith(".gz"));
    }

    @Test
    void aRotationCompressedAfterItWasFollowedSendsOnlyWhatWasNotAcknowledged(@TempDir Path state) throws IOException {
        // logrotate with delaycompress: kern.log.1 is followed, then compressed into kern.log.2.gz and removed.
        Path plain = dir.resolve("kern.log.1");
        Files.write(plain, text(lines("1", 0, 100)));
        Checkpoints checkpoints = Checkpoints.load(state.resolve("checkpoints"));
        RecordingSink sink = new RecordingSink();
        sink.ackAtOnce = false;
        try (FileFollower f = follower(true, checkpoints)) {
            f.poll(sink);
            sink.taken.forEach(t -> t.onAck().run());
            Files.write(plain, text(lines("1", 100, 120)), java.nio.file.StandardOpenOption.APPEND);
            f.poll(sink);   // taken, never acknowledged: Kafka had not answered yet
            gzip(dir.resolve("kern.log.2.gz"), lines("1", 0, 150), Duration.ofHours(1));
            Files.delete(plain);
            f.poll(sink);
        }
        List<String> expected = new ArrayList<>(lines("1", 0, 120));
        expected.addAll(lines("1", 100, 150));
        assertThat(sink.lines()).containsExactlyElementsOf(expected);
    }
}
