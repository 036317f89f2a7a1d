package dev.dropstream.cli.parse;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.dropstream.cli.ecs.EcsWriter;
import dev.dropstream.json.AvroJson;
import dev.dropstream.schema.ConntrackEvent;
import dev.dropstream.schema.PacketEvent;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.avro.generic.IndexedRecord;

/**
 * Writes one JSON object per line (JSON Lines) to a buffered byte stream through Jackson's streaming
 * generator: records in the chosen format, and for {@code --all} the lines that were not records. A
 * failure to write is thrown as {@link UncheckedIOException}: output that cannot be written ends the run.
 */
final class JsonLines {
    private static final int BUFFER = 64 * 1024;
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private final OutputStream out;
    private final JsonGenerator g;
    private final Format format;
    private final AvroJson avro = new AvroJson(AvroJson.Names.AS_IN_SCHEMA, false);
    private final EcsWriter ecs = new EcsWriter();

    JsonLines(OutputStream stdout, Format format) {
        this.out = new BufferedOutputStream(stdout, BUFFER);
        this.format = format;
        try {
            this.g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
            // Objects are separated by the line feed endLine writes, not by Jackson's default space.
            g.setRootValueSeparator(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A packet; {@code line[off..off+len)} is the line it came from (ECS's {@code message}). */
    void packet(PacketEvent e, byte[] line, int off, int len) {
        writeLine(() -> {
            if (format == Format.ECS) {
                ecs.packet(g, e, line, off, len);
            } else {
                record("packet", e);
            }
        });
    }

    void conntrack(ConntrackEvent c, byte[] line, int off, int len) {
        writeLine(() -> {
            if (format == Format.ECS) {
                ecs.conntrack(g, c, line, off, len);
            } else {
                record("conntrack", c);
            }
        });
    }

    /** {@code {"file":F,"line":N,"skipped":REASON}}; no file for standard input. */
    void skipped(String file, long lineNumber, String reason) {
        note(file, lineNumber, () -> g.writeStringField("skipped", reason));
    }

    /** {@code {"file":F,"line":N,"error":CLASS,"message":M,"position":P}}; no position when unknown. */
    void error(String file, long lineNumber, String errorClass, String message, int position) {
        note(file, lineNumber, () -> {
            g.writeStringField("error", errorClass);
            g.writeStringField("message", message);
            if (position >= 0) {
                g.writeNumberField("position", position);
            }
        });
    }

    /** Hands everything written so far to the output. */
    void flush() {
        try {
            g.flush();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    private void record(String type, IndexedRecord r) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", type);
        avro.writeFields(g, r, AvroJson.NONE);
        g.writeEndObject();
    }

    /** An object about a line that is not a record: where it is, and what {@code fields} write. */
    private void note(String file, long lineNumber, Body fields) {
        writeLine(() -> {
            g.writeStartObject();
            if (file != null) {
                g.writeStringField("file", file);
            }
            g.writeNumberField("line", lineNumber);
            fields.write();
            g.writeEndObject();
        });
    }

    /** Writes one output line: what {@code body} writes, then a line feed. */
    private void writeLine(Body body) {
        try {
            body.write();
            g.writeRaw('\n');
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /** Writes to the generator. */
    @FunctionalInterface
    private interface Body {
        void write() throws IOException;
    }
}
