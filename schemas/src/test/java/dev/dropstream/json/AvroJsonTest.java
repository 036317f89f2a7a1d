package dev.dropstream.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dropstream.schema.DeadLetter;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import org.apache.avro.generic.IndexedRecord;
import org.junit.jupiter.api.Test;

/** The generic walk, on a schema the parse command does not write (so nothing here is special-cased). */
class AvroJsonTest {

    private static final DeadLetter LETTER = DeadLetter.newBuilder()
            .setOriginal(ByteBuffer.wrap("abc".getBytes(StandardCharsets.UTF_8)))
            .setRecordTime(Instant.parse("2024-01-02T03:04:05.678Z"))
            .setErrorClass("MISSING_TOKEN")
            .setErrorMessage("missing token")
            .setPartition(3)
            .build();

    @Test
    void writesSchemaNamesAndLeavesNullsOut() throws IOException {
        JsonNode n = write(new AvroJson(AvroJson.Names.AS_IN_SCHEMA, false), LETTER, Set.of());
        assertThat(n.get("original").asText()).isEqualTo("YWJj");
        assertThat(n.get("recordTime").asText()).isEqualTo("2024-01-02T03:04:05.678000Z");
        assertThat(n.get("errorClass").asText()).isEqualTo("MISSING_TOKEN");
        assertThat(n.get("partition").asInt()).isEqualTo(3);
        assertThat(n.has("host")).isFalse();
        assertThat(n.has("offset")).isFalse();
    }

    @Test
    void writesSnakeCaseAndSkipsWhatItIsTold() throws IOException {
        JsonNode n = write(new AvroJson(AvroJson.Names.SNAKE_CASE, true), LETTER, Set.of("original"));
        assertThat(n.fieldNames()).toIterable().containsExactly("partition", "record_time", "error_class",
                "error_message");
    }

    @Test
    void snakeCase() {
        assertThat(AvroJson.snakeCase("kernelTimeMicros")).isEqualTo("kernel_time_micros");
        assertThat(AvroJson.snakeCase("host")).isEqualTo("host");
        assertThat(AvroJson.snakeCase("srcPort")).isEqualTo("src_port");
    }

    private static JsonNode write(AvroJson avro, IndexedRecord r, Set<String> skip) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            avro.writeFields(g, r, skip);
            g.writeEndObject();
        }
        return new ObjectMapper().readTree(w.toString());
    }
}
