package dev.dropstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool on its own: order, bounds, segments deleted once acknowledged, replay after a restart. */
class SpoolTest {
    @TempDir
    Path dir;

    private final Counters counters = new Counters();

    private static NetMessage msg(int i) {
        return new NetMessage(("<13>Nov 25 10:00:00 fw" + i + " kernel: message " + i).getBytes(StandardCharsets.UTF_8),
                "tcp://127.0.0.1:4000" + (i % 10), "127.0.0.1", "net:test:" + i, i % 7 == 0);
    }

    private static String text(NetMessage m) {
        return new String(m.bytes, StandardCharsets.UTF_8);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(Spool.SUFFIX)).sorted().toList();
        }
    }

    /** Reads everything (taking and acknowledging each), returning the messages in order. */
    private static List<NetMessage> drain(Spool spool, boolean ack) {
        List<NetMessage> out = new ArrayList<>();
        for (Spool.Entry e = spool.peek(); e != null; e = spool.peek()) {
            assertThat(spool.peek()).as("a peek without take gives the same message").isSameAs(e);
            spool.take(e);
            if (ack) {
                spool.acked(e.segment());
            }
            out.add(e.message());
        }
        return out;
    }

    @Test
    void messagesComeBackInOrderWithEverythingTheyCarry() {
        try (Spool spool = Spool.open(dir, 1 << 20, 1024, counters)) {
            for (int i = 0; i < 100; i++) {
                assertThat(spool.append(msg(i))).isTrue();
            }
            assertThat(spool.hasUnread()).isTrue();
            List<NetMessage> back = drain(spool, true);
            assertThat(back).hasSize(100);
            for (int i = 0; i < 100; i++) {
                NetMessage m = back.get(i);
                NetMessage want = msg(i);
                assertThat(text(m)).isEqualTo(text(want));
                assertThat(m.source).isEqualTo(want.source);
                assertThat(m.peerHost).isEqualTo(want.peerHost);
                assertThat(m.id).isEqualTo(want.id);
                assertThat(m.cut).isEqualTo(want.cut);
            }
            assertThat(spool.hasUnread()).isFalse();
        }
    }

    @Test
    void segmentsRollAndAreDeletedOnlyOnceReadAndAcknowledged() throws IOException {
        try (Spool spool = Spool.open(dir, 1 << 20, 1024, counters)) {
            for (int i = 0; i < 100; i++) {
                spool.append(msg(i));
            }
            assertThat(segments()).hasSizeGreaterThan(5);
            List<Spool.Entry> taken = new ArrayList<>();
            for (Spool.Entry e = spool.peek(); e != null; e = spool.peek()) {
                spool.take(e);
                taken.add(e);
            }
            assertThat(segments()).as("read but not acknowledged: kept").hasSizeGreaterThan(5);
            assertThat(counters.spoolBytes.get()).isPositive();
            taken.forEach(e -> spool.acked(e.segment()));
            assertThat(segments()).isEmpty();
            assertThat(counters.spoolBytes.get()).isZero();
        }
    }

    @Test
    void theBoundRefusesWhatDoesNotFit() {
        try (Spool spool = Spool.open(dir, 2000, 1024, counters)) {
            int taken = 0;
            while (spool.append(msg(taken))) {
                taken++;
            }
            assertThat(taken).isBetween(10, 30);
            assertThat(counters.spoolBytes.get()).isLessThanOrEqualTo(2000);
            assertThat(drain(spool, true)).hasSize(taken);
            assertThat(spool.append(msg(0))).as("room again once drained").isTrue();
        }
    }

    @Test
    void aRestartReplaysWhatWasNotAcknowledgedWithMemorySpilledFirst() {
        try (Spool spool = Spool.open(dir, 1 << 20, 1024, counters)) {
            for (int i = 10; i < 60; i++) {
                spool.append(msg(i));
            }
            // Two read and acknowledged, one read and in flight: a restart sends the in-flight one again.
            Spool.Entry a = spool.peek();
            spool.take(a);
            spool.acked(a.segment());
            spool.take(spool.peek());
            spool.prepend(List.of(msg(0), msg(1)));
        }
        try (Spool again = Spool.open(dir, 1 << 20, 1024, new Counters())) {
            List<String> back = drain(again, true).stream().map(SpoolTest::text).toList();
            List<String> want = new ArrayList<>(List.of(text(msg(0)), text(msg(1))));
            // The first segment still held the acknowledged message, so it is sent again too.
            for (int i = 10; i < 60; i++) {
                want.add(text(msg(i)));
            }
            assertThat(back).isEqualTo(want);
        }
    }

    @Test
    void aTornLastRecordEndsItsSegmentAndIsCounted() throws IOException {
        try (Spool spool = Spool.open(dir, 1 << 20, 1 << 16, counters)) {
            for (int i = 0; i < 5; i++) {
                spool.append(msg(i));
            }
        }
        Path seg = segments().get(0);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 3);
        }
        try (Spool again = Spool.open(dir, 1 << 20, 1 << 16, counters)) {
            assertThat(drain(again, true)).extracting(SpoolTest::text)
                    .containsExactly(text(msg(0)), text(msg(1)), text(msg(2)), text(msg(3)));
            assertThat(counters.dropped.sum()).isEqualTo(1);
            assertThat(segments()).isEmpty();
        }
    }

    @Test
    void aSecondUserOfTheDirectoryIsRefused() {
        try (Spool spool = Spool.open(dir, 1 << 20, counters)) {
            assertThat(spool.hasUnread()).isFalse();
            assertThatThrownBy(() -> Spool.open(dir, 1 << 20, counters))
                    .hasMessageContaining("another dropstream ship uses the spool directory");
        }
    }
}
