package dev.dropstream.streams;

import dev.dropstream.schema.DropKey;
import dev.dropstream.schema.DropStats;
import dev.dropstream.schema.IpPacket;
import dev.dropstream.schema.PacketEvent;
import java.time.Instant;
import org.apache.kafka.streams.kstream.Window;

/** The drop aggregate's arithmetic: one packet's observation, merging two, and stamping the window. */
final class DropStatistics {
    private DropStatistics() {
    }

    /** Grouping key of a packet: its rule (prefix, verdict), protocol and destination port. */
    static DropKey keyOf(PacketEvent e) {
        IpPacket p = e.getPacket();
        DropKey k = new DropKey();
        k.setPrefix(e.getPrefix());
        k.setVerdict(e.getVerdict());
        k.setProtocol(p == null || p.getProtocolNumber() == null ? -1 : p.getProtocolNumber());
        k.setDstPort(p == null || p.getDstPort() == null ? -1 : p.getDstPort());
        return k;
    }

    /** One packet as an aggregate of one. {@code timestamp} is the record's (event) time. */
    static DropStats observe(PacketEvent e, long timestamp) {
        IpPacket p = e.getPacket();
        DropStats s = new DropStats();
        s.setWindowStart(Instant.EPOCH);
        s.setWindowEnd(Instant.EPOCH);
        s.setPackets(1);
        s.setBytes(p == null || p.getLength() == null ? 0 : p.getLength());
        s.setSourceSketch(Sketches.of(p == null ? null : p.getSrc()));
        s.setHostSketch(Sketches.of(e.getHost()));
        s.setTopSources(FrequentItems.of(p == null ? null : p.getSrc()));
        s.setTopHosts(FrequentItems.of(e.getHost()));
        Instant t = Instant.ofEpochMilli(timestamp);
        s.setFirstSeen(t);
        s.setLastSeen(t);
        return s;
    }

    /** Two aggregates of the same key and window as one. */
    static DropStats merge(DropStats a, DropStats b) {
        DropStats s = new DropStats();
        s.setWindowStart(a.getWindowStart());
        s.setWindowEnd(a.getWindowEnd());
        s.setPackets(a.getPackets() + b.getPackets());
        s.setBytes(a.getBytes() + b.getBytes());
        s.setSourceSketch(Sketches.merge(a.getSourceSketch(), b.getSourceSketch()));
        s.setHostSketch(Sketches.merge(a.getHostSketch(), b.getHostSketch()));
        s.setTopSources(FrequentItems.merge(a.getTopSources(), b.getTopSources()));
        s.setTopHosts(FrequentItems.merge(a.getTopHosts(), b.getTopHosts()));
        s.setFirstSeen(min(a.getFirstSeen(), b.getFirstSeen()));
        s.setLastSeen(max(a.getLastSeen(), b.getLastSeen()));
        return s;
    }

    /** The final record of a window: its bounds and the distinct-count estimates filled in. */
    static DropStats finish(DropStats s, Window w) {
        DropStats out = DropStats.newBuilder(s).build();
        out.setWindowStart(Instant.ofEpochMilli(w.start()));
        out.setWindowEnd(Instant.ofEpochMilli(w.end()));
        out.setDistinctSources(Sketches.estimate(s.getSourceSketch()));
        out.setDistinctHosts(Sketches.estimate(s.getHostSketch()));
        return out;
    }

    private static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
