package dev.dropstream.ingest;

import java.util.ArrayDeque;

/**
 * The acknowledged position of one file. Lines are handed to the producer in file order, but lines of
 * different hosts go to different partitions and may be acknowledged out of order: the file is safe up to
 * the end of the last line such that it and every line before it are acknowledged.
 */
final class Acks {
    /** One line in flight. */
    static class Pending {
        final long end;
        volatile boolean acked;

        Pending(long end) {
            this.end = end;
        }
    }

    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    private long acked;

    Acks(long start) {
        this.acked = start;
    }

    /**
     * Adds a line the producer took, in file order. Its acknowledgement may already have come (the callback
     * can run before this), which is why the position is advanced here too. Returns whether it moved, in which
     * case the caller must save it: the acknowledgement's own save happened before the line was counted.
     */
    synchronized boolean sent(Pending p) {
        inFlight.addLast(p);
        long before = acked;
        advance();
        return acked != before;
    }

    /**
     * Marks a line acknowledged. Without a lock: the producer's I/O thread acknowledges lines in bursts while the
     * reading thread hands it more, and contending for one monitor slowed both. The position moves past it when
     * the next line is sent or when the position is read.
     */
    void acked(Pending p) {
        p.acked = true;
    }

    private void advance() {
        while (!inFlight.isEmpty() && inFlight.peekFirst().acked) {
            acked = inFlight.pollFirst().end;
        }
    }

    synchronized long position() {
        advance();
        return acked;
    }

    synchronized int inFlight() {
        advance();
        return inFlight.size();
    }
}
