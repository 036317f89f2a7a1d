package dev.dropstream.parser;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Byte-level helpers for the positional parser: literal matching, number parsing, string materialising. */
final class Text {
    /** Returned by the number parsers when no digit was found. */
    static final long NOT_A_NUMBER = -1;

    private Text() {
    }

    static byte[] lit(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether {@code b[pos..end)} starts with {@code lit}. */
    static boolean startsWith(byte[] b, int pos, int end, byte[] lit) {
        int n = lit.length;
        if (end - pos < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[pos + i] != lit[i]) {
                return false;
            }
        }
        return true;
    }

    /** Eight bytes of a {@code byte[]} as one little-endian {@code long}. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * A literal of the grammar with its first eight bytes packed into a {@code long} and a mask, so that
     * probing for it is one load and one compare instead of a byte loop. A record, because the JIT
     * trusts a record's final fields as constants: for a {@code static final Key} the word, mask and
     * length fold into the compiled code.
     */
    record Key(byte[] bytes, int length, long word, long mask) {
        String text() {
            return new String(bytes, StandardCharsets.US_ASCII);
        }
    }

    static Key key(String s) {
        byte[] bytes = lit(s);
        long word = 0;
        int n = Math.min(8, bytes.length);
        for (int i = 0; i < n; i++) {
            word |= (bytes[i] & 0xffL) << (8 * i);
        }
        long mask = n == 8 ? -1L : (1L << (8 * n)) - 1;
        return new Key(bytes, bytes.length, word, mask);
    }

    /** Whether {@code b[pos..end)} starts with {@code k}. */
    static boolean startsWith(byte[] b, int pos, int end, Key k) {
        int n = k.length();
        if (end - pos < n) {
            return false;
        }
        if (pos > b.length - 8) {
            // Too near the end of the array for an eight-byte read.
            return startsWith(b, pos, end, k.bytes());
        }
        if (((long) LONGS.get(b, pos) & k.mask()) != k.word()) {
            return false;
        }
        byte[] lit = k.bytes();
        for (int i = 8; i < n; i++) {
            if (b[pos + i] != lit[i]) {
                return false;
            }
        }
        return true;
    }

    /** The eight bytes at {@code i} as a little-endian long; {@code i + 8} must be within the array. */
    static long longAt(byte[] b, int i) {
        return (long) LONGS.get(b, i);
    }

    /** The 1 to 7 bytes of {@code b[i..e)} as a little-endian long, zero above them. */
    static long tail(byte[] b, int i, int e) {
        int n = e - i;
        if (i <= b.length - 8) {
            return longAt(b, i) & ((1L << (8 * n)) - 1);
        }
        long v = 0;
        for (int k = 0; k < n; k++) {
            v |= (b[i + k] & 0xffL) << (8 * k);
        }
        return v;
    }

    static boolean isCutOf(byte[] b, int pos, int end, Key k) {
        return isCutOf(b, pos, end, k.bytes());
    }

    /** First index of {@code k} in {@code b[from..end)}, or -1. */
    static int indexOf(byte[] b, int from, int end, Key k) {
        byte first = k.bytes()[0];
        int last = end - k.length();
        for (int i = from; i <= last; i++) {
            if (b[i] == first && startsWith(b, i, end, k)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code b[pos..end)} is a (possibly empty) proper start of {@code lit}: a token cut by the line end. */
    static boolean isCutOf(byte[] b, int pos, int end, byte[] lit) {
        int n = end - pos;
        if (n >= lit.length) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[pos + i] != lit[i]) {
                return false;
            }
        }
        return true;
    }

    /** First index of {@code lit} in {@code b[from..end)}, or -1. */
    static int indexOf(byte[] b, int from, int end, byte[] lit) {
        byte first = lit[0];
        int last = end - lit.length;
        for (int i = from; i <= last; i++) {
            if (b[i] == first && startsWith(b, i, end, lit)) {
                return i;
            }
        }
        return -1;
    }

