package dev.dropstream.parser;

import dev.dropstream.schema.Verdict;
import java.util.Arrays;

/**
 * Remembers the strings of byte ranges that repeat from line to line (prefixes with their verdicts,
 * interface names, hosts), so a hit costs a hash and a compare and allocates nothing. Direct-mapped:
 * a colliding range simply replaces the slot.
 */
final class StringCache {
    private static final int MAX_CACHED_LENGTH = 256;

    private final int mask;
    private final byte[][] keys;
    private final String[] values;
    private final Verdict[] verdicts;

    StringCache(int slotsPowerOfTwo) {
        int n = Integer.highestOneBit(Math.max(16, slotsPowerOfTwo));
        mask = n - 1;
        keys = new byte[n][];
        values = new String[n];
        verdicts = new Verdict[n];
    }

    /** The string of {@code b[s..e)} (UTF-8), cached. */
    String get(byte[] b, int s, int e) {
        if (s < 0) {
            return null;
        }
        int len = e - s;
        if (len > MAX_CACHED_LENGTH) {
            return Text.utf8(b, s, e);
        }
        int slot = hash(b, s, e) & mask;
        byte[] k = keys[slot];
        if (k != null && k.length == len && Arrays.equals(k, 0, len, b, s, e)) {
            return values[slot];
        }
        String v = Text.utf8(b, s, e);
        keys[slot] = Arrays.copyOfRange(b, s, e);
        values[slot] = v;
        verdicts[slot] = null;
        return v;
    }

    /** Slot of the range last passed to {@link #get}, for the verdict that goes with a prefix. */
    Verdict verdict(byte[] b, int s, int e, VerdictRules rules, String prefix) {
        int len = e - s;
        if (len > MAX_CACHED_LENGTH) {
            return rules.verdictOf(prefix);
        }
        int slot = hash(b, s, e) & mask;
        Verdict v = verdicts[slot];
        if (v == null || values[slot] != prefix) {
            v = rules.verdictOf(prefix);
            if (values[slot] == prefix) {
                verdicts[slot] = v;
            }
        }
        return v;
    }

    private static int hash(byte[] b, int s, int e) {
        int h = 0x811c9dc5;
        for (int i = s; i < e; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        return h ^ (h >>> 15);
    }
}
