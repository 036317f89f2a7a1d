package dev.dropstream.ingest;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The acknowledged position of one followed file, found by asking the receipts of its lines in flight
 * ({@link LineSink#submit}) rather than by a callback per line. Lines of different hosts go to different
 * partitions and are answered out of order: the file is safe up to the end of the last line such that it and every
 * line before it are settled. A line that failed for good to be sent holds the position before it, so that a
 * restart reads it again.
 *
 * <p>Used only by the thread that reads the file (which is also the one that saves the checkpoints): no locks.
 */
final class Receipts {
    private final String source;
    /** Where the lines in flight went, which says what their receipts mean. */
    private LineSink sink;
    private final Counters counters;
    /** A ring of the lines in flight, oldest at {@link #head}: their receipts and the offsets where they end. */
    private Future<?>[] receipts = new Future<?>[1024];
    private long[] ends = new long[1024];
    private int head;
    private int size;
    private long position;
    private boolean held;

    Receipts(long start, String source, Counters counters) {
        this.position = start;
        this.source = source;
        this.counters = counters;
    }

    /**
     * Adds a line {@code to} took, in file order, ending at {@code end}. Every so many lines the answered ones are
     * let go of, so that the ring stays about as long as what the producer holds.
     */
    void add(LineSink to, Future<?> receipt, long end) {
        sink = to;
        if ((size & 63) == 63) {
            advance();
        }
        if (size == receipts.length) {
            grow();
        }
        int tail = (head + size) & (receipts.length - 1);
        receipts[tail] = receipt;
        ends[tail] = end;
        size++;
    }

    private void grow() {
        Future<?>[] r = new Future<?>[receipts.length * 2];
        long[] e = new long[r.length];
        for (int i = 0; i < size; i++) {
            int from = (head + i) & (receipts.length - 1);
            r[i] = receipts[from];
            e[i] = ends[from];
        }
        receipts = r;
        ends = e;
        head = 0;
    }

    /** Moves the position past the oldest lines that are answered. */
    private void advance() {
        if (held || size == 0 || !receipts[head].isDone()) {
            return;
        }
        int acknowledged = 0;
        while (size > 0 && receipts[head].isDone()) {
            LineSink.Outcome o = sink.settle(receipts[head], source);
            if (o == LineSink.Outcome.FAILED) {
                held = true;
                break;
            }
            if (o == LineSink.Outcome.ACKNOWLEDGED) {
                acknowledged++;
            }
            position = ends[head];
            receipts[head] = null;
            head = (head + 1) & (receipts.length - 1);
            size--;
        }
        if (acknowledged > 0) {
            counters.lastAckMillis.set(System.currentTimeMillis());
        }
    }

    /** The end of the last line before which every line is answered. */
    long position() {
        advance();
        return position;
    }

    /** Lines sent and not answered yet (a failed one and those after it stay in flight). */
    int inFlight() {
        advance();
        return size;
    }

    /**
     * Waits until every line in flight is answered, or until {@code deadlineMillis} (epoch milliseconds). Returns
     * the lines still unanswered.
     */
    int await(long deadlineMillis) throws InterruptedException {
        for (int i = 0; i < size; i++) {
            Future<?> r = receipts[(head + i) & (receipts.length - 1)];
            long left = deadlineMillis - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            try {
                r.get(left, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // Failed (settled when the position is read), or not answered in time: counted below.
            }
        }
        return inFlight();
    }
}
