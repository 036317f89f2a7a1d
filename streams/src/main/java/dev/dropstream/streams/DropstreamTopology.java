package dev.dropstream.streams;

import static dev.dropstream.streams.Names.*;

import dev.dropstream.schema.ConntrackEvent;
import dev.dropstream.schema.DeadLetter;
import dev.dropstream.schema.DropKey;
import dev.dropstream.schema.DropStats;
import dev.dropstream.schema.InvalidDrop;
import dev.dropstream.schema.PacketEvent;
import dev.dropstream.schema.ReasonKey;
import dev.dropstream.schema.ReasonStats;
import dev.dropstream.serde.AvroSerde;
import dev.dropstream.topics.TopicCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The Dropstream topology, as a function of its settings and topic catalog (the application and the
 * tests build the same one):
 *
 * <pre>
 * netlog.raw ─ parse ─┬─ keyed ──────────────────────────────────────┐
 *                     └─ rekey ─ lines-by-host (repartition) ─ parse ─┴─ packet ─── netlog.packets
 *                                                                       │            └ tallies ─ drops-by-rule ─ 1m, 1h windows ─ netlog.drops.1m/1h
 *                                                                       ├ conntrack ─ netlog.conntrack
 *                                                                       │            └ reasons-by-key ─ 1m, 1h windows (stores)
 *                                                                       └ dead-letter ─ netlog.deadletter
 * </pre>
 * Packet and conntrack events also feed the invalid-reason join (to netlog.invalid, and its newest results per
 * host to the store invalid-recent-store) and the store hosts-store, both in the parsing task.
 */
public final class DropstreamTopology {
    private DropstreamTopology() {
    }

