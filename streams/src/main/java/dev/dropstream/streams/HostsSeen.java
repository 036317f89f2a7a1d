package dev.dropstream.streams;

import dev.dropstream.schema.ConntrackEvent;
import dev.dropstream.schema.PacketEvent;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps, per origin host, when it was last seen and how many records it sent. Reads the parsed packet and
 * conntrack events (already keyed by host, so the host's entry lives in the task that sees its records and no
 * repartition is needed); writes the store {@link Names#HOSTS_STORE}, which is cached, so a busy host costs
 * one store write per commit, not one per record. Forwards nothing.
 */
final class HostsSeen implements Processor<String, Parsed, Void, Void> {
    private KeyValueStore<String, HostActivity> hosts;

    @Override
    public void init(ProcessorContext<Void, Void> ctx) {
        hosts = ctx.getStateStore(Names.HOSTS_STORE);
    }

    @Override
    public void process(Record<String, Parsed> r) {
        String host = hostOf(r);
        HostActivity seen = hosts.get(host);
        hosts.put(host, (seen == null ? new HostActivity(Long.MIN_VALUE, 0) : seen).plus(r.timestamp()));
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
