package dev.dropstream.streams;

import dev.dropstream.schema.ConntrackEvent;
import dev.dropstream.schema.ConntrackEventKind;
import dev.dropstream.schema.ReasonKey;
import dev.dropstream.schema.ReasonStats;
import java.time.Instant;

/** The conntrack aggregate's arithmetic: per (host, kind, reason) counts of lines and suppressed messages. */
final class ReasonStatistics {
    private ReasonStatistics() {
    }

    static ReasonKey keyOf(String host, ConntrackEvent c) {
        ReasonKey k = new ReasonKey();
        k.setHost(host == null ? "" : host);
        k.setKind(c.getKind());
        k.setReason(c.getReason());
        return k;
    }

    static ReasonStats observe(ConntrackEvent c, long timestamp) {
        ReasonStats s = new ReasonStats();
        s.setEvents(1);
        s.setSuppressedCallbacks(c.getKind() == ConntrackEventKind.CALLBACKS_SUPPRESSED
                && c.getSuppressedCallbacks() != null ? c.getSuppressedCallbacks() : 0);
        Instant t = Instant.ofEpochMilli(timestamp);
        s.setFirstSeen(t);
        s.setLastSeen(t);
        return s;
    }

    static ReasonStats merge(ReasonStats a, ReasonStats b) {
        ReasonStats s = new ReasonStats();
        s.setEvents(a.getEvents() + b.getEvents());
        s.setSuppressedCallbacks(a.getSuppressedCallbacks() + b.getSuppressedCallbacks());
        s.setFirstSeen(a.getFirstSeen().isBefore(b.getFirstSeen()) ? a.getFirstSeen() : b.getFirstSeen());
        s.setLastSeen(a.getLastSeen().isAfter(b.getLastSeen()) ? a.getLastSeen() : b.getLastSeen());
        return s;
    }
}
