package dev.dropstream.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The origin host named in a syslog line's header, cheaply: the token after an RFC 3164 stamp
 * ({@code Mmm dd HH:MM:SS host}) or an RFC 3339 one ({@code 2025-11-30T00:00:20.57-07:00 host}), also
 * behind a {@code <pri>} and in RFC 5424 ({@code <4>1 2026-11-20T08:15:30Z host kernel - - -}). Lines
 * without such a header (a bare kernel record, /dev/kmsg) are this machine's: the caller's default.
 *
 * <p>An instance keeps the hosts it found lately, by the hash of their bytes: a relay's file interleaves a few
 * hundred hosts, and a new string per line for the same few names is garbage the sending thread pays for. One
 * instance per thread: it is not safe for several.
 */
final class SyslogHost {
    /** Pairs of a host's bytes and its string, in 256 slots. */
    private final Object[] seen = new Object[2 * 256];

    String of(byte[] b, int off, int len, String fallback) {
        int end = off + len;
        int p = off;
        if (p < end && b[p] == '<') {
            while (p < end && b[p] != '>') {
                p++;
            }
            p++;
            if (end - p > 2 && b[p] == '1' && b[p + 1] == ' ') {
                // RFC 5424: <pri>1 TIMESTAMP HOST ...
                p += 2;
                if (p < end && b[p] == '-') {
                    int q = p + 2;
                    int e = q;
                    while (e < end && b[e] != ' ') {
                        e++;
                    }
                    return e > q && e - q <= 255 && !(e - q == 1 && b[q] == '-')
                            ? new String(b, q, e - q, StandardCharsets.UTF_8) : fallback;
                }
            }
        }
        int hostStart;
        if (end - p > 16 && b[p + 3] == ' ' && b[p + 6] == ' ' && b[p + 9] == ':' && b[p + 12] == ':') {
            hostStart = p + 16;
        } else if (end - p > 20 && b[p + 4] == '-' && b[p + 7] == '-' && (b[p + 10] == 'T' || b[p + 10] == ' ')) {
            int q = p + 11;
            while (q < end && b[q] != ' ') {
                q++;
            }
            hostStart = q + 1;
        } else {
            return fallback;
        }
        int q = hostStart;
        int hash = 0;
        while (q < end && b[q] != ' ') {
            hash = 31 * hash + b[q];
            q++;
        }
        if (q == hostStart || q >= end || q - hostStart > 255) {
            return fallback;
        }
        return intern(b, hostStart, q - hostStart, hash);
    }

    private String intern(byte[] b, int off, int len, int hash) {
        int slot = 2 * ((hash ^ (hash >>> 8) ^ (hash >>> 16)) & 255);
        byte[] k = (byte[]) seen[slot];
        if (k != null && Arrays.equals(k, 0, k.length, b, off, off + len)) {
            return (String) seen[slot + 1];
        }
        String host = new String(b, off, len, StandardCharsets.UTF_8);
        seen[slot] = Arrays.copyOfRange(b, off, off + len);
        seen[slot + 1] = host;
        return host;
    }
}
