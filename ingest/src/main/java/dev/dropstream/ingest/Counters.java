package dev.dropstream.ingest;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What the shipper did, for its periodic log line (and, later, Prometheus). */
final class Counters {
    final LongAdder read = new LongAdder();
    final LongAdder sent = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder cut = new LongAdder();
    final LongAdder cutBytes = new LongAdder();
    final LongAdder filtered = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder truncations = new LongAdder();
    /** Kernel records overwritten in the ring buffer before the /dev/kmsg source read them. */
    final LongAdder kmsgLost = new LongAdder();
    final AtomicLong lastAckMillis = new AtomicLong();

    String summary(long behindBytes) {
        long last = lastAckMillis.get();
        return "lines read " + read.sum() + ", sent " + sent.sum() + ", acknowledged " + acked.sum() + ", cut "
                + cut.sum() + " (" + cutBytes.sum() + " bytes dropped), not netfilter " + filtered.sum()
                + ", send failures " + failed.sum() + ", truncations " + truncations.sum() + ", bytes behind "
                + behindBytes + (last == 0 ? "" : ", last ack " + java.time.Instant.ofEpochMilli(last))
                + (kmsgLost.sum() == 0 ? "" : ", kmsg lost " + kmsgLost.sum());
    }
}
