package dev.dropstream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The generated classes write and read back through Avro binary, enums and logical types included. */
class SchemaRoundTripTest {
    static {
        // Without this Avro 1.12 refuses even a builder's enum default; see SchemaTrust.
        SchemaTrust.trustDropstreamSchemas();
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> T roundTrip(T record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<T>(record.getSchema()).write(record, enc);
        enc.flush();
        BinaryDecoder dec = DecoderFactory.get().binaryDecoder(out.toByteArray(), null);
        return (T) new SpecificDatumReader<T>(record.getSchema()).read(null, dec);
    }

    @Test
    void conntrackEventWithItsPacket() throws IOException {
        IpPacket p = IpPacket.newBuilder().setVersion(6).setSrc("2001:db8::1").setDst("2001:db8::2").setLength(80)
                .setProtocol("TCP").setProtocolNumber(6).setTcpFlags(List.of(TcpFlag.ACK, TcpFlag.SYN)).build();
        PacketEvent e = PacketEvent.newBuilder().setPrefix("nf_ct_proto_6: invalid new ").setHost("fw1")
                .setEventTime(Instant.parse("2026-11-25T10:00:00.123456Z")).setFamily(PacketFamily.IPV6)
                .setPacket(p).setVerdict(Verdict.UNKNOWN).build();
        ConntrackEvent c = ConntrackEvent.newBuilder().setKind(ConntrackEventKind.INVALID)
                .setReason(ConntrackReason.INVALID_NEW).setReasonText("invalid new").setPacket(e).build();
        ConntrackEvent back = roundTrip(c);
        assertThat(back).isEqualTo(c);
        assertThat(back.getPacket().getEventTime().truncatedTo(ChronoUnit.MICROS))
                .isEqualTo(Instant.parse("2026-11-25T10:00:00.123456Z"));
        assertThat(PacketEvent.newBuilder(e).build()).as("deep copy").isEqualTo(e);
    }

    @Test
    void deadLetterKeepsTheOriginalBytes() throws IOException {
        DeadLetter d = DeadLetter.newBuilder().setOriginal(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0xff, 0, 'x'}))
                .setTopic("netlog.raw").setPartition(3).setOffset(42L).setErrorClass("BAD_VALUE")
                .setErrorMessage("malformed value: LEN= has a value the kernel does not write at byte 46").build();
        assertThat(roundTrip(d)).isEqualTo(d);
    }
}
