package dev.dropstream.streams;

import dev.dropstream.schema.ConntrackEvent;
import dev.dropstream.schema.ConntrackEventKind;
import dev.dropstream.schema.InvalidDrop;
import dev.dropstream.schema.JoinMatch;
import dev.dropstream.schema.PacketEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.regex.Pattern;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Joins conntrack's invalid-packet reasons to the LOG records of the same packets, per host (both sides
 * are keyed by host, so no repartition). Reads packet and conntrack events; writes {@link InvalidDrop}s.
 *
 * <ul>
 *   <li>A reason waits in the store {@link Names#INVALID_JOIN_STORE} for one join window. A LOG record of the
 *       same flow joins it: the same packet (same direction and IP ID, or SEQ/ACK) first, else the nearest
 *       record of the reverse direction (a reply that conntrack rejected, as with a NATed bad checksum).</li>
 *   <li>A reason that comes after its LOG record finds it among the {@link RecentPackets}.</li>
 *   <li>A packet that passes conntrack twice (loopback: output, then input) gives two records with the same
 *       packet on different hooks: they are one reason ({@code conntrackRecords = 2}).</li>
 *   <li>LOG records whose prefix names an invalid-state rule wait in the store too; without a reason they
 *       are emitted as PACKET_ONLY. Every entry is emitted once when its window ends, matched or not.</li>
 * </ul>
 */
final class InvalidReasonJoiner implements Processor<String, Parsed, String, InvalidDrop> {
    /** Two LOG records of the same packet this close are one packet logged by two rules. */
    private static final long SAME_INSTANT_MS = 1;
    private final long windowMs;
    private final Pattern invalidPrefix;
    /** Whether each prefix seen names an invalid-state rule: a host has a handful of prefixes, not one per line. */
    private final Map<String, Boolean> invalidPrefixes = new HashMap<>();
    private final int recentCapacity;
    private ProcessorContext<String, InvalidDrop> context;
    private KeyValueStore<String, InvalidDrop> pending;
    /**
     * How many pending entries each host and flow has: nearly every LOG record is of a flow with nothing pending,
     * and then the store is not read. Rebuilt from the store, with {@link #due}, when the task starts.
     */
    private final Map<String, Integer> pendingFlows = new HashMap<>();
    /** The pending entries' keys by event time, earliest first: what each window end emits, without a scan. */
    private final PriorityQueue<Due> due = new PriorityQueue<>(Comparator.comparingLong(Due::eventTime));

    private record Due(long eventTime, String key) {
    }
    private RecentPackets recent;
    private long sequence;
    private long streamTime = Long.MIN_VALUE;
    private long wallAtStreamTime;
    private Sensor matched;
    private Sensor unmatchedPacket;
    private Sensor unmatchedConntrack;

    InvalidReasonJoiner(Duration window, Pattern invalidPrefix, int recentCapacity) {
        this.windowMs = window.toMillis();
        this.invalidPrefix = invalidPrefix;
        this.recentCapacity = recentCapacity;
    }

    @Override
    public void init(ProcessorContext<String, InvalidDrop> ctx) {
        this.context = ctx;
        this.pending = ctx.getStateStore(Names.INVALID_JOIN_STORE);
        this.recent = new RecentPackets(windowMs, recentCapacity);
        // Init comes again for a task revived after a close without a commit: the heap starts from the store.
        pendingFlows.clear();
        due.clear();
        streamTime = Long.MIN_VALUE;
        try (KeyValueIterator<String, InvalidDrop> it = pending.all()) {
            it.forEachRemaining(kv -> added(kv.key, kv.value));
        }
        this.matched = Metrics.sensor(ctx, "joins-matched");
        this.unmatchedPacket = Metrics.sensor(ctx, "joins-unmatched-packet");
        this.unmatchedConntrack = Metrics.sensor(ctx, "joins-unmatched-conntrack");
        ctx.schedule(Duration.ofSeconds(1), PunctuationType.STREAM_TIME, this::emitDue);
        // Without new records stream time stands still; wall time lets the last windows end anyway.
        ctx.schedule(Duration.ofSeconds(5), PunctuationType.WALL_CLOCK_TIME, wall -> {
            if (streamTime != Long.MIN_VALUE) {
                emitDue(streamTime + Math.max(0, wall - wallAtStreamTime));
            }
        });
    }

    @Override
    public void process(Record<String, Parsed> record) {
        if (record.timestamp() > streamTime) {
            streamTime = record.timestamp();
            wallAtStreamTime = context.currentSystemTimeMs();
        }
        Parsed p = record.value();
        if (p.kind() == Parsed.Kind.CONNTRACK) {
            ConntrackEvent c = p.event();
            if (c.getKind() == ConntrackEventKind.INVALID && c.getPacket() != null && c.getPacket().getPacket() != null) {
                reason(record.key(), record.timestamp(), c);
            }
        } else if (p.kind() == Parsed.Kind.PACKET) {
            PacketEvent e = p.event();
            if (e.getPacket() != null) {
                logRecord(record.key(), record.timestamp(), e);
            }
        }
        recent.expire(streamTime);
    }

    private void reason(String host, long ts, ConntrackEvent c) {
        PacketEvent packet = c.getPacket();
        String flow = Flows.flowKey(packet);
        List<KeyValue<String, InvalidDrop>> sameFlow = pendingOf(host, flow, ts);
        for (KeyValue<String, InvalidDrop> kv : sameFlow) {
            InvalidDrop d = kv.value;
            ConntrackEvent first = d.getConntrack();
            if (first != null && d.getConntrackRecords() == 1 && Flows.sameDirection(first.getPacket(), packet)
                    && Flows.samePacket(first.getPacket(), packet) && differentHooks(first.getPacket(), packet)) {
                d.setConntrackRecords(2);
                pending.put(kv.key, d);
                return;
            }
        }
        KeyValue<String, InvalidDrop> earlierLog = null;
        for (KeyValue<String, InvalidDrop> kv : sameFlow) {
            InvalidDrop d = kv.value;
            if (d.getMatch() == JoinMatch.PACKET_ONLY && Flows.sameDirection(d.getPacket(), packet)
                    && isPartner(Flows.identity(d.getPacket(), packet), d.getEventTime().toEpochMilli(), ts)) {
                earlierLog = nearer(earlierLog, kv, ts);
            }
        }
        if (earlierLog != null) {
            withReason(earlierLog.value, c);
            pending.put(earlierLog.key, earlierLog.value);
            return;
        }
        InvalidDrop d = new InvalidDrop();
        d.setHost(host);
        d.setEventTime(Instant.ofEpochMilli(ts));
        d.setMatch(JoinMatch.REASON_ONLY);
        d.setPacket(packet);
        withReason(d, c);
        RecentPackets.Entry partner = bestRecent(host + '\u0000' + flow, ts, packet);
        if (partner != null) {
            partner.taken = true;
            withLogRecord(d, partner.packet);
        }
        add(key(host, flow, ts), d);
    }

    /** A remembered LOG record for this reason: the same packet, else the nearest of the reverse direction. */
    private RecentPackets.Entry bestRecent(String hostAndFlow, long ts, PacketEvent packet) {
        RecentPackets.Entry same = null;
        RecentPackets.Entry reverse = null;
        for (RecentPackets.Entry e : recent.candidates(hostAndFlow, ts)) {
            if (!Flows.sameDirection(e.packet, packet)) {
                reverse = nearer(reverse, e, ts);
            } else if (isPartner(Flows.identity(e.packet, packet), e.timestamp, ts)) {
                same = nearer(same, e, ts);
            }
        }
        return same != null ? same : reverse;
    }

    private static RecentPackets.Entry nearer(RecentPackets.Entry best, RecentPackets.Entry candidate, long ts) {
        return best == null || Math.abs(candidate.timestamp - ts) <= Math.abs(best.timestamp - ts) ? candidate : best;
    }

    private void logRecord(String host, long ts, PacketEvent e) {
        String flow = Flows.flowKey(e);
        KeyValue<String, InvalidDrop> same = null;
        KeyValue<String, InvalidDrop> reverse = null;
        boolean duplicate = false;
        for (KeyValue<String, InvalidDrop> kv : pendingOf(host, flow, ts)) {
            InvalidDrop d = kv.value;
            long dt = Math.abs(d.getEventTime().toEpochMilli() - ts);
            if (d.getMatch() == JoinMatch.REASON_ONLY) {
                PacketEvent reasonPacket = d.getConntrack().getPacket();
                if (!Flows.sameDirection(reasonPacket, e)) {
                    reverse = nearer(reverse, kv, ts);
                } else if (Flows.samePacket(reasonPacket, e)) {
                    same = nearer(same, kv, ts);
                }
            } else if (dt <= SAME_INSTANT_MS && Flows.sameDirection(d.getPacket(), e) && Flows.samePacket(d.getPacket(), e)) {
                // Another LOG rule logged a packet that is joined or reported already.
                duplicate = true;
            }
        }
        KeyValue<String, InvalidDrop> partner = same != null ? same : duplicate ? null : reverse;
        if (partner != null) {
            withLogRecord(partner.value, e);
            pending.put(partner.key, partner.value);
            return;
        }
        if (duplicate) {
            return;
        }
        if (isInvalidRule(e.getPrefix())) {
            InvalidDrop d = new InvalidDrop();
            d.setHost(host);
            d.setEventTime(Instant.ofEpochMilli(ts));
            withLogRecord(d, e);
            d.setMatch(JoinMatch.PACKET_ONLY);
            add(key(host, flow, ts), d);
        } else {
            recent.add(host + '\u0000' + flow, ts, e);
        }
    }

    private static KeyValue<String, InvalidDrop> nearer(KeyValue<String, InvalidDrop> best,
            KeyValue<String, InvalidDrop> candidate, long ts) {
        if (best == null) {
            return candidate;
        }
        long b = Math.abs(best.value.getEventTime().toEpochMilli() - ts);
        long c = Math.abs(candidate.value.getEventTime().toEpochMilli() - ts);
        return c < b ? candidate : best;
    }

    private static void withReason(InvalidDrop d, ConntrackEvent c) {
        d.setConntrack(c);
        d.setConntrackRecords(1);
        d.setReason(c.getReason());
        d.setReasonText(c.getReasonText());
        d.setTcpState(c.getTcpState());
        if (d.getMatch() == JoinMatch.PACKET_ONLY) {
            d.setMatch(JoinMatch.MATCHED);
        }
    }

    private static void withLogRecord(InvalidDrop d, PacketEvent e) {
        d.setPacket(e);
        d.setPrefix(e.getPrefix());
        d.setVerdict(e.getVerdict());
        d.setMatch(JoinMatch.MATCHED);
    }

    /**
     * Whether a LOG record logged before its reason is the reason's packet. Conntrack sees a packet before
     * the filter hooks, so a LOG record comes first only from an earlier hook, microseconds before; a record
     * that cannot be told apart by ID or sequence numbers must be that close.
     */
    private static boolean isPartner(Flows.Identity identity, long logTime, long reasonTime) {
        return identity == Flows.Identity.SAME
                || identity == Flows.Identity.UNKNOWN && Math.abs(reasonTime - logTime) <= SAME_INSTANT_MS;
    }

    /** Output hook (no input device) versus input or forward hook. */
    private static boolean differentHooks(PacketEvent a, PacketEvent b) {
        return isEmpty(a.getInInterface()) != isEmpty(b.getInInterface());
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    private boolean isInvalidRule(String prefix) {
        Boolean known = invalidPrefixes.get(prefix);
        if (known == null) {
            known = invalidPrefix.matcher(prefix).find();
            if (invalidPrefixes.size() < 10_000) {
                invalidPrefixes.put(prefix, known);
            }
        }
        return known;
    }

    /** A new pending entry. */
    private void add(String key, InvalidDrop d) {
        pending.put(key, d);
        added(key, d);
    }

    private void added(String key, InvalidDrop d) {
        pendingFlows.merge(key.substring(0, key.lastIndexOf('\u0000') + 1), 1, Integer::sum);
        due.add(new Due(d.getEventTime().toEpochMilli(), key));
    }

    private void removed(String key) {
        pendingFlows.computeIfPresent(key.substring(0, key.lastIndexOf('\u0000') + 1), (k, n) -> n == 1 ? null : n - 1);
    }

    /** Pending entries of this host and flow whose window includes {@code ts}. */
    private List<KeyValue<String, InvalidDrop>> pendingOf(String host, String flow, long ts) {
        List<KeyValue<String, InvalidDrop>> out = new ArrayList<>();
        String prefix = host + '\u0000' + flow + '\u0000';
        if (!pendingFlows.containsKey(prefix)) {
            return out;
        }
        try (KeyValueIterator<String, InvalidDrop> it = pending.range(prefix, prefix + '\uffff')) {
            while (it.hasNext()) {
                KeyValue<String, InvalidDrop> kv = it.next();
                if (Math.abs(kv.value.getEventTime().toEpochMilli() - ts) <= windowMs) {
                    out.add(kv);
                }
            }
        }
        return out;
    }

    /**
     * The store key: host and flow first (the prefix scans by), then the time and the input record's offset,
     * which keeps keys unique across restarts (a counter in memory would start again at 0).
     */
    private String key(String host, String flow, long ts) {
        long offset = context.recordMetadata().map(m -> m.offset()).orElse(sequence++);
        return host + '\u0000' + flow + '\u0000' + String.format(Locale.ROOT, "%016x%016x", ts, offset);
    }

    private Sensor outcome(JoinMatch m) {
        return switch (m) {
            case MATCHED -> matched;
            case PACKET_ONLY -> unmatchedPacket;
            case REASON_ONLY -> unmatchedConntrack;
        };
    }

    /** Emits and forgets every entry whose window ended by {@code now}. */
    private void emitDue(long now) {
        while (!due.isEmpty() && due.peek().eventTime() + windowMs <= now) {
            Due d = due.poll();
            InvalidDrop drop = pending.get(d.key());
            if (drop != null) {
                outcome(drop.getMatch()).record();
                context.forward(new Record<>(drop.getHost(), drop, d.eventTime()));
                pending.delete(d.key());
            }
            removed(d.key());
        }
    }
}
