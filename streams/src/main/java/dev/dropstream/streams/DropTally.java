package dev.dropstream.streams;

import dev.dropstream.schema.DropStats;
import dev.dropstream.schema.IpPacket;
import dev.dropstream.schema.PacketEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * One window of one drop key while it is being counted: the counts and the sketches as live objects, so a packet
 * or a partial aggregate is added without serializing anything. {@link #stats} writes it as the {@link DropStats}
 * the topics and stores hold (the same serialized sketches as {@link Sketches} and {@link FrequentItems}).
 */
final class DropTally {
    private static final ByteBuffer EMPTY = ByteBuffer.wrap(new byte[0]);

    private final long windowStart;
    private final long windowEnd;
    private long packets;
    private long bytes;
    private long firstSeen = Long.MAX_VALUE;
    private long lastSeen = Long.MIN_VALUE;
    private Union sources;
    private Union hosts;
    private ItemsSketch<String> topSources;
    private ItemsSketch<String> topHosts;

    DropTally(long windowStart, long windowEnd) {
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
    }

    /** A tally that goes on from {@code stats} (read back from a store). */
    static DropTally of(DropStats stats, long windowStart, long windowEnd) {
        DropTally t = new DropTally(windowStart, windowEnd);
        t.add(stats);
        return t;
    }

    /** Counts one packet seen at {@code timestamp}. */
    void add(PacketEvent e, long timestamp) {
        IpPacket p = e.getPacket();
        packets++;
        if (p != null && p.getLength() != null) {
            bytes += p.getLength();
        }
        seen(timestamp, timestamp);
        String src = p == null ? null : p.getSrc();
        if (src != null && !src.isEmpty()) {
            sources().update(src);
            topSources().update(src);
        }
        String host = e.getHost();
        if (host != null && !host.isEmpty()) {
            hosts().update(host);
            topHosts().update(host);
        }
    }

    /** Adds an aggregate of the same key and window (a partial from upstream, or what a store held). */
    void add(DropStats s) {
        packets += s.getPackets();
        bytes += s.getBytes();
        if (s.getFirstSeen() != null && s.getLastSeen() != null) {
            seen(s.getFirstSeen().toEpochMilli(), s.getLastSeen().toEpochMilli());
        }
        if (s.getSourceSketch().hasRemaining()) {
            sources().update(Sketches.read(s.getSourceSketch()));
        }
        if (s.getHostSketch().hasRemaining()) {
            hosts().update(Sketches.read(s.getHostSketch()));
        }
        if (s.getTopSources() != null && s.getTopSources().hasRemaining()) {
            topSources().merge(FrequentItems.read(s.getTopSources()));
        }
        if (s.getTopHosts() != null && s.getTopHosts().hasRemaining()) {
            topHosts().merge(FrequentItems.read(s.getTopHosts()));
        }
    }

    long windowStart() {
        return windowStart;
    }

    /** The earliest event time counted: the timestamp of the record that carries a partial on. */
    long firstSeen() {
        return firstSeen;
    }

    /** The latest event time counted: the timestamp of a window's record in its store and topic. */
    long lastSeen() {
        return lastSeen;
    }

    /** The tally as the record the topics and stores hold; the distinct counts are filled in by {@link #finish}. */
    DropStats stats() {
        DropStats s = new DropStats();
        s.setWindowStart(Instant.ofEpochMilli(windowStart));
        s.setWindowEnd(Instant.ofEpochMilli(windowEnd));
        s.setPackets(packets);
        s.setBytes(bytes);
        s.setSourceSketch(serialized(sources));
        s.setHostSketch(serialized(hosts));
        s.setTopSources(serialized(topSources));
        s.setTopHosts(serialized(topHosts));
        if (packets > 0 && lastSeen != Long.MIN_VALUE) {
            s.setFirstSeen(Instant.ofEpochMilli(firstSeen));
            s.setLastSeen(Instant.ofEpochMilli(lastSeen));
        }
        return s;
    }

    /** A closed window's final record: {@link #stats} with the distinct-count estimates. */
    static DropStats finish(DropStats s) {
        DropStats out = DropStats.newBuilder(s).build();
        out.setDistinctSources(Sketches.estimate(s.getSourceSketch()));
        out.setDistinctHosts(Sketches.estimate(s.getHostSketch()));
        return out;
    }

    private void seen(long first, long last) {
        firstSeen = Math.min(firstSeen, first);
        lastSeen = Math.max(lastSeen, last);
    }

    private Union sources() {
        if (sources == null) {
            sources = new Union(Sketches.LG_K);
        }
        return sources;
    }

    private Union hosts() {
        if (hosts == null) {
            hosts = new Union(Sketches.LG_K);
        }
        return hosts;
    }

    private ItemsSketch<String> topSources() {
        if (topSources == null) {
            topSources = new ItemsSketch<>(FrequentItems.MAX_MAP_SIZE);
        }
        return topSources;
    }

    private ItemsSketch<String> topHosts() {
        if (topHosts == null) {
            topHosts = new ItemsSketch<>(FrequentItems.MAX_MAP_SIZE);
        }
        return topHosts;
    }

    /** Compact HLL_4, as {@link Sketches} reads it; empty for none. */
    private static ByteBuffer serialized(Union u) {
        return u == null ? EMPTY : ByteBuffer.wrap(u.getResult(TgtHllType.HLL_4).toCompactByteArray());
    }

    private static ByteBuffer serialized(ItemsSketch<String> items) {
        return items == null ? EMPTY : ByteBuffer.wrap(items.toByteArray(FrequentItems.SERDE));
    }
}