    /** First index of {@code c} in {@code b[from..end)}, or -1. */
    static int indexOf(byte[] b, int from, int end, byte c) {
        for (int i = from; i < end; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** End of the token starting at {@code pos}: the next space, or {@code end}. */
    static int tokenEnd(byte[] b, int pos, int end) {
        int space = Bytes.indexOf(b, pos, end, (byte) ' ');
        return space < 0 ? end : space;
    }

    /**
     * How many of the eight bytes of {@code w} (little-endian: the first byte is the lowest) are decimal
     * digits before the first that is not. A byte is a digit when its high nibble is 3 and adding 6 keeps
     * it so; a carry out of a non-digit byte can only disturb bytes after it, which do not count.
     */
    static int leadingDigits(long w) {
        long highNibble = (w & 0xF0F0F0F0F0F0F0F0L) ^ 0x3030303030303030L;
        long upToNine = ((w + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) ^ 0x3030303030303030L;
        return Long.numberOfTrailingZeros(highNibble | upToNine) >>> 3;
    }

    /** How many decimal digits start at {@code p}, before {@code end}; eight bytes per step. */
    static int digitRun(byte[] b, int p, int end) {
        int i = p;
        while (i < end && i <= b.length - 8) {
            int n = leadingDigits(longAt(b, i));
            if (n < 8) {
                return Math.min(i + n, end) - p;
            }
            i += 8;
        }
        while (i < end && isDigit(b[i])) {
            i++;
        }
        return Math.min(i, end) - p;
    }

    /** The value of the {@code n} digits at {@code p} (a {@link #digitRun}); {@link #NOT_A_NUMBER} over 18. */
    static long digitRunValue(byte[] b, int p, int n) {
        if (n >= 1 && n <= 8 && p <= b.length - 8) {
            return digitsValue(longAt(b, p), n);
        }
        return decimal(b, p, p + n);
    }

    /**
     * The value of the first {@code n} (1 to 8) bytes of {@code w}, all digits: they are moved to the top
     * (leading zeros below), then pairs, quads and halves are combined by three multiplies.
     */
    static long digitsValue(long w, int n) {
        long v = (w - 0x3030303030303030L) << (8 * (8 - n));
        v = ((v & 0x0F0F0F0F0F0F0F0FL) * 2561) >>> 8;
        v = ((v & 0x00FF00FF00FF00FFL) * 6553601) >>> 16;
        return ((v & 0x0000FFFF0000FFFFL) * 42949672960001L) >>> 32;
    }

    static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static final byte[] HEX = new byte[256];

    static {
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int i = 0; i < 10; i++) {
            HEX['0' + i] = (byte) i;
        }
        for (int i = 0; i < 6; i++) {
            HEX['a' + i] = (byte) (10 + i);
            HEX['A' + i] = (byte) (10 + i);
        }
    }

    static int hexValue(byte c) {
        return HEX[c & 0xff];
    }

    /**
     * Decimal digits of {@code b[pos..end)} exactly; {@link #NOT_A_NUMBER} when the range is empty, holds a
     * non-digit, or has more than 18 digits.
     */
    static long decimal(byte[] b, int pos, int end) {
        int n = end - pos;
        if (n <= 0 || n > 18) {
            return NOT_A_NUMBER;
        }
        long v = 0;
        for (int i = pos; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return NOT_A_NUMBER;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** Hex digits of {@code b[pos..end)} exactly (no {@code 0x}); {@link #NOT_A_NUMBER} when malformed or over 15 digits. */
    static long hex(byte[] b, int pos, int end) {
        int n = end - pos;
        if (n <= 0 || n > 15) {
            return NOT_A_NUMBER;
        }
        long v = 0;
        for (int i = pos; i < end; i++) {
            int d = hexValue(b[i]);
            if (d < 0) {
                return NOT_A_NUMBER;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    /** {@code 0x}-prefixed hex, or bare hex (vendor {@code TOS=00}). */
    static long hexWithOptionalPrefix(byte[] b, int pos, int end) {
        if (end - pos > 2 && b[pos] == '0' && (b[pos + 1] == 'x' || b[pos + 1] == 'X')) {
            return hex(b, pos + 2, end);
        }
        return hex(b, pos, end);
    }

    /** Whether {@code b[pos..end)} is a dotted-quad IPv4 address. */
    static boolean isIpv4(byte[] b, int pos, int end) {
        int dots = 0;
        int digits = 0;
        int value = 0;
        for (int i = pos; i < end; i++) {
            byte c = b[i];
            if (c == '.') {
                if (digits == 0) {
                    return false;
                }
                dots++;
                digits = 0;
                value = 0;
            } else if (isDigit(c)) {
                digits++;
                value = value * 10 + (c - '0');
                if (digits > 3 || value > 255) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return dots == 3 && digits > 0;
    }

    /** Whether {@code b[pos..end)} is a MAC address {@code aa:bb:cc:dd:ee:ff}. */
    static boolean isMac(byte[] b, int pos, int end) {
        if (end - pos != 17) {
            return false;
        }
        for (int i = 0; i < 17; i++) {
            byte c = b[pos + i];
            if (i % 3 == 2) {
                if (c != ':') {
                    return false;
                }
            } else if (hexValue(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** A string of ASCII text (addresses, names, numbers): one byte per char. */
    static String ascii(byte[] b, int start, int end) {
        return start < 0 ? null : new String(b, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** A string of free text (prefixes, host names), decoded as UTF-8 with malformed bytes replaced. */
    static String utf8(byte[] b, int start, int end) {
        if (start < 0) {
            return null;
        }
        for (int i = start; i < end; i++) {
            if (b[i] < 0) {
                return new String(b, start, end - start, StandardCharsets.UTF_8);
            }
        }
        return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
    }
}
