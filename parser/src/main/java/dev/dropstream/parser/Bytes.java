package dev.dropstream.parser;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Searching raw line bytes, for the parser and for the shipper, which splits files into lines. */
public final class Bytes {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private Bytes() {
    }

    /**
     * The first index of {@code c} in {@code b[from..to)}, or -1. Eight bytes per step: a zero byte of
     * {@code word ^ c*ONES} is a {@code c}, and the lowest flagged byte is always a true one (SWAR zero-byte
     * test); a byte loop's exit, at a different place for every token or line, is a branch the CPU mostly
     * mispredicts.
     */
    public static int indexOf(byte[] b, int from, int to, byte c) {
        long pattern = ONES * (c & 0xFF);
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = (long) LONGS.get(b, i) ^ pattern;
            long found = (x - ONES) & ~x & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
