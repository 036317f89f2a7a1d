package dev.dropstream.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BytesTest {
    @Test
    void findsTheFirstNewlineOrSpaceAsAByteByByteSearchWouldAtEveryAlignment() {
        Random random = new Random(7);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[1 + random.nextInt(64)];
            for (int i = 0; i < b.length; i++) {
                // Bytes next to '\n' or ' ' in value (0x09, 0x0B, 0x21, 0x8A) and zero bytes: where a word-wise
                // search would err.
                int pick = random.nextInt(10);
                b[i] = (byte) (pick == 0 ? '\n' : pick == 1 ? 0x09 : pick == 2 ? 0x0B : pick == 3 ? 0x8A
                        : pick == 4 ? 0 : pick == 5 ? ' ' : pick == 6 ? 0x21 : random.nextInt(256));
            }
            int from = random.nextInt(b.length);
            int to = from + random.nextInt(b.length - from + 1);
            assertThat(Bytes.indexOf(b, from, to, (byte) '\n')).as("round %d", round).isEqualTo(naive(b, from, to, '\n'));
            assertThat(Bytes.indexOf(b, from, to, (byte) ' ')).as("round %d", round).isEqualTo(naive(b, from, to, ' '));
        }
    }

    private static int naive(byte[] b, int from, int to, char c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
