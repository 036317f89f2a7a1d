package dev.dropstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.parser.EventMapper;
import dev.dropstream.parser.LineParser;
import dev.dropstream.parser.Outcome;
import dev.dropstream.parser.ParsedLine;
import dev.dropstream.parser.ParserConfig;
import dev.dropstream.schema.PacketEvent;
import dev.dropstream.serde.AvroSerde;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code netlog.packets} is written by a hand-written Avro writer ({@code PacketEventWriter}); its bytes must be
 * Avro's own for every record the parser makes, or consumers with the stock deserializers would read garbage.
 */
class PacketEventBytesTest {
    private final AvroSerde<PacketEvent> serde = AvroSerde.of(PacketEvent.class,
            Map.of("schema.registry.url", "mock://" + UUID.randomUUID()), false);
    private final SpecificDatumWriter<PacketEvent> avro = new SpecificDatumWriter<>(PacketEvent.getClassSchema());

    private byte[] avroBytes(PacketEvent e) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        avro.write(e, enc);
        enc.flush();
        return out.toByteArray();
    }

    private void assertSameBytes(PacketEvent e, String where) throws IOException {
        byte[] framed = serde.serializer().serialize("netlog.packets", e);
        assertThat(Arrays.copyOfRange(framed, 5, framed.length)).as(where).isEqualTo(avroBytes(e));
        assertThat(serde.deserializer().deserialize("netlog.packets", framed)).as(where).isEqualTo(e);
    }

    @Test
    void everyPacketOfTheCorpusIsWrittenAsAvroWritesIt() throws IOException {
        LineParser parser = new LineParser(ParserConfig.defaults());
        EventMapper mapper = new EventMapper();
        ParsedLine line = new ParsedLine();
        int packets = 0;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Corpus.root())) {
            files = walk.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                byte[] bytes = lines.get(i).getBytes(StandardCharsets.UTF_8);
                if (parser.parse(bytes, 0, bytes.length, line) == Outcome.PACKET) {
                    assertSameBytes(mapper.packetEvent(line, "key-host"), file.getFileName() + ":" + (i + 1));
                    packets++;
                }
            }
        }
        assertThat(packets).as("LOG records compared").isGreaterThan(20_000);
    }

    @Test
    void absentFieldsAndTimesBeforeTheEpochToo() throws IOException {
        PacketEvent sparse = mapperOf("IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=1 "
                + "PROTO=TCP SPT=1 DPT=2 WINDOW=5 RES=0x00 SYN URGP=0 ");
        sparse.setHost(null);
        sparse.setKernelTimeMicros(null);
        for (Instant t : new Instant[] {null, Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.999999Z"),
                Instant.parse("1901-01-01T00:00:00.5Z"), Instant.parse("2026-12-06T21:00:00.123456Z")}) {
            sparse.setEventTime(t);
            sparse.setUid(t == null ? null : 1000L);
            sparse.setExtraTokens(t == null ? List.of() : List.of("NEW=1", "ünïcode"));
            assertSameBytes(sparse, String.valueOf(t));
        }
    }

    private static PacketEvent mapperOf(String record) {
        ParsedLine line = new ParsedLine();
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        assertThat(new LineParser(ParserConfig.defaults()).parse(bytes, 0, bytes.length, line)).isEqualTo(Outcome.PACKET);
        return new EventMapper().packetEvent(line, "h");
    }
}
