package dev.dropstream.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dropstream.schema.DropKey;
import dev.dropstream.schema.DropStats;
import dev.dropstream.schema.InvalidDrop;
import dev.dropstream.schema.ReasonKey;
import dev.dropstream.schema.ReasonStats;
import dev.dropstream.streams.HostActivity;
import dev.dropstream.streams.Names;
import dev.dropstream.streams.RecentInvalidDrops;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.query.WindowRangeQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Reads this instance's active partitions of the stores through interactive queries (IQv2), and turns what it
 * finds into rows the fleet-wide merge understands (sketches as bytes, times as epoch millis). Filters are
 * applied here, so only matching rows travel. A partition that cannot be read is a 503, never left out.
 */
final class LocalStores {
    private final KafkaStreams streams;

    LocalStores(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Windows of the drop aggregate starting in the range, matching the filter. */
    LocalPart drops(String store, Range r, Filters.Drops filter) {
        WindowRangeQuery<DropKey, DropStats> q = WindowRangeQuery.withWindowStartRange(r.from(), r.to());
        return read(store, q, (it, rows) -> it.forEachRemaining(kv -> {
            DropKey k = kv.key.key();
            if (filter.matches(k)) {
                DropStats s = value(kv.value);
                ObjectNode row = Json.MAPPER.createObjectNode();
                row.put("prefix", k.getPrefix());
                row.put("verdict", k.getVerdict().name());
                row.put("protocol", k.getProtocol());
                row.put("port", k.getDstPort());
                row.put("start", kv.key.window().start());
                row.put("end", kv.key.window().end());
                row.put("packets", s.getPackets());
                row.put("bytes", s.getBytes());
                row.put("sourceSketch", bytes(s.getSourceSketch()));
                row.put("hostSketch", bytes(s.getHostSketch()));
                row.put("topSources", bytes(s.getTopSources()));
                row.put("topHosts", bytes(s.getTopHosts()));
                rows.add(row);
            }
        }));
    }

    /** Windows of the conntrack aggregate starting in the range, matching the filter. */
    LocalPart reasons(String store, Range r, Filters.Reasons filter) {
        WindowRangeQuery<ReasonKey, ReasonStats> q = WindowRangeQuery.withWindowStartRange(r.from(), r.to());
        return read(store, q, (it, rows) -> it.forEachRemaining(kv -> {
            ReasonKey k = kv.key.key();
            if (filter.matches(k)) {
                ReasonStats s = value(kv.value);
                ObjectNode row = Json.MAPPER.createObjectNode();
                row.put("host", k.getHost());
                row.put("kind", k.getKind().name());
                row.put("reason", k.getReason() == null ? null : k.getReason().name());
                row.put("events", s.getEvents());
                row.put("suppressedCallbacks", s.getSuppressedCallbacks());
                row.put("firstSeen", s.getFirstSeen().toEpochMilli());
                row.put("lastSeen", s.getLastSeen().toEpochMilli());
                rows.add(row);
            }
        }));
    }

    /** Every host of this instance's partitions. */
    LocalPart hosts() {
        RangeQuery<String, HostActivity> q = RangeQuery.withNoBounds();
        return read(Names.HOSTS_STORE, q, (it, rows) -> it.forEachRemaining(kv -> {
            HostActivity a = value(kv.value);
            ObjectNode row = Json.MAPPER.createObjectNode();
            row.put("host", kv.key);
            row.put("lastSeen", a.lastSeenMillis());
            row.put("records", a.records());
            rows.add(row);
        }));
    }

    /** The newest {@code limit} InvalidDrops of each partition, of {@code host} or of every host. */
    LocalPart invalid(String host, int limit) {
        RangeQuery<String, InvalidDrop> q = host == null ? RangeQuery.withNoBounds()
                : RangeQuery.withRange(RecentInvalidDrops.hostPrefix(host), RecentInvalidDrops.hostPrefix(host) + '\uffff');
        LocalPart all = read(Names.RECENT_INVALID_STORE, q, (it, rows) -> it.forEachRemaining(kv ->
                rows.add(Json.avro(this.<InvalidDrop>value(kv.value)))));
        return new LocalPart(all.partitions(), Rows.newestFirst(all.rows(), limit));
    }

    /**
     * Runs {@code q} on every local active partition of {@code store} and reads each partition's iterator into
     * rows. Every iterator is closed, also when another partition failed.
     */
    private <R extends KeyValueIterator<?, ?>> LocalPart read(String store, Query<R> q,
            BiConsumer<R, List<ObjectNode>> reader) {
        StateQueryResult<R> result;
        try {
            result = streams.query(StateQueryRequest.inStore(store).withQuery(q).requireActive());
        } catch (InvalidStateStoreException | IllegalStateException e) {
            throw ApiError.unavailable("the store " + store + " is not queryable now (" + e.getMessage() + ")");
        }
        Map<Integer, QueryResult<R>> parts = result.getPartitionResults();
        String failure = null;
        for (Map.Entry<Integer, QueryResult<R>> e : parts.entrySet()) {
            if (e.getValue().isFailure()) {
                failure = "partition " + e.getKey() + " of " + store + " is not queryable here ("
                        + e.getValue().getFailureReason() + ": " + e.getValue().getFailureMessage() + ")";
            }
        }
        SortedSet<Integer> partitions = new TreeSet<>();
        List<ObjectNode> rows = new ArrayList<>();
        for (Map.Entry<Integer, QueryResult<R>> e : parts.entrySet()) {
            if (e.getValue().isSuccess()) {
                try (R it = e.getValue().getResult()) {
                    if (failure == null) {
                        reader.accept(it, rows);
                        partitions.add(e.getKey());
                    }
                }
            }
        }
        if (failure != null) {
            throw ApiError.unavailable(failure);
        }
        return new LocalPart(partitions, rows);
    }

    /** DSL stores hold values with their timestamps; whether IQv2 unwraps them depends on the store type. */
    @SuppressWarnings("unchecked")
    private <V> V value(Object stored) {
        return (V) (stored instanceof ValueAndTimestamp<?> vt ? vt.value() : stored);
    }

    private static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return new byte[0];
        }
        ByteBuffer view = b.duplicate();
        byte[] out = new byte[view.remaining()];
        view.get(out);
        return out;
    }
}
