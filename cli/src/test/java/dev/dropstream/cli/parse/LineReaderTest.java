package dev.dropstream.cli.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    @Test
    void splitsAtLineFeedsAndKeepsTheLastLineWithoutOne() throws IOException {
        assertThat(lines("a\nbb\r\n\nccc", 100)).containsExactly("a", "bb\r", "", "ccc");
        assertThat(lines("a\n", 100)).containsExactly("a");
        assertThat(lines("", 100)).isEmpty();
        assertThat(lines("\n", 100)).containsExactly("");
    }

    @Test
    void keepsLinesUpToTheLimitAndSkimsLongerOnes() throws IOException {
        String atLimit = "x".repeat(10);
        String over = "y".repeat(11);
        String farOver = "z".repeat(1000);
        assertThat(lines(atLimit + "\n" + over + "\nok\n" + farOver + "\n" + farOver, 10))
                .containsExactly(atLimit, "<too long: 11>", "ok", "<too long: 1000>", "<too long: 1000>");
    }

    @Test
    void handlesLinesThatSpanManyReads() throws IOException {
        String a = "a".repeat(200_000);
        String b = "b".repeat(70_000);
        assertThat(lines(a + "\n" + b + "\n", 1 << 20)).containsExactly(a, b);
    }

    @Test
    void passesBytesThroughUndecoded() throws IOException {
        byte[] in = {(byte) 0xff, (byte) 0xfe, '\n', (byte) 0xc3};
        LineReader r = new LineReader(new ByteArrayInputStream(in), 100, () -> { });
        assertThat(r.next()).isTrue();
        assertThat(r.length()).isEqualTo(2);
        assertThat(r.buf()[r.start()]).isEqualTo((byte) 0xff);
        assertThat(r.next()).isTrue();
        assertThat(r.buf()[r.start()]).isEqualTo((byte) 0xc3);
        assertThat(r.next()).isFalse();
    }

    @Test
    void saysWhenItIsAboutToWaitForInput() throws IOException {
        AtomicInteger waits = new AtomicInteger();
        InputStream trickle = new InputStream() {
            private final byte[] data = "a\nb\n".getBytes(StandardCharsets.US_ASCII);
            private int pos;

            @Override
            public int read() {
                return pos < data.length ? data[pos++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                // One byte at a time, like a pipe a slow writer feeds.
                int c = read();
                if (c < 0) {
                    return -1;
                }
                b[off] = (byte) c;
                return 1;
            }

            @Override
            public int available() {
                return 0;
            }
        };
        LineReader r = new LineReader(trickle, 100, waits::incrementAndGet);
        while (r.next()) {
            assertThat(r.length()).isEqualTo(1);
        }
        assertThat(waits.get()).isEqualTo(5);
    }

    private static List<String> lines(String text, int max) throws IOException {
        LineReader r = new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max, () -> { });
        List<String> out = new ArrayList<>();
        while (r.next()) {
            out.add(r.tooLong() ? "<too long: " + r.length() + ">"
                    : new String(r.buf(), r.start(), r.length(), StandardCharsets.UTF_8));
        }
        return out;
    }
}
