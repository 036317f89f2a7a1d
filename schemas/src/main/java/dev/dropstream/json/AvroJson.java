package dev.dropstream.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * Writes Avro records as JSON by walking their schema, so that a field added to an {@code .avsc} shows up
 * in the output without a change here. Null fields are left out (and, if asked, empty ones: false,
 * empty arrays and maps); enums are their symbol; timestamps (timestamp-micros/millis) are RFC 3339 strings
 * with microseconds; arrays are arrays and nested records objects. Field names are the schema's, or in
 * snake_case. Not thread-safe (it caches field names).
 */
public final class AvroJson {
    /** How field names are written. */
    public enum Names {
        /** As in the schema ({@code reasonText}). */
        AS_IN_SCHEMA,
        /** Lower case words joined by underscores ({@code reason_text}), as in ECS. */
        SNAKE_CASE
    }

    /** Skip nothing. */
    public static final Set<String> NONE = Set.of();

    private final Names names;
    private final boolean omitEmpty;
    private final Map<Schema, SerializedString[]> fieldNames = new IdentityHashMap<>();
    private final Map<Set<String>, Map<Schema, boolean[]>> skips = new IdentityHashMap<>();

    /**
     * @param omitEmpty leave out fields that are false or empty arrays or maps, as well as null ones
     */
    public AvroJson(Names names, boolean omitEmpty) {
        this.names = names;
        this.omitEmpty = omitEmpty;
    }

    /** Writes the record as one JSON object. */
    public void writeRecord(JsonGenerator g, IndexedRecord r) throws IOException {
        g.writeStartObject();
        writeFields(g, r, NONE);
        g.writeEndObject();
    }

    /**
     * Writes the record's non-null fields, except those named in {@code skip} (schema names), as members
     * of the object the generator is in. Pass the same set each time: what it leaves out of a schema is
     * worked out once per set.
     */
    public void writeFields(JsonGenerator g, IndexedRecord r, Set<String> skip) throws IOException {
        Schema schema = r.getSchema();
        SerializedString[] keys = fieldNames.computeIfAbsent(schema, this::keys);
        boolean[] skipped = skipped(schema, skip);
        List<Schema.Field> fields = schema.getFields();
        for (int i = 0; i < keys.length; i++) {
            Object v = r.get(i);
            if (!skipped[i] && written(v)) {
                g.writeFieldName(keys[i]);
                writeValue(g, fields.get(i).schema(), v);
            }
        }
    }

    /** Whether {@link #writeFields} would write anything for this record. */
    public boolean hasFields(IndexedRecord r, Set<String> skip) {
        boolean[] skipped = skipped(r.getSchema(), skip);
        for (int i = 0; i < skipped.length; i++) {
            if (!skipped[i] && written(r.get(i))) {
                return true;
            }
        }
        return false;
    }

    private boolean written(Object v) {
        if (v == null) {
            return false;
        }
        return !omitEmpty || !(Boolean.FALSE.equals(v) || (v instanceof Collection<?> c && c.isEmpty())
                || (v instanceof Map<?, ?> m && m.isEmpty()));
    }

    private boolean[] skipped(Schema schema, Set<String> skip) {
        return skips.computeIfAbsent(skip, s -> new IdentityHashMap<>()).computeIfAbsent(schema, sc -> {
            List<Schema.Field> fields = sc.getFields();
            boolean[] mask = new boolean[fields.size()];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = skip.contains(fields.get(i).name());
            }
            return mask;
        });
    }

    private SerializedString[] keys(Schema schema) {
        List<Schema.Field> fields = schema.getFields();
        SerializedString[] keys = new SerializedString[fields.size()];
        for (int i = 0; i < keys.length; i++) {
            String n = fields.get(i).name();
            keys[i] = new SerializedString(names == Names.SNAKE_CASE ? snakeCase(n) : n);
        }
        return keys;
    }

    /** {@code kernelTimeMicros} → {@code kernel_time_micros}. */
    public static String snakeCase(String camel) {
        StringBuilder sb = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    sb.append('_');
                }
                sb.append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private void writeValue(JsonGenerator g, Schema s, Object v) throws IOException {
        switch (s.getType()) {
            case UNION -> writeValue(g, branch(s, v), v);
            case RECORD -> writeRecord(g, (IndexedRecord) v);
            case ARRAY -> {
                g.writeStartArray();
                for (Object item : (Collection<?>) v) {
                    if (item == null) {
                        g.writeNull();
                    } else {
                        writeValue(g, s.getElementType(), item);
                    }
                }
                g.writeEndArray();
            }
            case MAP -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    g.writeFieldName(e.getKey().toString());
                    if (e.getValue() == null) {
                        g.writeNull();
                    } else {
                        writeValue(g, s.getValueType(), e.getValue());
                    }
                }
                g.writeEndObject();
            }
            case BOOLEAN -> g.writeBoolean((Boolean) v);
            case NULL -> g.writeNull();
            case BYTES, FIXED -> writeBytes(g, v);
            default -> writeScalar(g, v);
        }
    }

    private static Schema branch(Schema union, Object v) {
        List<Schema> types = union.getTypes();
        if (types.size() == 2 && types.get(0).getType() == Schema.Type.NULL) {
            return types.get(1);
        }
        if (types.size() == 2 && types.get(1).getType() == Schema.Type.NULL) {
            return types.get(0);
        }
        return types.get(SpecificData.get().resolveUnion(union, v));
    }

    /** Strings, numbers and the logical types over them (timestamps, dates, times, decimals). */
    private static void writeScalar(JsonGenerator g, Object v) throws IOException {
        if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Float f) {
            g.writeNumber(f);
        } else if (v instanceof Instant t) {
            g.writeString(Rfc3339.micros(t));
        } else {
            g.writeString(v.toString());
        }
    }

    private static void writeBytes(JsonGenerator g, Object v) throws IOException {
        if (v instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (v instanceof GenericFixed f) {
            g.writeBinary(f.bytes());
        } else {
            ByteBuffer b = ((ByteBuffer) v).duplicate();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            g.writeBinary(bytes);
        }
    }
}
