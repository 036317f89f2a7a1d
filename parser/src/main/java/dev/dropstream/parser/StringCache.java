package dev.dropstream.parser;

import dev.dropstream.schema.Verdict;
import java.util.Arrays;

/**
 * Remembers the strings of byte ranges that repeat from line to line (prefixes with their verdicts,
 * interface names, hosts, addresses), so a hit costs one hash and one compare and allocates nothing.
 * Two-way set-associative: two hot ranges that hash to the same set do not evict each other. An entry can
 * also carry one object that a caller derives from the bytes ({@link #attached}, {@link #attach}), such as
 * an IPv6 address's canonical text or a MAC header's parts, so that it is derived once per distinct range.
 */
final class StringCache {
    private static final int MAX_CACHED_LENGTH = 256;

    private final int setMask;
    /** Whether the strings are ISO-8859-1 ({@link Text#ascii}) rather than UTF-8 ({@link Text#utf8}). */
    private final boolean ascii;
    private final byte[][] keys;
    private final int[] hashes;
    private final String[] values;
    private final Verdict[] verdicts;
    private final Object[] attachments;
    /** Whether the second way of a set was used last; a miss replaces the way used less recently. */
    private final boolean[] secondUsedLast;
    /** The slot of the last {@link #attached} lookup, for {@link #attach}; -1 when not cached. */
    private int lastSlot = -1;

    /** A cache of UTF-8 strings. */
    StringCache(int sets) {
        this(sets, false);
    }

    StringCache(int sets, boolean ascii) {
        int n = Integer.highestOneBit(Math.max(16, sets));
        setMask = n - 1;
        this.ascii = ascii;
        keys = new byte[2 * n][];
        hashes = new int[2 * n];
        values = new String[2 * n];
        verdicts = new Verdict[2 * n];
        attachments = new Object[2 * n];
        secondUsedLast = new boolean[n];
    }

    /** The string of {@code b[s..e)}, cached; null for a negative start. */
    String get(byte[] b, int s, int e) {
        if (s < 0) {
            return null;
        }
        if (s == e) {
            // OUT= of every inbound packet and IN= of every outbound one: no hash needed.
            return "";
        }
        int slot = slot(b, s, e);
        return slot < 0 ? decode(b, s, e) : values[slot];
    }

    /**
     * The object attached to the entry of {@code b[s..e)}, or null when there is none yet (a new entry, or a
     * range too long to cache). Follow a null with {@link #attach}.
     */
    Object attached(byte[] b, int s, int e) {
        lastSlot = slot(b, s, e);
        return lastSlot < 0 ? null : attachments[lastSlot];
    }

    /** Attaches {@code o} to the entry of the last {@link #attached} lookup (nothing when it was not cached). */
    void attach(Object o) {
        if (lastSlot >= 0) {
            attachments[lastSlot] = o;
        }
    }

    /** Sets the prefix of {@code b[s..e)} and its verdict on {@code out}, both cached. */
    void prefix(byte[] b, int s, int e, VerdictRules rules, ParsedLine out) {
        int slot = slot(b, s, e);
        if (slot < 0) {
            out.prefix = Text.utf8(b, s, e);
            out.verdict = rules.verdictOf(out.prefix);
            return;
        }
        Verdict v = verdicts[slot];
        if (v == null) {
            v = rules.verdictOf(values[slot]);
            verdicts[slot] = v;
        }
        out.prefix = values[slot];
        out.verdict = v;
    }

    private String decode(byte[] b, int s, int e) {
        return ascii ? Text.ascii(b, s, e) : Text.utf8(b, s, e);
    }

    /** The slot holding the range (inserted on a miss), or -1 for a range too long to cache. */
    private int slot(byte[] b, int s, int e) {
        int len = e - s;
        if (len > MAX_CACHED_LENGTH) {
            return -1;
        }
        int h = hash(b, s, e);
        int set = h & setMask;
        int first = set << 1;
        for (int way = first; way <= first + 1; way++) {
            byte[] k = keys[way];
            if (k != null && hashes[way] == h && k.length == len && Arrays.equals(k, 0, len, b, s, e)) {
                secondUsedLast[set] = way != first;
                return way;
            }
        }
        int way = secondUsedLast[set] ? first : first + 1;
        secondUsedLast[set] = way != first;
        keys[way] = Arrays.copyOfRange(b, s, e);
        hashes[way] = h;
        values[way] = decode(b, s, e);
        verdicts[way] = null;
        attachments[way] = null;
        return way;
    }

    /**
     * Hashes eight bytes per step (a multiply and a rotate each) rather than one: the keys are prefixes,
     * addresses and MAC headers of 10 to 41 bytes, hashed on every line.
     */
    private static int hash(byte[] b, int s, int e) {
        long h = 0x9E3779B97F4A7C15L ^ (e - s);
        int i = s;
        for (; e - i >= 8; i += 8) {
            h = Long.rotateLeft((h ^ Text.longAt(b, i)) * 0x9E3779B97F4A7C15L, 31);
        }
        if (i < e) {
            h = Long.rotateLeft((h ^ Text.tail(b, i, e)) * 0x9E3779B97F4A7C15L, 31);
        }
        h = (h ^ (h >>> 32)) * 0xD6E8FEB86659FD93L;
        return (int) (h ^ (h >>> 32));
    }
}
