package dev.dropstream.topics;

import dev.dropstream.schema.ConntrackEvent;
import dev.dropstream.schema.DeadLetter;
import dev.dropstream.schema.DropKey;
import dev.dropstream.schema.DropStats;
import dev.dropstream.schema.InvalidDrop;
import dev.dropstream.schema.PacketEvent;
import dev.dropstream.serde.AvroSerde;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every Dropstream topic once: its name and the serdes of its key and value. Built once from the
 * configuration and handed to the topology, the tests and the query side; immutable.
 *
 * <p>Names default to {@code netlog.*} and are overridden by the keys in {@link #NAME_KEYS}
 * ({@code topics.*}: Kafka Streams reserves the {@code topic.} prefix for internal-topic settings).
 */
public final class TopicCatalog {

    /** One topic: name and serdes. */
    public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
        public Topic {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a topic name must not be blank");
            }
        }
    }

    /** Configuration key of each topic's name, and its default. */
    public static final Map<String, String> NAME_KEYS = Map.of(
            "topics.raw", "netlog.raw",
            "topics.packets", "netlog.packets",
            "topics.conntrack", "netlog.conntrack",
            "topics.invalid", "netlog.invalid",
            "topics.drops.1m", "netlog.drops.1m",
            "topics.drops.1h", "netlog.drops.1h",
            "topics.deadletter", "netlog.deadletter");

    private final Topic<String, byte[]> raw;
    private final Topic<String, PacketEvent> packets;
    private final Topic<String, ConntrackEvent> conntrack;
    private final Topic<String, InvalidDrop> invalid;
    private final Topic<DropKey, DropStats> drops1m;
    private final Topic<DropKey, DropStats> drops1h;
    private final Topic<String, DeadLetter> deadLetter;

    private TopicCatalog(Map<String, String> names, Map<String, ?> serdeConfig) {
        Serde<String> host = Serdes.String();
        raw = new Topic<>(names.get("topics.raw"), host, Serdes.ByteArray());
        packets = new Topic<>(names.get("topics.packets"), host, avro(PacketEvent.class, serdeConfig, false));
        conntrack = new Topic<>(names.get("topics.conntrack"), host, avro(ConntrackEvent.class, serdeConfig, false));
        invalid = new Topic<>(names.get("topics.invalid"), host, avro(InvalidDrop.class, serdeConfig, false));
        Serde<DropKey> dropKey = avro(DropKey.class, serdeConfig, true);
        drops1m = new Topic<>(names.get("topics.drops.1m"), dropKey, avro(DropStats.class, serdeConfig, false));
        drops1h = new Topic<>(names.get("topics.drops.1h"), dropKey, avro(DropStats.class, serdeConfig, false));
        deadLetter = new Topic<>(names.get("topics.deadletter"), host, avro(DeadLetter.class, serdeConfig, false));
    }

    /**
     * A catalog from configuration: topic names under {@link #NAME_KEYS} (others ignored), serdes configured
     * with the same map ({@code schema.registry.url} and the other serde settings).
     */
    public static TopicCatalog create(Map<String, ?> config) {
        Map<String, String> names = new HashMap<>(NAME_KEYS);
        NAME_KEYS.keySet().forEach(k -> {
            Object v = config.get(k);
            if (v != null) {
                names.put(k, v.toString().strip());
            }
        });
        if (names.values().stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("two Dropstream topics have the same name: " + names);
        }
        return new TopicCatalog(names, config);
    }

    private static <T extends SpecificRecord> Serde<T> avro(Class<T> type, Map<String, ?> config, boolean isKey) {
        return AvroSerde.of(type, config, isKey);
    }

    /** Raw kernel/syslog lines (or shipper JSON envelopes), keyed by origin host. */
    public Topic<String, byte[]> raw() {
        return raw;
    }

    public Topic<String, PacketEvent> packets() {
        return packets;
    }

    public Topic<String, ConntrackEvent> conntrack() {
        return conntrack;
    }

    public Topic<String, InvalidDrop> invalid() {
        return invalid;
    }

    public Topic<DropKey, DropStats> drops1m() {
        return drops1m;
    }

    public Topic<DropKey, DropStats> drops1h() {
        return drops1h;
    }

    public Topic<String, DeadLetter> deadLetter() {
        return deadLetter;
    }

    /** The output topics, which the application creates when they are missing. */
    public List<Topic<?, ?>> outputs() {
        return List.of(packets, conntrack, invalid, drops1m, drops1h, deadLetter);
    }
}
