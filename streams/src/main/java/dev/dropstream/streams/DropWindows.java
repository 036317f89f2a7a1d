package dev.dropstream.streams;

import dev.dropstream.schema.DropKey;
import dev.dropstream.schema.DropStats;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The drop aggregates of the fleet: reads the partial aggregates of {@code drops-by-rule} (keyed by drop key) and
 * adds them up in tumbling windows of each size (1 minute and 1 hour). Open windows are tallied as live objects in
 * the heap, and those that changed are written to their window stores ({@code drops-1m-store},
 * {@code drops-1h-store}) once per commit ({@link BeforeCommit}), so the stores answer queries as of the last
 * commit. When a window's end plus its grace has passed by the windows' clock (the slowest upstream task still
 * sending, see {@link #clock}), its final {@link DropStats} is forwarded once (to {@code netlog.drops.1m} or
 * {@code .1h}); a partial for a window that has closed is counted ({@code late-drop-records}) and left out, as
 * Kafka Streams' own windowed aggregates do. How far each size has been closed, and how far each upstream task
 * has come, are kept in {@code drops-closed-store}, so a restart neither repeats nor skips a window's final result.
 */
final class DropWindows implements Processor<DropKey, DropStats, DropKey, DropStats> {
    /** One window size and its store. */
    record Size(long size, long grace, String store) {
    }

    /** One key in one window. */
    private record Slot(DropKey key, long start) {
    }

    /** A task that sent no tally for this long (wall clock) has gone quiet, and the clock stops waiting for it. */
    static final long QUIET_MS = 10_000;
    /** How many tallies of open windows each size keeps in the heap between commits, beyond the changed ones. */
    static final int LIVE_TALLIES = 20_000;
    private static final String TASK_KEY = "task:";

    private final List<Size> sizes;
    private final long maxSkew;
    private final int upstreamTasks;
    private final Map<Integer, long[]> tasks = new HashMap<>();
    private final String closedStore;
    private final String hookStore;
    private final List<Open> open = new ArrayList<>();
    private ProcessorContext<DropKey, DropStats> context;
    private KeyValueStore<String, Long> closed;
    private Sensor late;

    /**
     * @param upstreamTasks the tasks that hand tallies on (0: not known): one that has sent nothing yet is waited for
     *     too, as long as it is not quiet
     */
    DropWindows(List<Size> sizes, long maxSkew, int upstreamTasks, String closedStore, String hookStore) {
        this.sizes = List.copyOf(sizes);
        this.maxSkew = maxSkew;
        this.upstreamTasks = upstreamTasks;
        this.closedStore = closedStore;
        this.hookStore = hookStore;
    }

    /**
     * The open windows of one size: the tallies read or changed lately (the least recently used beyond
     * {@link #LIVE_TALLIES} are let go after a commit and read back from the store when needed again), those changed
     * since the last commit, and how far the size is closed.
     */
    private final class Open {
        final Size size;
        final TimestampedWindowStore<DropKey, DropStats> store;
        final LinkedHashMap<Slot, DropTally> live = new LinkedHashMap<>(1024, 0.75f, true);
        final Set<Slot> dirty = new HashSet<>();
        /** Start of the latest window whose final result was forwarded, or null before the first record. */
        Long closedThrough;

        Open(Size size, TimestampedWindowStore<DropKey, DropStats> store, Long closedThrough) {
            this.size = size;
            this.store = store;
            this.closedThrough = closedThrough;
        }

        /**
         * Adds a partial stamped {@code timestamp}: its earliest event time, which lies in the partial's own minute
         * (and is also where the per-packet records of earlier versions, whose window fields were placeholders, fall).
         */
        void add(DropKey key, DropStats partial, long timestamp, long streamTime) {
            long start = timestamp - Math.floorMod(timestamp, size.size());
            if (start + size.size() + size.grace() <= streamTime || closedThrough != null && start <= closedThrough) {
                // Closed: by this clock, or already (the clock moves back when a slower task starts sending).
                late.record();
                return;
            }
            Slot slot = new Slot(key, start);
            DropTally t = live.get(slot);
            if (t == null) {
                ValueAndTimestamp<DropStats> stored = store.fetch(key, start);
                t = stored == null ? new DropTally(start, start + size.size())
                        : DropTally.of(stored.value(), start, start + size.size());
                live.put(slot, t);
            }
            t.add(partial);
            dirty.add(slot);
        }

        /** Before a commit: every changed tally to the store, then the least recently used clean ones let go. */
        void commit() {
            write(slot -> true);
            trim();
        }

        void write(Predicate<Slot> which) {
            for (Iterator<Slot> it = dirty.iterator(); it.hasNext(); ) {
                Slot slot = it.next();
                if (which.test(slot)) {
                    DropTally t = live.get(slot);
                    store.put(slot.key(), ValueAndTimestamp.make(t.stats(), t.lastSeen()), t.windowStart());
                    it.remove();
                }
            }
        }

        /** Lets the least recently used clean tallies go. */
        void trim() {
            for (Iterator<DropTally> it = live.values().iterator(); live.size() > LIVE_TALLIES && it.hasNext(); ) {
                it.next();
                it.remove();
            }
        }

        /** Forwards the final result of every window that the clock has closed since the last time. */
        void close(long streamTime) {
            long bound = streamTime - size.grace() - size.size();
            long through = bound - Math.floorMod(bound, size.size());
            if (closedThrough == null) {
                closedThrough = through;
                closed.put(size.store(), through);
                return;
            }
            if (through <= closedThrough) {
                return;
            }
            // Only the closing windows are written first: a put of a newer window moves the store's clock on, and
            // after a jump in time further than the retention it would drop the windows about to be read.
            write(slot -> slot.start() <= through);
            try (KeyValueIterator<Windowed<DropKey>, ValueAndTimestamp<DropStats>> it = store.fetchAll(
                    Instant.ofEpochMilli(closedThrough + size.size()), Instant.ofEpochMilli(through))) {
                while (it.hasNext()) {
                    KeyValue<Windowed<DropKey>, ValueAndTimestamp<DropStats>> kv = it.next();
                    context.forward(new Record<>(kv.key.key(), DropTally.finish(kv.value.value()), kv.value.timestamp()));
                }
            }
            long done = through;
            live.keySet().removeIf(slot -> slot.start() <= done);
            closedThrough = through;
            closed.put(size.store(), through);
        }
    }

    @Override
    public void init(ProcessorContext<DropKey, DropStats> ctx) {
        // Init comes again for a revived task (closed without a commit): start from the stores, not the heap.
        open.clear();
        tasks.clear();
        context = ctx;
        closed = ctx.getStateStore(closedStore);
        late = Metrics.sensor(ctx, "late-drop-records");
        for (Size s : sizes) {
            open.add(new Open(s, ctx.getStateStore(s.store()), closed.get(s.store())));
        }
        long now = ctx.currentSystemTimeMs();
        try (KeyValueIterator<String, Long> it = closed.prefixScan(TASK_KEY, new StringSerializer())) {
            it.forEachRemaining(kv -> tasks.put(Integer.parseInt(kv.key.substring(TASK_KEY.length())),
                    new long[] {kv.value, now}));
        }
        for (int task = 0; task < upstreamTasks; task++) {
            tasks.putIfAbsent(task, new long[] {Long.MIN_VALUE, now});
        }
        BeforeCommit hook = ctx.getStateStore(hookStore);
        hook.onCommit(() -> {
            open.forEach(Open::commit);
            tasks.forEach((task, t) -> closed.put(TASK_KEY + task, t[0]));
        });
    }

    /**
     * The time the windows go by: the latest tally time of the slowest upstream task that is still sending, but
     * never more than {@code maxSkew} behind the fastest. Going by the fastest alone (Kafka Streams' stream time)
     * would close windows while a slower task, still reading its part of a backlog, has their tallies to come.
     */
    private long clock(Record<DropKey, DropStats> r) {
        Header h = r.headers().lastHeader(DropTallies.TASK_HEADER);
        int task = h == null || h.value() == null || h.value().length != Integer.BYTES ? -1
                : ByteBuffer.wrap(h.value()).getInt();
        long now = context.currentSystemTimeMs();
        long[] t = tasks.computeIfAbsent(task, k -> new long[] {Long.MIN_VALUE, now});
        t[0] = Math.max(t[0], r.timestamp());
        t[1] = now;
        long fastest = Long.MIN_VALUE;
        long slowest = Long.MAX_VALUE;
        for (long[] each : tasks.values()) {
            fastest = Math.max(fastest, each[0]);
            if (now - each[1] <= QUIET_MS) {
                // A task that has sent nothing yet counts as furthest behind (Long.MIN_VALUE).
                slowest = Math.min(slowest, each[0]);
            }
        }
        return Math.max(slowest == Long.MAX_VALUE ? fastest : slowest, fastest - maxSkew);
    }

    @Override
    public void process(Record<DropKey, DropStats> r) {
        long streamTime = clock(r);
        for (Open o : open) {
            // Closing first: this record cannot belong to a window it closes (it would be late), and its own window
            // must not be written before the closing ones are read (see close).
            o.close(streamTime);
            o.add(r.key(), r.value(), r.timestamp(), streamTime);
        }
    }
}
