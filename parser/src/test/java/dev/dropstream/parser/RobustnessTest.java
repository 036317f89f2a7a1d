package dev.dropstream.parser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.schema.PacketEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Whatever the bytes, nothing throws out of the parser, and cut records keep what they had. */
class RobustnessTest {
    private final LineParser parser = new LineParser(Parsing.config());
    private final EventMapper mapper = new EventMapper();
    private final ParsedLine line = new ParsedLine();

    /** Parses and maps, as the pipeline does; returns the outcome. Any exception fails the test. */
    private Outcome parseAndMap(byte[] b, int off, int len) {
        Outcome o = parser.parse(b, off, len, line);
        assertThat(o).isNotNull();
        switch (o) {
            case PACKET -> assertThat(mapper.packetEvent(line, "key-host")).isNotNull();
            case CONNTRACK -> assertThat(mapper.conntrackEvent(line, "key-host")).isNotNull();
            case ERROR -> assertThat(line.errorMessage()).isNotBlank();
            case SKIPPED -> assertThat(line.skipReason()).isNotBlank();
            default -> throw new AssertionError(o);
        }
        return o;
    }

    @Property(tries = 3000)
    void randomBytesNeverThrow(@ForAll @Size(max = 600) byte[] bytes) {
        parseAndMap(bytes, 0, bytes.length);
    }

    @Property(tries = 2000)
    void randomBytesInsideARealRecordNeverThrow(@ForAll @Size(max = 40) byte[] noise, @ForAll int at) {
        byte[] real = ("Dec 26 09:05:47 server01 kernel: [126140.629122] [UFW BLOCK] IN=eth0 OUT= MAC=00:11:22:33:44:55:"
                + "66:77:88:99:aa:bb:08:00 SRC=254.253.252.251 DST=191.192.193.194 LEN=52 TOS=0x02 PREC=0x00 TTL=128 "
                + "ID=9209 DF PROTO=ICMP TYPE=3 CODE=3 [SRC=1.2.3.4 DST=5.6.7.8 LEN=20 TOS=0x00 PREC=0x00 TTL=1 ID=2 "
                + "PROTO=UDP SPT=1 DPT=2 LEN=8 ] UID=0 GID=0 MARK=0x1 ").getBytes(StandardCharsets.US_ASCII);
        int pos = Math.floorMod(at, real.length);
        byte[] mixed = new byte[real.length + noise.length];
        System.arraycopy(real, 0, mixed, 0, pos);
        System.arraycopy(noise, 0, mixed, pos, noise.length);
        System.arraycopy(real, pos, mixed, pos + noise.length, real.length - pos);
        parseAndMap(mixed, 0, mixed.length);
    }

