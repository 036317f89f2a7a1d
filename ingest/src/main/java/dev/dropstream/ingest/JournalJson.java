package dev.dropstream.ingest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Takes one top-level string field ({@code __CURSOR}, {@code _HOSTNAME}) out of a {@code journalctl -o json}
 * record without building the whole object. Other values (strings, the byte arrays journald writes for binary
 * fields, arrays of repeated fields, numbers, {@code null}) are skipped. Malformed JSON gives null.
 */
final class JournalJson {
    private JournalJson() {
    }

    /** The value of the top-level string field {@code name}, unescaped; null when absent, not a string, or malformed. */
    static String string(byte[] b, int off, int len, String name) {
        byte[] want = name.getBytes(StandardCharsets.UTF_8);
        int end = off + len;
        int p = ws(b, off, end);
        if (p >= end || b[p] != '{') {
            return null;
        }
        p = ws(b, p + 1, end);
        if (p < end && b[p] == '}') {
            return null;
        }
        while (p < end && b[p] == '"') {
            int keyEnd = stringEnd(b, p, end);
            if (keyEnd < 0) {
                return null;
            }
            boolean match = keyEnd - p - 1 == want.length && regionEquals(b, p + 1, want);
            p = ws(b, keyEnd + 1, end);
            if (p >= end || b[p] != ':') {
                return null;
            }
            p = ws(b, p + 1, end);
            if (match) {
                return p < end && b[p] == '"' ? unescape(b, p, end) : null;
            }
            p = valueEnd(b, p, end);
            if (p < 0) {
                return null;
            }
            p = ws(b, p, end);
            if (p >= end || b[p] != ',') {
                return null; // '}' (the field is not there) or malformed
            }
            p = ws(b, p + 1, end);
        }
        return null;
    }

    private static boolean regionEquals(byte[] b, int at, byte[] want) {
        for (int i = 0; i < want.length; i++) {
            if (b[at + i] != want[i]) {
                return false;
            }
        }
        return true;
    }

    private static int ws(byte[] b, int p, int end) {
        while (p < end && (b[p] == ' ' || b[p] == '\t' || b[p] == '\r' || b[p] == '\n')) {
            p++;
        }
        return p;
    }

    /** The index of the closing quote of the string that opens at {@code p}, or -1. */
    private static int stringEnd(byte[] b, int p, int end) {
        for (int i = p + 1; i < end; i++) {
            if (b[i] == '\\') {
                i++;
            } else if (b[i] == '"') {
                return i;
            }
        }
        return -1;
    }

    /** Just past the value that starts at {@code p}, or -1 when it does not end. */
    private static int valueEnd(byte[] b, int p, int end) {
        if (p >= end) {
            return -1;
        }
        if (b[p] == '"') {
            int e = stringEnd(b, p, end);
            return e < 0 ? -1 : e + 1;
        }
        if (b[p] == '[' || b[p] == '{') {
            int depth = 0;
            for (int i = p; i < end; i++) {
                byte c = b[i];
                if (c == '"') {
                    i = stringEnd(b, i, end);
                    if (i < 0) {
                        return -1;
                    }
                } else if (c == '[' || c == '{') {
                    depth++;
                } else if (c == ']' || c == '}') {
                    if (--depth == 0) {
                        return i + 1;
                    }
                }
            }
            return -1;
        }
        int i = p;
        while (i < end && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ') {
            i++;
        }
        return i == p ? -1 : i;
    }

    private static String unescape(byte[] b, int p, int end) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = p + 1; i < end; i++) {
            byte c = b[i];
            if (c == '"') {
                return out.toString(StandardCharsets.UTF_8);
            }
            if (c != '\\') {
                out.write(c);
                continue;
            }
            if (++i >= end) {
                return null;
            }
            switch (b[i]) {
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case 'r' -> out.write('\r');
                case 'b' -> out.write('\b');
                case 'f' -> out.write('\f');
                case 'u' -> {
                    if (i + 4 >= end) {
                        return null;
                    }
                    int cp;
                    try {
                        cp = Integer.parseInt(new String(b, i + 1, 4, StandardCharsets.US_ASCII), 16);
                    } catch (NumberFormatException e) {
                        return null;
                    }
                    i += 4;
                    byte[] enc = String.valueOf((char) cp).getBytes(StandardCharsets.UTF_8);
                    if (Character.isHighSurrogate((char) cp) && i + 6 < end && b[i + 1] == '\\' && b[i + 2] == 'u') {
                        try {
                            int lo = Integer.parseInt(new String(b, i + 3, 4, StandardCharsets.US_ASCII), 16);
                            enc = new String(new char[] {(char) cp, (char) lo}).getBytes(StandardCharsets.UTF_8);
                            i += 6;
                        } catch (NumberFormatException e) {
                            return null;
                        }
                    }
                    out.write(enc, 0, enc.length);
                }
                default -> out.write(b[i]); // \" \\ \/
            }
        }
        return null;
    }
}
