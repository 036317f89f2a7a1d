package dev.dropstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journald source with a stand-in journalctl: a shell script that records its arguments and prints, for its
 * n-th start, the records prepared in {@code out.<n>} (constructed for the test, in {@code journalctl -o json}
 * form), then exits — or waits to be stopped where {@code wait.<n>} exists.
 */
class JournaldSourceTest {
    private static final String STAND_IN = "#!/bin/sh\n"
            + "d=$(dirname \"$0\")\n"
            + "echo \"$*\" >> \"$d/args\"\n"
            + "n=$(wc -l < \"$d/args\")\n"
            + "[ -f \"$d/out.$n\" ] && cat \"$d/out.$n\"\n"
            + "[ -f \"$d/err.$n\" ] && cat \"$d/err.$n\" >&2\n"
            + "[ -f \"$d/wait.$n\" ] && exec sleep 30\n"
            + "exit 3\n";

    @TempDir
    Path dir;

    private final Counters counters = new Counters();
    private final RecordingSink sink = new RecordingSink();
    private Thread running;
    private JournaldSource source;

    static String record(int i, String host) {
        return "{\"__CURSOR\":\"s=8e1c2f;i=" + Integer.toHexString(i) + ";b=a5e82371;x=" + i + "\","
                + "\"__REALTIME_TIMESTAMP\":\"17640612001" + (10000 + i) + "\",\"_TRANSPORT\":\"kernel\","
                + "\"_SOURCE_MONOTONIC_TIMESTAMP\":\"31392" + (10000 + i) + "\","
                + (host == null ? "" : "\"_HOSTNAME\":\"" + host + "\",")
                + "\"MESSAGE\":\"DSSHIP-" + i + ": IN=lo OUT= SRC=127.0.0.1 DST=127.0.0.1 PROTO=TCP DPT=9 SYN \"}";
    }

    static String cursor(int i) {
        return "s=8e1c2f;i=" + Integer.toHexString(i) + ";b=a5e82371;x=" + i;
    }

    /** Writes the stand-in journalctl into {@code dir} and returns its path. */
    static Path standIn(Path dir) throws Exception {
        Path script = dir.resolve("journalctl");
        Files.writeString(script, STAND_IN);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private JournaldSource start() throws Exception {
        // Wrapped as for the real journalctl (setpriv --pdeathsig TERM, where setpriv can), which must change nothing.
        source = new JournaldSource(JournaldSource.endingWithTheShipper(standIn(dir).toString()), dir.resolve("cursor"),
                "this-host", 65_536, counters, Duration.ofMillis(10));
        JournaldSource s = source;
        running = new Thread(() -> {
            try {
                s.run(sink);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        running.start();
        return s;
    }

    @AfterEach
    void stop() throws Exception {
        if (source != null) {
            source.stop();
            running.join(10_000);
            assertThat(running.isAlive()).isFalse();
        }
    }

    private List<String> args() throws Exception {
        return Files.exists(dir.resolve("args")) ? Files.readAllLines(dir.resolve("args")) : List.of();
    }

    @Test
    void theFirstStartFollowsFromNowAndARestartStartsAfterTheLastRecordSent() throws Exception {
        Files.writeString(dir.resolve("out.1"), record(1, "fw1") + "\n" + record(2, null) + "\n");
        Files.writeString(dir.resolve("out.2"), record(3, "fw3") + "\n");
        Files.writeString(dir.resolve("wait.2"), "");

        start();
        await().atMost(Duration.ofSeconds(20)).until(() -> sink.lines().size() == 3);

        assertThat(sink.lines()).containsExactly(record(1, "fw1"), record(2, null), record(3, "fw3"));
        assertThat(sink.ids()).containsExactly(cursor(1), cursor(2), cursor(3));
        assertThat(sink.taken).extracting(RecordingSink.Taken::host).containsExactly("fw1", "this-host", "fw3");
        assertThat(sink.taken).allSatisfy(t -> assertThat(t.source()).isEqualTo("journald"));
        assertThat(args()).containsExactly("-k -o json --all --follow --no-pager --lines=0",
                "-k -o json --all --follow --no-pager --after-cursor=" + cursor(2));
    }

    @Test
    void theCursorFileHoldsTheLastAcknowledgedRecordAndANewRunStartsAfterIt() throws Exception {
        sink.ackAtOnce = false;
        Files.writeString(dir.resolve("out.1"), record(1, "fw1") + "\n" + record(2, "fw1") + "\n" + record(3, "fw1") + "\n");
        Files.writeString(dir.resolve("wait.1"), "");
        JournaldSource s = start();
        await().atMost(Duration.ofSeconds(20)).until(() -> sink.lines().size() == 3);

        s.save();
        assertThat(dir.resolve("cursor")).doesNotExist();
        sink.taken.get(0).onAck().run();
        sink.taken.get(2).onAck().run();
        s.save();
        assertThat(Files.readString(dir.resolve("cursor"))).isEqualTo(cursor(1) + "\n");
        stop();

        JournaldSource again = new JournaldSource(List.of(standIn(dir).toString()), dir.resolve("cursor"), "h", 65_536,
                counters, Duration.ofMillis(10));
        assertThat(again.command(null)).endsWith("--lines=0");
        source = null;
        Files.writeString(dir.resolve("out.2"), record(2, "fw1") + "\n");
        Files.writeString(dir.resolve("wait.2"), "");
        RecordingSink second = new RecordingSink();
        Thread t = new Thread(() -> {
            try {
                again.run(second);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> second.lines().size() == 1);
            assertThat(args().get(1)).endsWith("--after-cursor=" + cursor(1));
        } finally {
            again.stop();
            t.join(10_000);
        }
        again.save();
        assertThat(Files.readString(dir.resolve("cursor"))).isEqualTo(cursor(2) + "\n");
    }

    @Test
    void aCursorJournalctlRefusesIsDroppedAndItFollowsFromNow() throws Exception {
        Files.writeString(dir.resolve("cursor"), "not-a-cursor\n");
        Files.writeString(dir.resolve("err.1"), "Failed to seek to cursor: Invalid argument\n");
        Files.writeString(dir.resolve("out.2"), record(7, "fw7") + "\n");
        Files.writeString(dir.resolve("wait.2"), "");

        start();
        await().atMost(Duration.ofSeconds(20)).until(() -> sink.lines().size() == 1);

        assertThat(args()).containsExactly("-k -o json --all --follow --no-pager --after-cursor=not-a-cursor",
                "-k -o json --all --follow --no-pager --lines=0");
    }

    @Test
    void stopEndsAJournalctlThatIsWaitingForRecords() throws Exception {
        Files.writeString(dir.resolve("wait.1"), "");
        start();
        await().atMost(Duration.ofSeconds(20)).until(() -> args().size() == 1);
        long t0 = System.nanoTime();
        stop();
        source = null;
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }
}
