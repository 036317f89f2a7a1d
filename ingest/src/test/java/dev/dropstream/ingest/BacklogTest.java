package dev.dropstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Memory, then spool, then dropped; order kept throughout; what memory holds at shutdown goes to the spool. */
class BacklogTest {
    @TempDir
    Path dir;

    private final Counters counters = new Counters();

    /** A sink that takes what it is open for, keeps the acknowledgements for later, and records the order. */
    private static final class FakeSink implements LineSink {
        boolean open = true;
        boolean ackAtOnce;
        final List<String> taken = new ArrayList<>();
        final List<Runnable> unacked = new ArrayList<>();

        @Override
        public boolean offer(byte[] bytes, int off, int len, String source, String lineId, boolean cut, Runnable onAck) {
            throw new AssertionError("network messages come with their peer");
        }

        @Override
        public boolean offerFromPeer(String peerHost, byte[] bytes, int off, int len, String source, String lineId,
                boolean cut, Runnable onAck) {
            if (!open) {
                return false;
            }
            taken.add(new String(bytes, off, len, StandardCharsets.UTF_8));
            if (ackAtOnce) {
                onAck.run();   // as the --only-netfilter filter does, before the offer returns
            } else {
                unacked.add(onAck);
            }
            return true;
        }

        void ackAll() {
            unacked.forEach(Runnable::run);
            unacked.clear();
        }
    }

    private static NetMessage msg(int i) {
        return new NetMessage(("message " + i).getBytes(StandardCharsets.UTF_8), "udp://127.0.0.1:9", "127.0.0.1",
                "net:t:" + i, false);
    }

    private static int weight() {
        return msg(0).weight();
    }

    private static void drainAll(Backlog b, LineSink sink) {
        while (b.drainOne(sink) == Backlog.Step.SENT) {
            // until empty or refused
        }
    }

    @Test
    void memoryFirstThenTheSpoolThenDropped() {
        Backlog b = new Backlog(3L * weight(), Spool.open(dir, 1000, 1024, counters), counters);
        FakeSink sink = new FakeSink();
        sink.open = false;
        int n = 0;
        while (counters.dropped.sum() == 0) {
            b.add(msg(n++));
        }
        assertThat(counters.bufferBytes.get()).isEqualTo(3L * weight());
        assertThat(counters.spoolBytes.get()).isPositive();
        assertThat(b.drainOne(sink)).isEqualTo(Backlog.Step.REFUSED);
        sink.open = true;
        drainAll(b, sink);
        List<String> want = new ArrayList<>();
        for (int i = 0; i < n - 1; i++) {   // the last one was dropped
            want.add("message " + i);
        }
        assertThat(sink.taken).isEqualTo(want);
        assertThat(counters.read.sum()).isEqualTo(n);
        assertThat(counters.dropped.sum()).isEqualTo(1);
        assertThat(counters.bufferBytes.get()).as("memory counts until acknowledged").isPositive();
        assertThat(counters.spoolBytes.get()).as("a segment stays until acknowledged").isPositive();
        sink.ackAll();
        assertThat(counters.bufferBytes.get()).isZero();
        assertThat(counters.spoolBytes.get()).isZero();
        b.close();
    }

    @Test
    void whileTheSpoolHasUnreadMessagesNewOnesQueueBehindThem() {
        Backlog b = new Backlog(3L * weight(), Spool.open(dir, 1 << 20, 1024, counters), counters);
        FakeSink sink = new FakeSink();
        for (int i = 0; i < 5; i++) {
            b.add(msg(i));   // 0-2 in memory, 3-4 in the spool
        }
        b.drainOne(sink);
        sink.ackAll();
        assertThat(counters.bufferBytes.get()).as("room in memory again").isEqualTo(2L * weight());
        b.add(msg(5));
        drainAll(b, sink);
        assertThat(sink.taken).containsExactly("message 0", "message 1", "message 2", "message 3", "message 4",
                "message 5");
        sink.ackAll();
        b.add(msg(6));
        assertThat(counters.bufferBytes.get()).as("the spool read to its end: memory again").isEqualTo(weight());
        b.close();
    }

    @Test
    void anAcknowledgementBeforeTheSendIsRecordedStillReleasesMemory() {
        Backlog b = new Backlog(1 << 20, Spool.open(dir, 1000, 1024, counters), counters);
        b.add(msg(1));
        FakeSink acksAtOnce = new FakeSink();
        acksAtOnce.ackAtOnce = true;
        assertThat(b.drainOne(acksAtOnce)).isEqualTo(Backlog.Step.SENT);
        assertThat(counters.bufferBytes.get()).isZero();
        assertThat(b.drainOne(acksAtOnce)).isEqualTo(Backlog.Step.EMPTY);
        b.close();
    }

    @Test
    void whatMemoryHoldsAtShutdownIsSentFirstByTheNextRun() {
        Backlog b = new Backlog(4L * weight(), Spool.open(dir, 1 << 20, 1024, counters), counters);
        FakeSink sink = new FakeSink();
        for (int i = 0; i < 10; i++) {
            b.add(msg(i));
        }
        b.drainOne(sink);            // message 0: sent, never acknowledged
        sink.open = false;
        b.spill();
        b.close();
        Counters next = new Counters();
        Backlog again = new Backlog(1 << 20, Spool.open(dir, 1 << 20, 1024, next), next);
        FakeSink after = new FakeSink();
        again.add(msg(10));
        drainAll(again, after);
        List<String> want = new ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            want.add("message " + i);
        }
        assertThat(after.taken).isEqualTo(want);
        after.ackAll();
        assertThat(next.spoolBytes.get()).isZero();
        again.close();
    }
}
