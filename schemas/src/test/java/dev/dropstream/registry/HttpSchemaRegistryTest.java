package dev.dropstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dropstream.schema.DeadLetter;
import dev.dropstream.schema.PacketEvent;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpSchemaRegistryTest {
    private FakeRegistryServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeRegistryServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SchemaRegistryClient client(Map<String, ?> config) {
        return SchemaRegistryClient.forUrl(server.url(), config);
    }

    @Test
    void registersLooksUpAndReadsBack() {
        SchemaRegistryClient c = client(Map.of());
        Schema s = PacketEvent.getClassSchema();
        int id = c.register("netlog.packets-value", s);
        assertThat(c.register("netlog.packets-value", s)).as("idempotent").isEqualTo(id);
        assertThat(c.schemaById(id)).isEqualTo(s);
        RegisteredSchema latest = c.latest("netlog.packets-value");
        assertThat(latest.version()).isEqualTo(1);
        assertThat(latest.id()).isEqualTo(id);
        assertThat(c.version("netlog.packets-value", 1).schema()).isEqualTo(s);
        assertThat(c.lookup("netlog.packets-value", s).id()).isEqualTo(id);
        int other = c.register("netlog.deadletter-value", DeadLetter.getClassSchema());
        assertThat(other).isNotEqualTo(id);
    }

    @Test
    void idsAndSchemasAreCached() {
        SchemaRegistryClient c = client(Map.of());
        int id = c.register("t-value", DeadLetter.getClassSchema());
        int before = server.requests.get();
        c.register("t-value", DeadLetter.getClassSchema());
        c.schemaById(id);
        assertThat(server.requests.get()).isEqualTo(before);
    }

    @Test
    void errorBodiesBecomeErrorCodes() {
        SchemaRegistryClient c = client(Map.of());
        assertThatThrownBy(() -> c.latest("nope-value")).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(40401);
            assertThat(e.notFound()).isTrue();
            assertThat(e.getMessage()).contains("Subject 'nope-value' not found");
        });
        assertThatThrownBy(() -> c.schemaById(99)).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.errorCode()).isEqualTo(40403));
        c.register("t-value", DeadLetter.getClassSchema());
        assertThatThrownBy(() -> c.version("t-value", 7)).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.errorCode()).isEqualTo(40402));
        assertThatThrownBy(() -> c.lookup("t-value", PacketEvent.getClassSchema()))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
    }

    @Test
    void serverErrorsAreRetriedWithBackoff() {
        SchemaRegistryClient c = client(Map.of("retries.wait.ms", "5", "max.retries", "3"));
        server.failNext.set(2);
        assertThat(c.register("t-value", DeadLetter.getClassSchema())).isPositive();
        assertThat(server.requests.get()).isEqualTo(3);
        server.failNext.set(10);
        assertThatThrownBy(() -> c.latest("t-value")).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(50001);
            assertThat(e.retriable()).isTrue();
        });
    }

    @Test
    void unreachableRegistrySaysSo() {
        SchemaRegistryClient c = SchemaRegistryClient.forUrl("http://127.0.0.1:1",
                Map.of("max.retries", "1", "retries.wait.ms", "1"));
        assertThatThrownBy(() -> c.schemaById(1)).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(-1);
            assertThat(e.getMessage()).contains("did not answer");
        });
    }

    @Test
    void basicAndBearerCredentials() {
        client(Map.of("basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "ann:s3cret"))
                .register("a-value", DeadLetter.getClassSchema());
        assertThat(server.authorizations).last().isEqualTo("Basic YW5uOnMzY3JldA==");
        SchemaRegistryClient.forUrl(server.url().replace("http://", "http://bob:pw@"), Map.of())
                .register("b-value", DeadLetter.getClassSchema());
        assertThat(server.authorizations).last().isEqualTo("Basic Ym9iOnB3");
        client(Map.of("bearer.auth.credentials.source", "STATIC_TOKEN", "bearer.auth.token", "tok"))
                .register("c-value", DeadLetter.getClassSchema());
        assertThat(server.authorizations).last().isEqualTo("Bearer tok");
        client(Map.of()).register("d-value", DeadLetter.getClassSchema());
        assertThat(server.authorizations).last().isEqualTo("null");
    }

    @Test
    void badUrlIsRejectedClearly() {
        assertThatThrownBy(() -> SchemaRegistryClient.forUrl("registry:8081", Map.of()))
                .hasMessageContaining("must start with mock://, http:// or https://");
    }
}
