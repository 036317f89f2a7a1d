package dev.dropstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 6587 framing, fed whole and byte by byte (a frame may end anywhere in a TCP read). */
class SyslogFramerTest {
    private static final String V3164 = "<4>Nov 25 10:00:00 fw1 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=10.0.0.1";
    private static final String V5424 = "<4>1 2026-11-20T08:15:30Z fw2 kernel - - - [UFW BLOCK] IN=eth0 SRC=10.0.0.2";

    private final Counters counters = new Counters();
    private final List<String> messages = new ArrayList<>();
    private final List<Boolean> cuts = new ArrayList<>();

    private void collect(byte[] b, int off, int len, boolean cut) {
        messages.add(new String(b, off, len, StandardCharsets.ISO_8859_1));
        cuts.add(cut);
    }

    /** Frames {@code stream} twice, in one piece and one byte at a time, and checks both agree. */
    private List<String> frame(String stream, int maxLine) {
        byte[] b = stream.getBytes(StandardCharsets.ISO_8859_1);
        SyslogFramer whole = new SyslogFramer(maxLine, counters);
        whole.feed(b, 0, b.length, this::collect);
        whole.end(this::collect);
        List<String> once = new ArrayList<>(messages);
        List<Boolean> onceCuts = new ArrayList<>(cuts);
        messages.clear();
        cuts.clear();
        SyslogFramer bytewise = new SyslogFramer(maxLine, new Counters());
        for (int i = 0; i < b.length; i++) {
            bytewise.feed(b, i, 1, this::collect);
        }
        bytewise.end(this::collect);
        assertThat(messages).as("byte by byte").isEqualTo(once);
        assertThat(cuts).isEqualTo(onceCuts);
        return once;
    }

    private static String octets(String msg) {
        return msg.getBytes(StandardCharsets.ISO_8859_1).length + " " + msg;
    }

    @Test
    void newlineFramingWithLfCrlfAndNul() {
        assertThat(frame(V3164 + "\n" + V5424 + "\r\n" + "third\0" + "fourth\n", 1024))
                .containsExactly(V3164, V5424, "third", "fourth");
        assertThat(cuts).containsOnly(false);
    }

    @Test
    void octetCounting() {
        assertThat(frame(octets(V3164) + octets(V5424) + octets("a\nmessage with a newline inside"), 1024))
                .containsExactly(V3164, V5424, "a\nmessage with a newline inside");
    }

    @Test
    void theFramingIsDecidedPerFrame() {
        assertThat(frame(octets(V5424) + V3164 + "\n" + octets("x y") + "\n" + "last without newline", 1024))
                .containsExactly(V5424, V3164, "x y", "last without newline");
    }

    @Test
    void digitsNotFollowedByASpaceStartANewlineFramedMessage() {
        String rfc3339 = "2025-11-30T00:00:20.570472-07:00 m1 kernel: [UFW AUDIT] IN=eth0";
        assertThat(frame(rfc3339 + "\n" + "12345\n", 1024)).containsExactly(rfc3339, "12345");
        assertThat(counters.badFrames.sum()).isZero();
    }

    @Test
    void emptyFramesAreSkipped() {
        assertThat(frame("\n\r\n\0\nfirst\n\n\nsecond\n", 1024)).containsExactly("first", "second");
    }

    @Test
    void longMessagesAreCutAndFlaggedInBothFramings() {
        String big = "y".repeat(5000);
        List<String> got = frame(big + "\n" + octets(big) + "after\n", 1024);
        assertThat(got).containsExactly("y".repeat(1024), "y".repeat(1024), "after");
        assertThat(cuts).containsExactly(true, true, false);
        assertThat(counters.cut.sum()).isEqualTo(2);
        assertThat(counters.cutBytes.sum()).isEqualTo(2 * (5000 - 1024));
    }

    @Test
    void aCountTooLargeIsABadFrameSkippedToTheNextNewline() {
        assertThat(frame("99999999999 <4>garbage that is skipped\n" + V3164 + "\n", 1024)).containsExactly(V3164);
        assertThat(counters.badFrames.sum()).isEqualTo(1);
    }

    @Test
    void anOctetFrameCutShortByTheEndOfTheStreamIsKeptAndFlagged() {
        assertThat(frame("100 only part", 1024)).containsExactly("only part");
        assertThat(cuts).containsExactly(true);
    }

    @Test
    void binaryGarbageNeverThrowsAndEveryMessageFitsTheLimit() {
        Random random = new Random(20261120);
        SyslogFramer f = new SyslogFramer(256, counters);
        List<byte[]> out = new ArrayList<>();
        for (int round = 0; round < 2000; round++) {
            byte[] chunk = new byte[random.nextInt(600)];
            random.nextBytes(chunk);
            f.feed(chunk, 0, chunk.length, (b, off, len, cut) -> out.add(Arrays.copyOfRange(b, off, off + len)));
        }
        f.end((b, off, len, cut) -> out.add(Arrays.copyOfRange(b, off, off + len)));
        assertThat(out).isNotEmpty().allSatisfy(m -> assertThat(m.length).isBetween(0, 256));
        // Garbage past, the framer takes what follows as usual.
        byte[] next = ("\n" + V3164 + "\n").getBytes(StandardCharsets.ISO_8859_1);
        SyslogFramer g = new SyslogFramer(256, counters);
        byte[] junk = {(byte) 0xff, 0, (byte) 0x80, 'Z', (byte) 0xfe, '\r'};
        g.feed(junk, 0, junk.length, this::collect);
        g.feed(next, 0, next.length, this::collect);
        assertThat(messages).containsExactly("\u00ff", "\u0080Z\u00fe", V3164);
    }
}
