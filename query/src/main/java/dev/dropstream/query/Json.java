package dev.dropstream.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dropstream.json.AvroJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.apache.avro.generic.IndexedRecord;

/** The server's JSON: one mapper, Avro records with their schema's field names, instants as ISO-8601 text. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** An Avro record as an object (null fields left out), as {@code dropstream parse} writes it. */
    static ObjectNode avro(IndexedRecord r) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(w)) {
            new AvroJson(AvroJson.Names.AS_IN_SCHEMA, false).writeRecord(g, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return (ObjectNode) MAPPER.readTree(w.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 2026-11-25T17:20:00Z}, or null for none. */
    static String time(long epochMillis) {
        return epochMillis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(epochMillis).toString();
    }

    /** The {@code from} and {@code to} every ranged answer carries. */
    static ObjectNode ranged(Range r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("from", r.from().toString());
        o.put("to", r.to().toString());
        return o;
    }
}
