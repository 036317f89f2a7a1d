package dev.dropstream.streams;

import dev.dropstream.schema.PacketEvent;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The LOG records of the last join window, by host and flow, so a conntrack reason that arrives after the
 * LOG record of its packet still finds it. In memory on purpose: every LOG line passes through here, and
 * writing each to a changelogged store would double the application's write traffic for a few seconds of
 * look-back. After a restart it starts empty; a reason whose LOG record came before the restart is then
 * emitted without its partner (REASON_ONLY), never lost. Bounded by age and by a maximum size.
 */
final class RecentPackets {
    /** One remembered LOG record. */
    static final class Entry {
        final long timestamp;
        final PacketEvent packet;
        boolean taken;

        Entry(long timestamp, PacketEvent packet) {
            this.timestamp = timestamp;
            this.packet = packet;
        }
    }

    private final long windowMs;
    private final int capacity;
    private final Map<String, ArrayDeque<Entry>> byFlow = new HashMap<>();
    private final ArrayDeque<String> order = new ArrayDeque<>();
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    RecentPackets(long windowMs, int capacity) {
        this.windowMs = windowMs;
        this.capacity = capacity;
    }

    void add(String flow, long timestamp, PacketEvent packet) {
        Entry e = new Entry(timestamp, packet);
        byFlow.computeIfAbsent(flow, f -> new ArrayDeque<>()).addLast(e);
        order.addLast(flow);
        entries.addLast(e);
        if (entries.size() > capacity) {
            evictOldest();
        }
    }

    /** Records of the flow within the window of {@code timestamp}, not yet taken by a reason. */
    Iterable<Entry> candidates(String flow, long timestamp) {
        ArrayDeque<Entry> q = byFlow.get(flow);
        if (q == null) {
            return java.util.List.of();
        }
        java.util.List<Entry> out = new java.util.ArrayList<>(q.size());
        for (Entry e : q) {
            if (!e.taken && Math.abs(e.timestamp - timestamp) <= windowMs) {
                out.add(e);
            }
        }
        return out;
    }

    /** Forgets records older than the window before {@code streamTime}. */
    void expire(long streamTime) {
        while (!entries.isEmpty() && entries.peekFirst().timestamp < streamTime - windowMs) {
            evictOldest();
        }
    }

    private void evictOldest() {
        entries.pollFirst();
        String flow = order.pollFirst();
        ArrayDeque<Entry> q = byFlow.get(flow);
        if (q != null) {
            q.pollFirst();
            if (q.isEmpty()) {
                byFlow.remove(flow);
            }
        }
    }

    int size() {
        return entries.size();
    }

    /** For tests: whether any remembered record is still untaken. */
    boolean anyUntaken() {
        for (Iterator<Entry> it = entries.iterator(); it.hasNext();) {
            if (!it.next().taken) {
                return true;
            }
        }
        return false;
    }
}
