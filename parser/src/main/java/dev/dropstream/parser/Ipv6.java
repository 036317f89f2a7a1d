package dev.dropstream.parser;

/**
 * IPv6 addresses: reads the kernel's fully expanded form ({@code %pI6}, also any other RFC 4291 text form)
 * into two longs, and writes the canonical compressed form of RFC 5952.
 */
final class Ipv6 {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Ipv6() {
    }

    /**
     * Parses {@code b[pos..end)} into {@code out[0]} (high 64 bits) and {@code out[1]} (low 64 bits).
     * Returns false when it is not an IPv6 address. Accepts {@code ::} and an embedded dotted IPv4 tail.
     */
    static boolean parse(byte[] b, int pos, int end, long[] out) {
        int[] groups = new int[8];
        return parseInto(b, pos, end, groups) && pack(groups, out);
    }

    /** Allocation-free variant for the hot path: {@code scratch} must hold 8 ints. */
    static boolean parse(byte[] b, int pos, int end, int[] scratch, long[] out) {
        return parseInto(b, pos, end, scratch) && pack(scratch, out);
    }

    private static boolean pack(int[] g, long[] out) {
        out[0] = ((long) g[0] << 48) | ((long) g[1] << 32) | ((long) g[2] << 16) | g[3];
        out[1] = ((long) g[4] << 48) | ((long) g[5] << 32) | ((long) g[6] << 16) | g[7];
        return true;
    }

    private static boolean parseInto(byte[] b, int pos, int end, int[] g) {
        if (end - pos < 2 || end - pos > 45) {
            return false;
        }
        int count = 0;
        int gap = -1;
        int i = pos;
        if (b[i] == ':') {
            if (b[i + 1] != ':') {
                return false;
            }
            gap = 0;
            i += 2;
            if (i == end) {
                java.util.Arrays.fill(g, 0);
                return true;
            }
        }
        while (i < end) {
            if (count == 8) {
                return false;
            }
            int start = i;
            int v = 0;
            while (i < end && i - start < 5) {
                int d = Text.hexValue(b[i]);
                if (d < 0) {
                    break;
                }
                v = (v << 4) | d;
                i++;
            }
            int digits = i - start;
            if (i < end && b[i] == '.') {
                // Embedded IPv4 in the last 32 bits.
                if (count > 6 || !Text.isIpv4(b, start, end)) {
                    return false;
                }
                int[] q = new int[4];
                int qi = 0;
                int acc = 0;
                for (int k = start; k < end; k++) {
                    if (b[k] == '.') {
                        q[qi++] = acc;
                        acc = 0;
                    } else {
                        acc = acc * 10 + (b[k] - '0');
                    }
                }
                q[qi] = acc;
                g[count++] = (q[0] << 8) | q[1];
                g[count++] = (q[2] << 8) | q[3];
                i = end;
                break;
            }
            if (digits == 0 || digits > 4) {
                return false;
            }
            g[count++] = v;
            if (i == end) {
                break;
            }
            if (b[i] != ':') {
                return false;
            }
            i++;
            if (i < end && b[i] == ':') {
                if (gap >= 0) {
                    return false;
                }
                gap = count;
                i++;
                if (i == end) {
                    break;
                }
            } else if (i == end) {
                return false;
            }
        }
        if (gap < 0) {
            return count == 8;
        }
        if (count > 7) {
            return false;
        }
        int move = count - gap;
        for (int k = 0; k < move; k++) {
            g[7 - k] = g[count - 1 - k];
        }
        for (int k = gap; k < 8 - move; k++) {
            g[k] = 0;
        }
        return true;
    }

    /** The RFC 5952 text of an address: lowercase, leading zeros dropped, the longest run (2+) of zero groups as {@code ::}. */
    static String format(long hi, long lo) {
        if (hi == 0 && (lo >>> 32) == 0xffffL) {
            // RFC 5952 section 5: IPv4-mapped addresses keep the dotted quad.
            return "::ffff:" + ((lo >>> 24) & 0xff) + "." + ((lo >>> 16) & 0xff) + "." + ((lo >>> 8) & 0xff) + "." + (lo & 0xff);
        }
        int[] g = new int[8];
        for (int k = 0; k < 4; k++) {
            g[k] = (int) (hi >>> (48 - 16 * k)) & 0xffff;
            g[4 + k] = (int) (lo >>> (48 - 16 * k)) & 0xffff;
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int k = 0; k < 8;) {
            if (g[k] != 0) {
                k++;
                continue;
            }
            int s = k;
            while (k < 8 && g[k] == 0) {
                k++;
            }
            if (k - s > bestLen) {
                bestLen = k - s;
                bestStart = s;
            }
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int k = 0; k < 8; k++) {
            if (k == bestStart) {
                sb.append("::");
                k += bestLen - 1;
                continue;
            }
            if (k > 0 && k != bestStart + bestLen) {
                sb.append(':');
            }
            appendGroup(sb, g[k]);
        }
        return sb.toString();
    }

    private static void appendGroup(StringBuilder sb, int v) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int d = (v >>> shift) & 0xf;
            if (d != 0 || started || shift == 0) {
                sb.append(HEX[d]);
                started = true;
            }
        }
    }
}
