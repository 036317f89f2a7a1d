package dev.dropstream.ingest;

import java.io.Closeable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Network messages between their receiver and Kafka. A network source cannot be read again later like a file,
 * so every message is kept until Kafka acknowledges it: in memory while the messages held there stay under a
 * bound in bytes (counted from arrival to acknowledgement), else in the {@link Spool}, else it is dropped and
 * counted. Receivers never wait: {@link #add} only queues. One drainer thread calls {@link #drainOne}, which
 * offers the oldest message to the sink and keeps it when the sink refuses.
 *
 * <p>Order is kept: once a message went to the spool, the ones after it go there too until the spool has been
 * read to its end, and memory (older) is drained before the spool. At shutdown, {@link #spill} writes what memory
 * still holds into the spool, ahead of what is there, so the next run sends it first.
 */
final class Backlog implements Closeable {
    /** What one {@link #drainOne} did. */
    enum Step { SENT, REFUSED, EMPTY }

    private static final Logger LOG = LoggerFactory.getLogger(Backlog.class);
    private static final long DROP_LOG_EVERY_MILLIS = 60_000;

    private final long maxMemory;
    private final Spool spool;
    private final Counters counters;
    private final ArrayDeque<NetMessage> queue = new ArrayDeque<>();
    /** Taken by the sink from memory, not acknowledged yet, in the order sent (no equals: identity). */
    private final Set<NetMessage> inFlight = new LinkedHashSet<>();
    private long memoryBytes;
    private long nextDropLog;

    Backlog(long maxMemory, Spool spool, Counters counters) {
        this.maxMemory = maxMemory;
        this.spool = spool;
        this.counters = counters;
    }

    /** Takes a received message: into memory, else the spool, else it is dropped (counted). Never blocks long. */
    synchronized void add(NetMessage m) {
        counters.read.increment();
        int w = m.weight();
        if (!spool.hasUnread() && memoryBytes + w <= maxMemory) {
            queue.addLast(m);
            memory(w);
            notifyAll();
            return;
        }
        if (spool.append(m)) {
            notifyAll();
            return;
        }
        counters.dropped.increment();
        long now = System.currentTimeMillis();
        if (now >= nextDropLog) {
            LOG.warn("the memory buffer and the spool are full: network messages are dropped ({} so far)",
                    counters.dropped.sum());
            nextDropLog = now + DROP_LOG_EVERY_MILLIS;
        }
    }

    /**
     * Offers the oldest message to the sink (outside the lock: the sink may block for a while). Only one
     * thread may call this.
     */
    Step drainOne(LineSink sink) {
        NetMessage m;
        Spool.Entry entry = null;
        synchronized (this) {
            m = queue.peekFirst();
            if (m == null) {
                entry = spool.peek();
                if (entry == null) {
                    return Step.EMPTY;
                }
                m = entry.message();
            }
        }
        NetMessage msg = m;
        Spool.Segment segment = entry == null ? null : entry.segment();
        Runnable onAck = segment == null ? () -> ackedFromMemory(msg) : () -> spool.acked(segment);
        if (!sink.offerFromPeer(m.peerHost, m.bytes, 0, m.bytes.length, m.source, m.id, m.cut, onAck)) {
            return Step.REFUSED;
        }
        synchronized (this) {
            if (entry != null) {
                spool.take(entry);
            } else {
                queue.pollFirst();
                if (msg.acked) {
                    memory(-msg.weight());
                } else {
                    inFlight.add(msg);
                }
            }
        }
        return Step.SENT;
    }

    private synchronized void ackedFromMemory(NetMessage m) {
        if (inFlight.remove(m)) {
            memory(-m.weight());
        } else {
            // Acknowledged before drainOne recorded it as sent; it releases its bytes there.
            m.acked = true;
        }
    }

    /** Waits up to {@code millis} for a message to arrive, unless one is there. */
    synchronized void awaitWork(long millis) throws InterruptedException {
        if (queue.isEmpty() && !spool.hasUnread()) {
            wait(millis);
        }
    }

    /** Ends an {@link #awaitWork} early (the drainer is asked to stop). */
    synchronized void wakeUp() {
        notifyAll();
    }

    /**
     * Writes every message memory still holds (sent but not acknowledged, then queued) into the spool ahead of
     * the rest. Call once nothing drains any more and the producer is closed.
     */
    synchronized void spill() {
        List<NetMessage> rest = new ArrayList<>(inFlight);
        rest.addAll(queue);
        inFlight.clear();
        queue.clear();
        memory(-memoryBytes);
        if (!rest.isEmpty()) {
            LOG.info("{} network messages Kafka had not acknowledged are kept in the spool for the next run",
                    rest.size());
            spool.prepend(rest);
        }
    }

    private void memory(long delta) {
        memoryBytes += delta;
        counters.bufferBytes.set(memoryBytes);
    }

    @Override
    public void close() {
        spool.close();
    }
}
