package dev.dropstream.serde;

import dev.dropstream.schema.PacketEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;

/**
 * Writes a {@link PacketEvent} in Avro binary field by field: the same bytes as {@code SpecificDatumWriter}, without
 * its per-field lookups. The generated class has no custom coder of its own (Avro generates none for records
 * with logical types; {@code eventTime} is a timestamp), and one is written for every LOG line on
 * {@code netlog.packets}. The nested records keep their generated coders. {@code PacketEventWriterTest} compares
 * the bytes with Avro's own writer for every record of the corpus, so a field added to the schema without this
 * writer following fails there.
 */
final class PacketEventWriter implements DatumWriter<PacketEvent> {
    @Override
    public void setSchema(Schema schema) {
        // Written for PacketEvent's own schema only (AvroSerde hands it no other).
    }

    @Override
    public void write(PacketEvent e, Encoder out) throws IOException {
        nullableString(out, e.getHost());
        Instant t = e.getEventTime();
        if (t == null) {
            out.writeIndex(0);
            out.writeNull();
        } else {
            out.writeIndex(1);
            out.writeLong(micros(t));
        }
        nullableLong(out, e.getKernelTimeMicros());
        out.writeEnum(e.getEnvelope().ordinal());
        out.writeString(e.getPrefix());
        out.writeEnum(e.getVerdict().ordinal());
        nullableString(out, e.getInInterface());
        nullableString(out, e.getOutInterface());
        nullableString(out, e.getPhysIn());
        nullableString(out, e.getPhysOut());
        if (e.getLink() == null) {
            absent(out);
        } else {
            out.writeIndex(1);
            e.getLink().customEncode(out);
        }
        out.writeEnum(e.getFamily().ordinal());
        if (e.getPacket() == null) {
            absent(out);
        } else {
            out.writeIndex(1);
            e.getPacket().customEncode(out);
        }
        if (e.getQuoted() == null) {
            absent(out);
        } else {
            out.writeIndex(1);
            e.getQuoted().customEncode(out);
        }
        if (e.getArp() == null) {
            absent(out);
        } else {
            out.writeIndex(1);
            e.getArp().customEncode(out);
        }
        nullableLong(out, e.getUid());
        nullableLong(out, e.getGid());
        nullableLong(out, e.getMark());
        List<String> extra = e.getExtraTokens();
        out.writeArrayStart();
        out.setItemCount(extra.size());
        for (String s : extra) {
            out.startItem();
            out.writeString(s);
        }
        out.writeArrayEnd();
        out.writeBoolean(e.getTruncated());
    }

    /** Microseconds since the epoch, as Avro's timestamp-micros conversion counts them. */
    static long micros(Instant t) {
        long seconds = t.getEpochSecond();
        int nanos = t.getNano();
        if (seconds < 0 && nanos > 0) {
            return Math.addExact(Math.multiplyExact(seconds + 1, 1_000_000L), nanos / 1_000L - 1_000_000L);
        }
        return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), nanos / 1_000L);
    }

    private static void absent(Encoder out) throws IOException {
        out.writeIndex(0);
        out.writeNull();
    }

    private static void nullableString(Encoder out, String s) throws IOException {
        if (s == null) {
            absent(out);
        } else {
            out.writeIndex(1);
            out.writeString(s);
        }
    }

    private static void nullableLong(Encoder out, Long v) throws IOException {
        if (v == null) {
            absent(out);
        } else {
            out.writeIndex(1);
            out.writeLong(v);
        }
    }
}
