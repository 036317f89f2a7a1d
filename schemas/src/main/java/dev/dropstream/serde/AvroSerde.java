package dev.dropstream.serde;

import dev.dropstream.registry.RegisteredSchema;
import dev.dropstream.registry.SchemaRegistryClient;
import dev.dropstream.registry.SchemaRegistryException;
import dev.dropstream.schema.PacketEvent;
import dev.dropstream.schema.SchemaTrust;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro values (or keys) of a generated class in the Confluent wire format: magic byte 0, the schema's
 * 4-byte big-endian registry id, Avro binary. Stock Confluent, Apicurio, Karapace and Redpanda
 * deserializers read what it writes; it reads what they write, resolving the writer's schema (by id) to
 * this class's. Subjects follow the topic-name strategy ({@code <topic>-value}, {@code <topic>-key}).
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    static final byte MAGIC = 0;

    private final Class<T> type;
    private final Schema schema;
    private SchemaRegistryClient registry;
    private AvroSerdeConfig config;
    private boolean isKey;
    /** Schema id by topic (the subject is the topic's). */
    private final Map<String, Integer> writeIds = new ConcurrentHashMap<>();
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private final DatumWriter<T> writer;
    private final ThreadLocal<ByteArrayOutputStream> buffers = ThreadLocal.withInitial(() -> new ByteArrayOutputStream(512));
    private final ThreadLocal<BinaryEncoder> encoders = new ThreadLocal<>();
    private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();

    public AvroSerde(Class<T> type) {
        SchemaTrust.trustDropstreamSchemas();
        this.type = Objects.requireNonNull(type, "type");
        this.schema = SpecificData.get().getSchema(type);
        this.writer = writerFor(type, schema);
    }

    /** Avro's writer, or a hand-written one for the records written once per line (same bytes, fewer steps). */
    @SuppressWarnings("unchecked")
    private static <T> DatumWriter<T> writerFor(Class<T> type, Schema schema) {
        if (type == PacketEvent.class) {
            return (DatumWriter<T>) new PacketEventWriter();
        }
        return new SpecificDatumWriter<>(schema);
    }

    /** A serde configured in one step. */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, Map<String, ?> configs, boolean isKey) {
        AvroSerde<T> s = new AvroSerde<>(type);
        s.configure(configs, isKey);
        return s;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean key) {
        this.config = new AvroSerdeConfig(configs);
        this.registry = SchemaRegistryClient.forUrl(config.registryUrl(), configs);
        this.isKey = key;
    }

    /** The schema this serde writes and reads into. */
    public Schema schema() {
        return schema;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : serialize(topic, value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : deserialize(topic, bytes);
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }

    private SchemaRegistryClient registry() {
        if (registry == null) {
            throw new IllegalStateException("AvroSerde for " + type.getSimpleName() + " used before configure()");
        }
        return registry;
    }

    byte[] serialize(String topic, T value) {
        Integer id = writeIds.get(topic);
        if (id == null) {
            id = writeIds.computeIfAbsent(topic, t -> writeId(subject(t)));
        }
        ByteArrayOutputStream out = buffers.get();
        out.reset();
        out.write(MAGIC);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        try {
            BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, encoders.get());
            encoders.set(enc);
            writer.write(value, enc);
            enc.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write " + type.getSimpleName() + " for topic " + topic
                    + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private int writeId(String subject) {
        SchemaRegistryClient r = registry();
        try {
            if (config.useLatest()) {
                RegisteredSchema latest = r.latest(subject);
                if (SchemaNormalization.parsingFingerprint64(latest.schema()) != SchemaNormalization.parsingFingerprint64(schema)) {
                    throw new SerializationException("the latest schema of subject " + subject + " (version "
                            + latest.version() + ") is not the one this build writes; register it or turn "
                            + AvroSerdeConfig.USE_LATEST_VERSION + " off");
                }
                return latest.id();
            }
            return config.autoRegister() ? r.register(subject, schema) : r.lookup(subject, schema).id();
        } catch (SchemaRegistryException e) {
            throw new SerializationException("cannot get a schema id for subject " + subject + ": " + e.getMessage(), e);
        }
    }

    T deserialize(String topic, byte[] bytes) {
        if (bytes.length < 5 || bytes[0] != MAGIC) {
            throw new SerializationException("not in the schema-registry wire format (" + (bytes.length < 5
                    ? bytes.length + " bytes" : "magic byte " + bytes[0]) + ") on topic " + topic);
        }
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        DatumReader<T> reader = readers.computeIfAbsent(id, this::readerFor);
        try {
            BinaryDecoder dec = DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, decoders.get());
            decoders.set(dec);
            return reader.read(null, dec);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot read " + type.getSimpleName() + " (schema id " + id
                    + ") from topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private DatumReader<T> readerFor(int id) {
        try {
            return new SpecificDatumReader<>(registry().schemaById(id), schema);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("cannot get the writer schema " + id + ": " + e.getMessage(), e);
        }
    }

    private String subject(String topic) {
        return topic + (isKey ? "-key" : "-value");
    }
}
