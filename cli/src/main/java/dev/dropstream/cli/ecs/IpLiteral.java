package dev.dropstream.cli.ecs;

/**
 * Reads the text of an IP address into its bytes in network order, without ever resolving a name (as
 * {@code InetAddress.getByName} might). The parser keeps its own reader private, so this is the
 * command line's copy, for what it needs: dotted IPv4 and the RFC 4291 IPv6 forms.
 */
final class IpLiteral {
    private IpLiteral() {
    }

    /** The 4 or 16 bytes of the address, or null when the text is not an IP address. */
    static byte[] parse(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        return s.indexOf(':') >= 0 ? ipv6(s) : ipv4(s, 0, new byte[4], 0);
    }

    /** Parses dotted IPv4 {@code s[from..]} into {@code out[at..at+4)}; returns out, or null. */
    private static byte[] ipv4(String s, int from, byte[] out, int at) {
        int part = 0;
        int value = -1;
        for (int i = from; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) {
                    return null;
                }
            } else if (c == '.' && value >= 0 && part < 4) {
                out[at + part++] = (byte) value;
                value = -1;
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }

    private static byte[] ipv6(String s) {
        byte[] out = new byte[16];
        int n = 0;
        int gap = -1;
        int i = 0;
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
        }
        while (i < s.length()) {
            int end = s.indexOf(':', i);
            String group = s.substring(i, end < 0 ? s.length() : end);
            if (end < 0 && group.indexOf('.') >= 0) {
                if (n > 12 || ipv4(group, 0, out, n) == null) {
                    return null;
                }
                n += 4;
                break;
            }
            if (group.isEmpty() || group.length() > 4 || n > 14) {
                return null;
            }
            int v = 0;
            for (int k = 0; k < group.length(); k++) {
                int d = Character.digit(group.charAt(k), 16);
                if (d < 0) {
                    return null;
                }
                v = v * 16 + d;
            }
            out[n++] = (byte) (v >>> 8);
            out[n++] = (byte) v;
            if (end < 0) {
                break;
            }
            if (end + 1 < s.length() && s.charAt(end + 1) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = n;
                i = end + 2;
            } else if (end + 1 == s.length()) {
                return null;
            } else {
                i = end + 1;
            }
        }
        if (gap < 0) {
            return n == 16 ? out : null;
        }
        if (n == 16) {
            return null;
        }
        int tail = n - gap;
        System.arraycopy(out, gap, out, 16 - tail, tail);
        java.util.Arrays.fill(out, gap, 16 - tail, (byte) 0);
        return out;
    }
}
