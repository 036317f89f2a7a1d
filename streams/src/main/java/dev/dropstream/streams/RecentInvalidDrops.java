package dev.dropstream.streams;

import dev.dropstream.schema.InvalidDrop;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the newest {@code perHost} {@link InvalidDrop}s of each host for the query API. Reads the output of
 * the invalid-reason join (keyed by host, so each host's entries live in one task); writes the store
 * {@link Names#RECENT_INVALID_STORE}, keyed so that a prefix scan of a host returns its drops newest first
 * ({@link #key}), and deletes what falls beyond the newest {@code perHost}, so the store never grows past
 * {@code perHost} entries per host. Forwards nothing. The keys of each host are also kept in the heap, so that
 * finding what to delete does not read (and deserialize) a host's entries back on every drop.
 */
public final class RecentInvalidDrops implements Processor<String, InvalidDrop, Void, Void> {
    private final int perHost;
    private KeyValueStore<String, InvalidDrop> recent;
    /** The store's keys by host, newest first: a copy, rebuilt from the store when the task starts. */
    private final Map<String, TreeSet<String>> keysByHost = new HashMap<>();
    private long sequence;

    RecentInvalidDrops(int perHost) {
        this.perHost = perHost;
    }

    @Override
    public void init(ProcessorContext<Void, Void> ctx) {
        recent = ctx.getStateStore(Names.RECENT_INVALID_STORE);
        // Only keys of the same host and microsecond need it to differ; the clock keeps it from restarting at 0.
        sequence = ctx.currentSystemTimeMs() * 1000;
        try (KeyValueIterator<String, InvalidDrop> all = recent.all()) {
            all.forEachRemaining(kv -> keysOf(kv.key.substring(0, kv.key.indexOf('\u0000'))).add(kv.key));
        }
    }

    @Override
    public void process(Record<String, InvalidDrop> r) {
        InvalidDrop drop = r.value();
        String host = drop.getHost() != null ? drop.getHost() : r.key() != null ? r.key() : "";
        long micros = drop.getEventTime() != null
                ? drop.getEventTime().getEpochSecond() * 1_000_000L + drop.getEventTime().getNano() / 1000
                : r.timestamp() * 1000;
        String key = key(host, micros, sequence++);
        recent.put(key, drop);
        TreeSet<String> keys = keysOf(host);
        keys.add(key);
        while (keys.size() > perHost) {
            recent.delete(keys.pollLast());   // the oldest: keys count time down
        }
    }

    private TreeSet<String> keysOf(String host) {
        return keysByHost.computeIfAbsent(host, h -> new TreeSet<>());
    }

    /** Where a host's keys start: every key of the host, and no other host's, begins with this. */
    public static String hostPrefix(String host) {
        return host + '\u0000';
    }

    /** Host, then the time counted down from the far future (newest sorts first), then a tie-breaker. */
    static String key(String host, long eventMicros, long sequence) {
        return hostPrefix(host) + String.format(Locale.ROOT, "%016x%016x", Long.MAX_VALUE - eventMicros, sequence);
    }
}
