package dev.dropstream.streams;

import dev.dropstream.schema.DropKey;
import dev.dropstream.schema.DropStats;
import dev.dropstream.schema.IpPacket;
import dev.dropstream.schema.PacketEvent;
import dev.dropstream.schema.Verdict;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Adds up the packets of one task (its hosts) per drop key and 1-minute window in the heap, and hands the partial
 * aggregates on to the {@code drops-by-rule} repartition just before every commit ({@link BeforeCommit}), so
 * exactly-once holds: nothing counted here outlives a commit unsent. During a catch-up one commit covers many
 * packets per key, so the repartition carries a fraction of the records the packets are; in a quiet stream it
 * carries about one per packet, as before. The partials go in time order, each stamped with its earliest event
 * time and a header naming this task ({@value #TASK_HEADER}): the windows downstream go by the slowest task, and
 * their clock moves no further than the packets' own times would have moved it.
 */
final class DropTallies implements Processor<String, PacketEvent, DropKey, DropStats> {
    /** Names the task a tally comes from, for the windows' clock ({@link DropWindows}). */
    static final String TASK_HEADER = "dropstream.tally.task";
    /** Beyond this many open tallies a commit is asked for, so a long commit interval cannot fill the heap. */
    static final int MAX_OPEN = 50_000;
    private final long windowSize;
    private final String hookStore;
    private final Map<Slot, DropTally> open = new HashMap<>();
    private ProcessorContext<DropKey, DropStats> context;
    private BeforeCommit.Forwarder<DropKey, DropStats> forwarder;
    private byte[] task;

    /** One key in one window. */
    private record Slot(String prefix, Verdict verdict, int protocol, int port, long windowStart) {
        DropKey key() {
            DropKey k = new DropKey();
            k.setPrefix(prefix);
            k.setVerdict(verdict);
            k.setProtocol(protocol);
            k.setDstPort(port);
            return k;
        }
    }

    DropTallies(long windowSize, String hookStore) {
        this.windowSize = windowSize;
        this.hookStore = hookStore;
    }

    @Override
    public void init(ProcessorContext<DropKey, DropStats> ctx) {
        // A task that Kafka Streams closed without committing and revived inits the same processor again: what
        // the heap held then was never committed, and is read again from the input.
        open.clear();
        context = ctx;
        forwarder = new BeforeCommit.Forwarder<>(ctx);
        task = ByteBuffer.allocate(Integer.BYTES).putInt(ctx.taskId().partition()).array();
        BeforeCommit hook = ctx.getStateStore(hookStore);
        hook.onCommit(this::handOn);
    }

    @Override
    public void process(Record<String, PacketEvent> r) {
        PacketEvent e = r.value();
        IpPacket p = e.getPacket();
        long start = r.timestamp() - Math.floorMod(r.timestamp(), windowSize);
        Slot slot = new Slot(e.getPrefix(), e.getVerdict(),
                p == null || p.getProtocolNumber() == null ? -1 : p.getProtocolNumber(),
                p == null || p.getDstPort() == null ? -1 : p.getDstPort(), start);
        DropTally t = open.get(slot);
        if (t == null) {
            t = new DropTally(start, start + windowSize);
            open.put(slot, t);
            if (open.size() == MAX_OPEN) {
                context.commit();
            }
        }
        t.add(e, r.timestamp());
    }

    private void handOn() {
        // In time order: one commit of a task reading a backlog can span a minute or more of event time, and the
        // windows' clock moves with each tally, so a tally handed on after a later one could find its window closed.
        List<Map.Entry<Slot, DropTally>> inOrder = new ArrayList<>(open.entrySet());
        inOrder.sort(Comparator.comparingLong(e -> e.getValue().firstSeen()));
        for (Map.Entry<Slot, DropTally> e : inOrder) {
            DropTally t = e.getValue();
            Headers h = new RecordHeaders().add(TASK_HEADER, task);
            forwarder.forward(new Record<>(e.getKey().key(), t.stats(), t.firstSeen(), h));
        }
        open.clear();
    }
}