    @Test
    void invalidUtf8InThePrefixIsReplacedNotFatal() {
        byte[] head = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, ' '};
        byte[] rest = ("IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=47 ")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[head.length + rest.length];
        System.arraycopy(head, 0, b, 0, head.length);
        System.arraycopy(rest, 0, b, head.length, rest.length);
        assertThat(parseAndMap(b, 0, b.length)).isEqualTo(Outcome.PACKET);
        PacketEvent e = mapper.packetEvent(line, null);
        assertThat(e.getPrefix()).isEqualTo("\ufffd(\ufffd ");
        assertThat(e.getPacket().getProtocolNumber()).isEqualTo(47);
    }

    /** A quadratic scan of these lines would take hours; the timeout only guards against a hang. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void tenMebibyteLinesOfEveryShape() {
        int size = 10 << 20;
        List<byte[]> shapes = new ArrayList<>();
        shapes.add(repeat("IN=", size));
        shapes.add(repeat("IN=eth0 ", size));
        shapes.add(repeat("A", size));
        shapes.add(repeat(" ", size));
        shapes.add(concat("[UFW BLOCK] IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=1 TOS=0x00 PREC=0x00 TTL=1 ID=1 "
                + "PROTO=TCP SPT=1 DPT=2 WINDOW=3 RES=0x00 SYN URGP=0 ", repeat("X=1 ", size)));
        shapes.add(concat(new String(repeat("P", size), StandardCharsets.US_ASCII), "IN=eth0 OUT= SRC=10.0.0.1 "
                .getBytes(StandardCharsets.US_ASCII)));
        shapes.add(concat("IN=eth0 OUT= SRC=::1 DST=::2 LEN=1 TC=0 HOPLIMIT=1 FLOWLBL=0 ", repeat("OPT ( ) ", size)));
        shapes.add(concat("{\"MESSAGE\":\"", repeat("\\u0041", size)));
        shapes.add(concat("IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=1 TOS=0x00 PREC=0x00 TTL=1 ID=1 OPT (", repeat("0", size)));
        for (byte[] b : shapes) {
            parseAndMap(b, 0, b.length);
        }
        byte[] big = shapes.get(4);
        assertThat(parseAndMap(big, 0, big.length)).isEqualTo(Outcome.PACKET);
        assertThat(line.extraCount).isEqualTo(ParsedLine.MAX_EXTRA_TOKENS);
    }

    @Test
    void everyCutOfEveryRealFormKeepsWhatItHad() {
        List<byte[]> sample = new ArrayList<>();
        for (Path f : Corpus.logFiles()) {
            String name = f.getFileName().toString();
            if (f.toString().contains("kernel-lab") && !name.startsWith("envelope")
                    || f.toString().contains("conntrack-and-misc")) {
                sample.addAll(Corpus.lines(f));
            }
        }
        assertThat(sample).hasSizeGreaterThan(400);
        int checked = 0;
        List<String> failures = new ArrayList<>();
        for (byte[] full : sample) {
            Outcome whole = parser.parse(full, 0, full.length, line);
            if (whole == Outcome.ERROR || line.truncated()) {
                continue;
            }
            String text = new String(full, StandardCharsets.ISO_8859_1);
            int recordStart = text.indexOf("IN=");
            int mustCut = lastMandatoryToken(text);
            for (int cut = 0; cut < full.length; cut++) {
                Outcome o = parseAndMap(full, 0, cut);
                if (o == Outcome.ERROR) {
                    failures.add("ERROR " + line.errorMessage() + " for cut " + cut + " of " + text);
                    continue;
                }
                boolean insideToken = full[cut] != ' ' && cut > 0 && full[cut - 1] != ' ';
                if (recordStart >= 0 && cut > recordStart + 3 && cut < mustCut && insideToken
                        && !inOptionalEndToken(text, cut) && !line.truncated()) {
                    failures.add("not flagged truncated at cut " + cut + ": " + text.substring(0, cut));
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(50_000);
        assertThat(failures).hasSizeLessThan(1).as("cuts handled wrongly");
    }

    /** Where the last token that the line's form always prints begins. */
    private static int lastMandatoryToken(String t) {
        String[] markers = {"URGP=", "] MTU=", "IPDST=", " CODE=", " PROTO=", "MACPROTO="};
        for (String m : markers) {
            int i = t.lastIndexOf(m);
            if (i >= 0) {
                return i;
            }
        }
        return 0;
    }

    /** Cuts inside these values leave a record that may legitimately end there. */
    private static boolean inOptionalEndToken(String t, int cut) {
        int tokenStart = t.lastIndexOf(' ', cut - 1) + 1;
        String token = t.substring(tokenStart, Math.min(t.length(), t.indexOf(' ', cut) < 0 ? t.length() : t.indexOf(' ', cut)));
        // IPv6 ends after FLOWLBL when an ESP header follows, an IPv4 AH non-first fragment after FRAG:, an ICMP
        // type that prints nothing more after CODE=, a netdev frame after MACPROTO=.
        return token.startsWith("FLOWLBL=") || token.startsWith("CODE=") || token.startsWith("MACPROTO=")
                || token.startsWith("FRAG:") && !t.contains("FLOWLBL=");
    }

    private static byte[] repeat(String s, int size) {
        byte[] unit = s.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[size - size % unit.length];
        for (int i = 0; i < out.length; i += unit.length) {
            System.arraycopy(unit, 0, out, i, unit.length);
        }
        return out;
    }

    private static byte[] concat(String head, byte[] tail) {
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(h, h.length + tail.length);
        System.arraycopy(tail, 0, out, h.length, tail.length);
        return out;
    }
}
