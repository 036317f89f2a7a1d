package dev.dropstream.streams;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A state store that holds nothing and tells its processor when the task is about to commit, so that the
 * processor can keep its work as plain objects in the heap between commits and write it out once per commit,
 * inside the transaction, instead of serializing it on every record.
 *
 * <p>Why an internal interface: Kafka Streams flushes every store that implements {@link CachedStateStore}
 * before it flushes the producer and commits (StreamTask#prepareCommit), which is how its own record caches
 * write out and forward their dirty entries; no public API runs at that point. Forwarding from there needs the
 * processor's node set on the context as the caches do ({@link Forwarder}). Pinned to the one Kafka version of
 * the build; the topology tests and the crash-and-restart integration test fail if that hook ever stops running.
 */
final class BeforeCommit implements StateStore, CachedStateStore<Object, Object> {
    private final String name;
    private Runnable action = () -> { };
    private boolean open;

    private BeforeCommit(String name) {
        this.name = name;
    }

    /** Runs {@code action} before every commit of the task (and before the task is closed cleanly). */
    void onCommit(Runnable onCommit) {
        this.action = Objects.requireNonNull(onCommit);
    }

    @Override
    public void flushCache() {
        action.run();
    }

    @Override
    public void clearCache() {
        // Nothing is held here; the processor's heap state goes with its task.
    }

    @Override
    public boolean setFlushListener(org.apache.kafka.streams.state.internals.CacheFlushListener<Object, Object> l,
            boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> { });
        open = true;
    }

    @Override
    public void commit(Map<org.apache.kafka.common.TopicPartition, Long> changelogOffsets) {
        // Holds nothing to commit.
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** The builder of a store named {@code name}: in memory, never logged, nothing to restore. */
    static StoreBuilder<BeforeCommit> builder(String name) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<BeforeCommit> withCachingEnabled() {
                return this;
            }

            @Override
            public StoreBuilder<BeforeCommit> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<BeforeCommit> withLoggingEnabled(Map<String, String> config) {
                throw new UnsupportedOperationException("the store " + name + " holds nothing to log");
            }

            @Override
            public StoreBuilder<BeforeCommit> withLoggingDisabled() {
                return this;
            }

            @Override
            public BeforeCommit build() {
                return new BeforeCommit(name);
            }

            @Override
            public Map<String, String> logConfig() {
                return Map.of();
            }

            @Override
            public boolean loggingEnabled() {
                return false;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    /**
     * Forwards records from {@link #flushCache()}, outside any record's processing: with the processor's own node
     * set on the context (as it was when the processor was initialized) and a record context of its own.
     */
    static final class Forwarder<K, V> {
        private final InternalProcessorContext<K, V> context;
        private final ProcessorNode<?, ?, ?, ?> node;

        @SuppressWarnings("unchecked")
        Forwarder(ProcessorContext<K, V> ctx) {
            if (!(ctx instanceof InternalProcessorContext<?, ?> internal)) {
                throw new IllegalStateException("this Kafka Streams gives processors a " + ctx.getClass().getName()
                        + ", which cannot forward before a commit");
            }
            this.context = (InternalProcessorContext<K, V>) internal;
            this.node = internal.currentNode();
        }

        void forward(Record<K, V> record) {
            ProcessorNode<?, ?, ?, ?> previousNode = context.currentNode();
            ProcessorRecordContext previousRecord = context.recordContext();
            context.setRecordContext(new ProcessorRecordContext(record.timestamp(), -1, -1, null, new RecordHeaders()));
            context.setCurrentNode(node);
            try {
                context.forward(record);
            } finally {
                context.setCurrentNode(previousNode);
                context.setRecordContext(previousRecord);
            }
        }
    }
}