    public static Topology build(TopologySettings settings, TopicCatalog topics, Map<String, ?> serdeConfig) {
        StreamsBuilder builder = new StreamsBuilder();
        // In memory (still changelogged, so exactly-once and restorable): entries live for one join window
        // and are deleted, and RocksDB's range seeks over the tombstones of a busy host cost more than the join.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(INVALID_JOIN_STORE),
                Serdes.String(), topics.invalid().valueSerde()));
        // HostsSeen counts in the heap and writes each host that changed once per commit.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HOSTS_STORE),
                Serdes.String(), HostActivity.serde()));
        builder.addStateStore(BeforeCommit.builder(HOSTS_SEEN_HOOK));
        // In memory: bounded by recentInvalidPerHost per host, and rewritten on every InvalidDrop.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(RECENT_INVALID_STORE),
                Serdes.String(), topics.invalid().valueSerde()));
        KStream<String, byte[]> raw = builder.stream(topics.raw().name(),
                Consumed.with(topics.raw().keySerde(), topics.raw().valueSerde()).withName(RAW_SOURCE));

        KStream<String, Parsed> parsed = raw.process(() -> new ParseProcessor(settings.parser(), settings.rekeyByHost(),
                settings.maxFuture().toMillis()),
                Named.as(PARSE));
        if (settings.rekeyByHost()) {
            Map<String, KStream<String, Parsed>> byKey = parsed.split(Named.as(ROUTE))
                    .branch((k, p) -> p.kind() != Parsed.Kind.REKEY, Branched.as(ROUTE_KEYED))
                    .defaultBranch(Branched.as(ROUTE_REKEY));
            KStream<String, Parsed> rekeyed = byKey.get(ROUTE + ROUTE_REKEY)
                    .mapValues(Parsed::original, Named.as(REKEY_VALUE))
                    .repartition(Repartitioned.with(topics.raw().keySerde(), topics.raw().valueSerde()).withName(BY_HOST))
                    .process(() -> new ParseProcessor(settings.parser(), false, settings.maxFuture().toMillis()), Named.as(PARSE_REKEYED));
            parsed = byKey.get(ROUTE + ROUTE_KEYED).merge(rekeyed, Named.as(MERGE));
        }

        KStream<String, Parsed> events = parsed.filter(
                (k, p) -> p.kind() == Parsed.Kind.PACKET || p.kind() == Parsed.Kind.CONNTRACK, Named.as(JOINABLE));
        events.process(HostsSeen::new, Named.as(HOSTS_SEEN), HOSTS_STORE, HOSTS_SEEN_HOOK);
        KStream<String, InvalidDrop> invalid = events
                .process(() -> new InvalidReasonJoiner(settings.joinWindow(), settings.invalidPrefix(),
                        settings.joinRecentCapacity()), Named.as(INVALID_JOIN), INVALID_JOIN_STORE);
        invalid.to(topics.invalid().name(), Produced.with(topics.invalid().keySerde(), topics.invalid().valueSerde())
                .withName(INVALID_SINK));
        invalid.process(() -> new RecentInvalidDrops(settings.recentInvalidPerHost()), Named.as(RECENT_INVALID),
                RECENT_INVALID_STORE);

        Map<String, KStream<String, Parsed>> kinds = parsed.split(Named.as(KIND))
                .branch((k, p) -> p.kind() == Parsed.Kind.PACKET, Branched.as(KIND_PACKET))
                .branch((k, p) -> p.kind() == Parsed.Kind.CONNTRACK, Branched.as(KIND_CONNTRACK))
                .defaultBranch(Branched.as(KIND_DEAD_LETTER));

        KStream<String, PacketEvent> packets = kinds.get(KIND + KIND_PACKET)
                .mapValues(p -> p.<PacketEvent>event(), Named.as(PACKET_VALUE));
        packets.to(topics.packets().name(), Produced.with(topics.packets().keySerde(), topics.packets().valueSerde())
                .withName(PACKETS_SINK));

        KStream<String, ConntrackEvent> conntrack = kinds.get(KIND + KIND_CONNTRACK)
                .mapValues(p -> p.<ConntrackEvent>event(), Named.as(CONNTRACK_VALUE));
        conntrack.to(topics.conntrack().name(), Produced.with(topics.conntrack().keySerde(),
                topics.conntrack().valueSerde()).withName(CONNTRACK_SINK));

        kinds.get(KIND + KIND_DEAD_LETTER).mapValues(p -> p.<DeadLetter>event(), Named.as(DEAD_LETTER_VALUE))
                .to(topics.deadLetter().name(), Produced.with(topics.deadLetter().keySerde(),
                        topics.deadLetter().valueSerde()).withName(DEAD_LETTER_SINK));

        dropAggregates(settings, topics, builder, packets);
        reasonAggregates(settings, serdeConfig, conntrack);
        return builder.build();
    }

    /**
     * Packets are tallied per task and handed on before each commit ({@link DropTallies}), re-keyed by rule through
     * {@code drops-by-rule}, and added up per window size ({@link DropWindows}), whose final results go to their
     * topics.
     */
    private static void dropAggregates(TopologySettings s, TopicCatalog topics, StreamsBuilder builder,
            KStream<String, PacketEvent> packets) {
        Serde<DropKey> keySerde = topics.drops1m().keySerde();
        Serde<DropStats> valueSerde = topics.drops1m().valueSerde();
        long minute = s.minuteWindow().toMillis();
        builder.addStateStore(BeforeCommit.builder(DROP_TALLIES_HOOK));
        builder.addStateStore(windowStore(DROPS_1M_STORE, s.minuteRetention(), s.minuteWindow(), keySerde, valueSerde));
        builder.addStateStore(windowStore(DROPS_1H_STORE, s.hourRetention(), s.hourWindow(), keySerde, valueSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DROPS_CLOSED_STORE),
                Serdes.String(), Serdes.Long()));
        builder.addStateStore(BeforeCommit.builder(DROP_WINDOWS_HOOK));
        List<DropWindows.Size> sizes = List.of(
                new DropWindows.Size(minute, s.minuteGrace().toMillis(), DROPS_1M_STORE),
                new DropWindows.Size(s.hourWindow().toMillis(), s.hourGrace().toMillis(), DROPS_1H_STORE));
        KStream<DropKey, DropStats> finals = packets
                .process(() -> new DropTallies(minute, DROP_TALLIES_HOOK), Named.as(DROP_TALLIES), DROP_TALLIES_HOOK)
                .repartition(Repartitioned.with(keySerde, valueSerde).withName(DROPS_BY_RULE))
                .process(() -> new DropWindows(sizes, s.maxSkew().toMillis(), s.upstreamTasks(),
                        DROPS_CLOSED_STORE, DROP_WINDOWS_HOOK), Named.as(DROP_WINDOWS),
                        DROPS_1M_STORE, DROPS_1H_STORE, DROPS_CLOSED_STORE, DROP_WINDOWS_HOOK);
        Map<String, KStream<DropKey, DropStats>> bySize = finals.split(Named.as(DROPS_FINAL))
                .branch((k, v) -> v.getWindowEnd().toEpochMilli() - v.getWindowStart().toEpochMilli() == minute,
                        Branched.as(DROPS_1M))
                .defaultBranch(Branched.as(DROPS_1H));
        bySize.get(DROPS_FINAL + DROPS_1M).to(topics.drops1m().name(), Produced.with(topics.drops1m().keySerde(),
                topics.drops1m().valueSerde()).withName(DROPS_1M + "-sink"));
        bySize.get(DROPS_FINAL + DROPS_1H).to(topics.drops1h().name(), Produced.with(topics.drops1h().keySerde(),
                topics.drops1h().valueSerde()).withName(DROPS_1H + "-sink"));
    }

    /** A window store the drop windows write once per commit (no record cache: they hold their own tallies). */
    private static StoreBuilder<TimestampedWindowStore<DropKey, DropStats>> windowStore(String name, Duration retention,
            Duration size, Serde<DropKey> keySerde, Serde<DropStats> valueSerde) {
        return Stores.timestampedWindowStoreBuilder(Stores.persistentTimestampedWindowStore(name, retention, size, false),
                keySerde, valueSerde);
    }

    private static void reasonAggregates(TopologySettings s, Map<String, ?> serdeConfig,
            KStream<String, ConntrackEvent> conntrack) {
        Serde<ReasonKey> keySerde = AvroSerde.of(ReasonKey.class, serdeConfig, true);
        Serde<ReasonStats> valueSerde = AvroSerde.of(ReasonStats.class, serdeConfig, false);
        KGroupedStream<ReasonKey, ReasonStats> byReason = conntrack
                .process(() -> new Observation<String, ConntrackEvent, ReasonKey, ReasonStats>(
                        r -> r.withKey(ReasonStatistics.keyOf(r.key(), r.value()))
                                .withValue(ReasonStatistics.observe(r.value(), r.timestamp()))),
                        Named.as(REASON_OBSERVATION))
                .groupByKey(Grouped.with(REASONS_BY_KEY, keySerde, valueSerde));
        reasonWindow(byReason, s.minuteWindow(), s.minuteGrace(), s.minuteRetention(), REASONS_1M, REASONS_1M_STORE,
                keySerde, valueSerde);
        reasonWindow(byReason, s.hourWindow(), s.hourGrace(), s.hourRetention(), REASONS_1H, REASONS_1H_STORE,
                keySerde, valueSerde);
    }

    /** One window size of the conntrack aggregate: a queryable store (no output topic). */
    private static void reasonWindow(KGroupedStream<ReasonKey, ReasonStats> byReason, Duration size, Duration grace,
            Duration retention, String name, String store, Serde<ReasonKey> keySerde, Serde<ReasonStats> valueSerde) {
        byReason.windowedBy(TimeWindows.ofSizeAndGrace(size, grace))
                .reduce(ReasonStatistics::merge, Named.as(name + "-reduce"),
                        Materialized.<ReasonKey, ReasonStats, WindowStore<Bytes, byte[]>>as(store)
                                .withKeySerde(keySerde).withValueSerde(valueSerde).withRetention(retention));
    }

    /**
     * Re-keys each record by {@code observe}, which sees the whole record: unlike {@code map}, it has the record's
     * event time to stamp into the aggregate of one.
     */
    private static final class Observation<K, V, KO, VO> implements Processor<K, V, KO, VO> {
        private final Function<Record<K, V>, Record<KO, VO>> observe;
        private ProcessorContext<KO, VO> context;

        Observation(Function<Record<K, V>, Record<KO, VO>> observe) {
            this.observe = observe;
        }

        @Override
        public void init(ProcessorContext<KO, VO> ctx) {
            this.context = ctx;
        }

        @Override
        public void process(Record<K, V> r) {
            context.forward(observe.apply(r));
        }
    }
}
