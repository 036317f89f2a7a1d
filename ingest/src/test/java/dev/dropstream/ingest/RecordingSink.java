package dev.dropstream.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A sink for unit tests: records what it took, refuses the next {@link #refuse} offers, acknowledges at once or on demand. */
final class RecordingSink implements LineSink {
    /** One line taken. */
    record Taken(String host, String line, String source, String lineId, boolean cut, Runnable onAck) {
    }

    final List<Taken> taken = new ArrayList<>();
    final AtomicInteger refuse = new AtomicInteger();
    int offers;
    boolean ackAtOnce = true;

    @Override
    public boolean offer(byte[] bytes, int off, int len, String source, String lineId, boolean cut, Runnable onAck) {
        return offer(null, bytes, off, len, source, lineId, cut, onAck);
    }

    @Override
    public synchronized boolean offer(String host, byte[] bytes, int off, int len, String source, String lineId,
            boolean cut, Runnable onAck) {
        offers++;
        if (refuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return false;
        }
        taken.add(new Taken(host, new String(bytes, off, len, StandardCharsets.UTF_8), source, lineId, cut, onAck));
        if (ackAtOnce) {
            onAck.run();
        }
        return true;
    }

    synchronized List<String> lines() {
        return taken.stream().map(Taken::line).toList();
    }

    synchronized List<String> ids() {
        return taken.stream().map(Taken::lineId).toList();
    }
}
