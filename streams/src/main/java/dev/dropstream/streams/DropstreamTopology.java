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
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
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
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The Dropstream topology, as a function of its settings and topic catalog (the application and the
 * tests build the same one):
 *
 * <pre>
 * netlog.raw ─ parse ─┬─ keyed ──────────────────────────────────────┐    (packet and conntrack also feed
 *                     │                                                  │     hosts-store; the join's output
 *                     │                                                  │     also invalid-recent-store)
 *                     └─ rekey ─ lines-by-host (repartition) ─ parse ─┴─ packet ─── netlog.packets
 *                                                                       │            └ drops-by-rule ─ 1m, 1h windows ─ netlog.drops.1m/1h
 *                                                                       ├ conntrack ─ netlog.conntrack
 *                                                                       │            └ reasons-by-key ─ 1m, 1h windows (stores)
 *                                                                       └ dead-letter ─ netlog.deadletter
 * </pre>
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
        // Cached: a busy host's entry is written once per commit, not once per record.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HOSTS_STORE),
                Serdes.String(), HostActivity.serde()).withCachingEnabled());
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
        events.process(HostsSeen::new, Named.as(HOSTS_SEEN), HOSTS_STORE);
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

        dropAggregates(settings, topics, packets);
        reasonAggregates(settings, serdeConfig, conntrack);
        return builder.build();
    }

    private static void dropAggregates(TopologySettings s, TopicCatalog topics, KStream<String, PacketEvent> packets) {
        Serde<DropKey> keySerde = topics.drops1m().keySerde();
        Serde<DropStats> valueSerde = topics.drops1m().valueSerde();
        KGroupedStream<DropKey, DropStats> byRule = packets
                .process(() -> new Observation<String, PacketEvent, DropKey, DropStats>(
                        r -> r.withKey(DropStatistics.keyOf(r.value()))
                                .withValue(DropStatistics.observe(r.value(), r.timestamp()))),
                        Named.as(DROP_OBSERVATION))
                .groupByKey(Grouped.with(DROPS_BY_RULE, keySerde, valueSerde));
        windowed(byRule, s.minuteWindow(), s.minuteGrace(), s.minuteRetention(), DROPS_1M_STORE, DROPS_1M,
                keySerde, valueSerde, topics.drops1m());
        windowed(byRule, s.hourWindow(), s.hourGrace(), s.hourRetention(), DROPS_1H_STORE, DROPS_1H,
                keySerde, valueSerde, topics.drops1h());
    }

    /** One window size: the queryable store, and the final result of each window to its topic. */
    private static void windowed(KGroupedStream<DropKey, DropStats> byRule, Duration size, Duration grace,
            Duration retention, String store, String name, Serde<DropKey> keySerde, Serde<DropStats> valueSerde,
            TopicCatalog.Topic<DropKey, DropStats> topic) {
        byRule.windowedBy(TimeWindows.ofSizeAndGrace(size, grace))
                .reduce(DropStatistics::merge, Named.as(name + "-reduce"),
                        Materialized.<DropKey, DropStats, WindowStore<Bytes, byte[]>>as(store)
                                .withKeySerde(keySerde).withValueSerde(valueSerde).withRetention(retention))
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName(name + "-final"))
                .toStream(Named.as(name + "-results"))
                .map((wk, stats) -> KeyValue.pair(wk.key(), DropStatistics.finish(stats, wk.window())),
                        Named.as(name + "-window-bounds"))
                .to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde()).withName(name + "-sink"));
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
