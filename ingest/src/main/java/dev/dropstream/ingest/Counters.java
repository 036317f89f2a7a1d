package dev.dropstream.ingest;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the shipper did: the one place its counts and gauges live. The periodic log line is made from them
 * ({@link #summary}), and so is {@code /metrics} ({@link ShipperMetrics} reads, never keeps its own counts).
 */
final class Counters {
    /** Lines read from files and standard input, and messages received from the network. */
    final LongAdder read = new LongAdder();
    final LongAdder sent = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder cut = new LongAdder();
    final LongAdder cutBytes = new LongAdder();
    final LongAdder filtered = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder truncations = new LongAdder();
    /** Network messages dropped because the memory buffer and the spool were both full (or damaged on disk). */
    final LongAdder dropped = new LongAdder();
    /** Octet-counted TCP frames whose count was unusable; the bytes up to the next newline were skipped. */
    final LongAdder badFrames = new LongAdder();
    /** Kernel records overwritten in the ring buffer before the /dev/kmsg source read them. */
    final LongAdder kmsgLost = new LongAdder();
    final AtomicLong lastAckMillis = new AtomicLong();
    /** Bytes of network messages held in memory until Kafka acknowledges them. */
    final AtomicLong bufferBytes = new AtomicLong();
    /** Bytes of spool segments on disk. */
    final AtomicLong spoolBytes = new AtomicLong();
    /** Bytes not yet read, per followed file (its path); replaced whole by the files loop. */
    volatile Map<String, Long> behindByFile = Map.of();

    String summary(long behindBytes, boolean network) {
        long last = lastAckMillis.get();
        return "lines read " + read.sum() + ", sent " + sent.sum() + ", acknowledged " + acked.sum() + ", cut "
                + cut.sum() + " (" + cutBytes.sum() + " bytes dropped), not netfilter " + filtered.sum()
                + ", send failures " + failed.sum() + ", truncations " + truncations.sum() + ", bytes behind "
                + behindBytes
                + (network ? ", dropped " + dropped.sum() + ", bad frames " + badFrames.sum() + ", buffered "
                        + bufferBytes.get() + " bytes, spooled " + spoolBytes.get() + " bytes" : "")
                + (last == 0 ? "" : ", last ack " + java.time.Instant.ofEpochMilli(last))
                + (kmsgLost.sum() == 0 ? "" : ", kmsg lost " + kmsgLost.sum());
    }
}
