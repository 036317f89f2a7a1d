package dev.dropstream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dropstream.schema.DeadLetter;
import dev.dropstream.schema.DropKey;
import dev.dropstream.schema.Verdict;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
    private final String scope = "mock://" + UUID.randomUUID();

    private static DeadLetter letter() {
        return DeadLetter.newBuilder().setOriginal(ByteBuffer.wrap(new byte[] {1, 2, (byte) 0xff}))
                .setErrorClass("BAD_VALUE").setErrorMessage("malformed value").setTopic("netlog.raw").setPartition(0)
                .setOffset(7L).build();
    }

    @Test
    void writesTheConfluentWireFormatAndReadsItBack() {
        AvroSerde<DeadLetter> serde = AvroSerde.of(DeadLetter.class, Map.of("schema.registry.url", scope), false);
        byte[] bytes = serde.serializer().serialize("netlog.deadletter", letter());
        assertThat(bytes[0]).as("magic byte").isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).as("schema id").isEqualTo(1);
        assertThat(serde.deserializer().deserialize("netlog.deadletter", bytes)).isEqualTo(letter());
        assertThat(serde.serializer().serialize("netlog.deadletter", null)).isNull();
        assertThat(serde.deserializer().deserialize("netlog.deadletter", null)).isNull();
    }

    @Test
    void keysAndValuesUseTheirOwnSubjects() {
        Map<String, String> cfg = Map.of("schema.registry.url", scope);
        AvroSerde<DropKey> keys = AvroSerde.of(DropKey.class, cfg, true);
        DropKey k = DropKey.newBuilder().setPrefix("[UFW BLOCK] ").setVerdict(Verdict.DROP).setProtocol(6).setDstPort(22).build();
        keys.serializer().serialize("netlog.drops.1m", k);
        AvroSerde<DeadLetter> values = AvroSerde.of(DeadLetter.class, cfg, false);
        values.serializer().serialize("netlog.drops.1m", letter());
        var registry = dev.dropstream.registry.SchemaRegistryClient.forUrl(scope, cfg);
        assertThat(registry.latest("netlog.drops.1m-key").schema()).isEqualTo(DropKey.getClassSchema());
        assertThat(registry.latest("netlog.drops.1m-value").schema()).isEqualTo(DeadLetter.getClassSchema());
    }

    @Test
    void withoutAutoRegisterTheSchemaMustBeRegistered() {
        AvroSerde<DeadLetter> strict = AvroSerde.of(DeadLetter.class,
                Map.of("schema.registry.url", scope, "auto.register.schemas", "false"), false);
        assertThatThrownBy(() -> strict.serializer().serialize("t", letter()))
                .isInstanceOf(SerializationException.class).hasMessageContaining("cannot get a schema id for subject t-value");
        AvroSerde.of(DeadLetter.class, Map.of("schema.registry.url", scope), false).serializer().serialize("t", letter());
        AvroSerde<DeadLetter> strictAgain = AvroSerde.of(DeadLetter.class,
                Map.of("schema.registry.url", scope, "auto.register.schemas", "false", "use.latest.version", "true"), false);
        assertThat(strictAgain.serializer().serialize("t", letter())).isNotEmpty();
    }

    @Test
    void bytesNotInTheWireFormatAreASerializationError() {
        AvroSerde<DeadLetter> serde = AvroSerde.of(DeadLetter.class, Map.of("schema.registry.url", scope), false);
        assertThatThrownBy(() -> serde.deserializer().deserialize("netlog.raw", "IN=eth0".getBytes()))
                .isInstanceOf(SerializationException.class).hasMessageContaining("magic byte 73");
        assertThatThrownBy(() -> serde.deserializer().deserialize("netlog.raw", new byte[] {0, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("2 bytes");
        assertThatThrownBy(() -> serde.deserializer().deserialize("netlog.raw", new byte[] {0, 0, 0, 0, 42, 1}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("writer schema 42");
    }

    @Test
    void configurationMistakesAreNamed() {
        assertThatThrownBy(() -> AvroSerde.of(DeadLetter.class, Map.of(), false))
                .hasMessageContaining("schema.registry.url is required");
        assertThatThrownBy(() -> AvroSerde.of(DeadLetter.class, Map.of("schema.registry.url", scope,
                "auto.register.schemas", "yes"), false)).hasMessageContaining("must be true or false");
        assertThatThrownBy(() -> new AvroSerde<>(DeadLetter.class).serializer().serialize("t", letter()))
                .hasMessageContaining("before configure()");
    }
}
