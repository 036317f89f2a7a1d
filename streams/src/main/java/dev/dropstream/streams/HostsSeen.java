package dev.dropstream.streams;

import dev.dropstream.schema.ConntrackEvent;
import dev.dropstream.schema.PacketEvent;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps, per origin host, when it was last seen and how many records it sent. Reads the parsed packet and
 * conntrack events (already keyed by host, so the host's entry lives in the task that sees its records and no
 * repartition is needed); counts in the heap and writes the hosts that changed to the store
 * {@link Names#HOSTS_STORE} before each commit ({@link BeforeCommit}), so a busy host costs one store write per
 * commit, not one per record. Forwards nothing.
 */
final class HostsSeen implements Processor<String, Parsed, Void, Void> {
    private final Map<String, HostActivity> changed = new HashMap<>();
    private KeyValueStore<String, HostActivity> hosts;

    @Override
    public void init(ProcessorContext<Void, Void> ctx) {
        changed.clear();   // a revived task inits again; what was not committed is read again
        hosts = ctx.getStateStore(Names.HOSTS_STORE);
        BeforeCommit hook = ctx.getStateStore(Names.HOSTS_SEEN_HOOK);
        hook.onCommit(() -> {
            changed.forEach(hosts::put);
            changed.clear();
        });
    }

    @Override
    public void process(Record<String, Parsed> r) {
        String host = hostOf(r);
        HostActivity seen = changed.get(host);
        if (seen == null) {
            seen = hosts.get(host);
        }
        changed.put(host, (seen == null ? new HostActivity(Long.MIN_VALUE, 0) : seen).plus(r.timestamp()));
    }

    /** The event's own host, else the record key; "" when neither names one. */
    private static String hostOf(Record<String, Parsed> r) {
        String host = switch (r.value().kind()) {
            case PACKET -> r.value().<PacketEvent>event().getHost();
            case CONNTRACK -> r.value().<ConntrackEvent>event().getHost();
            default -> null;
        };
        if (host == null || host.isEmpty()) {
            host = r.key();
        }
        return host == null ? "" : host;
    }
}
