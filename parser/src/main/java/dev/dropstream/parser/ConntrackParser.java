package dev.dropstream.parser;

import static dev.dropstream.parser.Text.lit;

import dev.dropstream.schema.ConntrackEventKind;
import dev.dropstream.schema.ConntrackReason;

/**
 * Conntrack's own lines ({@code kernel-format.md} §6): invalid-packet reasons in all three eras
 * ({@code nf_ct_proto_<n>: <reason> }, {@code nf_ct_<name>: <reason> }), {@code table full, dropping packet}
 * in its forms, and {@code net_ratelimit: N callbacks suppressed}. Reads the tag and the reason; the
 * packet that follows is an ordinary LOG record for {@link RecordParser}.
 */
final class ConntrackParser {
    private static final byte[] NF_CT_PROTO = lit("nf_ct_proto_");
    private static final byte[] NF_CT = lit("nf_ct_");
    private static final byte[] NF_CONNTRACK = lit("nf_conntrack: ");
    private static final byte[] TABLE_FULL = lit("table full");
    private static final byte[] IN_NETNS = lit(" in netns ");
    private static final byte[] DROPPING = lit(", dropping packet");
    private static final byte[] NET_RATELIMIT = lit("net_ratelimit: ");
    private static final byte[] CALLBACKS_SUPPRESSED = lit(" callbacks suppressed");

    private ConntrackParser() {
    }

    /** Whether the body starts like a conntrack invalid-packet line. */
    static boolean isInvalidTag(byte[] b, int p, int end) {
        return Text.startsWith(b, p, end, NF_CT);
    }

    /**
     * Reads {@code nf_ct_proto_N: } or {@code nf_ct_name: } at {@code p}; sets the protocol and returns where
     * the reason starts, or -1 when it is not such a tag.
     */
    static int tag(byte[] b, int p, int end, ParsedLine line) {
        if (Text.startsWith(b, p, end, NF_CT_PROTO)) {
            int s = p + NF_CT_PROTO.length;
            int e = s;
            while (e < end && Text.isDigit(b[e])) {
                e++;
            }
            if (e == s || e + 1 >= end || b[e] != ':' || b[e + 1] != ' ') {
                return -1;
            }
            line.conntrackProtocol = (int) Text.decimal(b, s, e);
            int r = e + 2;
            // Some protocols repeat their own tag inside the reason ("nf_ct_proto_132: nf_ct_sctp: bad CRC").
            int inner = namedTag(b, r, end);
            return inner >= 0 ? inner : r;
        }
        int r = namedTag(b, p, end);
        if (r >= 0) {
            line.conntrackProtocol = protocolOfName(b, p + NF_CT.length, r - 2);
        }
        return r;
    }

    private static int namedTag(byte[] b, int p, int end) {
        if (!Text.startsWith(b, p, end, NF_CT)) {
            return -1;
        }
        int e = p + NF_CT.length;
        while (e < end && ((b[e] >= 'a' && b[e] <= 'z') || Text.isDigit(b[e]))) {
            e++;
        }
        if (e == p + NF_CT.length || e + 1 >= end || b[e] != ':' || b[e + 1] != ' ') {
            return -1;
        }
        return e + 2;
    }

    private static final byte[][] PROTOCOL_NAMES = {
        lit("tcp"), lit("udp"), lit("icmp"), lit("icmpv6"), lit("udplite"), lit("sctp"), lit("dccp"), lit("gre")
    };
    private static final int[] PROTOCOL_NUMBERS = {6, 17, 1, 58, 136, 132, 33, 47};

    /** The protocol number of a conntrack helper name, compared as bytes (no String per line). */
    private static int protocolOfName(byte[] b, int s, int e) {
        for (int i = 0; i < PROTOCOL_NAMES.length; i++) {
            byte[] name = PROTOCOL_NAMES[i];
            if (name.length == e - s && Text.startsWith(b, s, e, name)) {
                return PROTOCOL_NUMBERS[i];
            }
        }
        return -1;
    }

    /** Classifies the reason text {@code b[s..e)} (trailing spaces already trimmed) and reads its values. */
    static void reason(byte[] b, int s, int e, Reason scratch, ParsedLine line) {
        line.conntrackKind = ConntrackEventKind.INVALID;
        line.reasonStart = s;
        line.reasonEnd = e;
        line.reason = classify(scratch.of(b, s, e), line);
    }

    /**
     * The reason text as bytes, with the few comparisons classification needs. Mutable and reused (one per
     * {@link LineParser}): {@link #classify} is too large to inline, so a fresh instance per line would
     * escape and be allocated.
     */
    static final class Reason {
        private byte[] b;
        private int s;
        private int e;

        Reason of(byte[] bytes, int start, int end) {
            b = bytes;
            s = start;
            e = end;
            return this;
        }

        byte[] b() {
            return b;
        }

        int s() {
            return s;
        }

        int e() {
            return e;
        }

        boolean is(String t) {
            return e - s == t.length() && startsWith(t);
        }

        boolean startsWith(String t) {
            return at(s, t);
        }

        boolean endsWith(String t) {
            return e - s >= t.length() && at(e - t.length(), t);
        }

        boolean at(int p, String t) {
            if (p < s || e - p < t.length()) {
                return false;
            }
            for (int i = 0; i < t.length(); i++) {
                if (b[p + i] != t.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        /** Offset of {@code t} in the text, or -1. */
        int indexOf(String t) {
            for (int p = s; p + t.length() <= e; p++) {
                if (at(p, t)) {
                    return p;
                }
            }
            return -1;
        }

        /** The decimal number at {@code p}, or -1. */
        long number(int p) {
            int q = p;
            while (q < e && Text.isDigit(b[q])) {
                q++;
            }
            return Text.decimal(b, p, q);
        }

        /** The decimal number right after {@code marker}, or -1. */
        long numberAfter(String marker) {
            int i = indexOf(marker);
            return i < 0 ? -1 : number(i + marker.length());
        }
    }

    private static ConntrackReason classify(Reason t, ParsedLine line) {
        if (t.is("truncated packet")) {
            return ConntrackReason.TRUNCATED_PACKET;
        }
        if (t.startsWith("truncated/malformed packet")) {
            return ConntrackReason.MALFORMED_PACKET;
        }
        if (t.is("short packet")) {
            return ConntrackReason.SHORT_PACKET;
        }
        if (t.is("bad checksum") || t.is("bad hw icmp checksum") || t.is("bad HW ICMP checksum")
                || t.is("ICMPv6 checksum failed") || t.is("bad TCP checksum") || t.is("bad UDP checksum")
                || t.is("bad CRC")) {
            return ConntrackReason.BAD_CHECKSUM;
        }
        if (t.is("invalid checksum coverage")) {
            return ConntrackReason.INVALID_CHECKSUM_COVERAGE;
        }
        if (t.is("checksum missing")) {
            return ConntrackReason.CHECKSUM_MISSING;
        }
        if (t.is("invalid tcp flag combination")) {
            return ConntrackReason.INVALID_TCP_FLAGS;
        }
        if (t.startsWith("invalid new")) {
            return ConntrackReason.INVALID_NEW;
        }
        if (t.endsWith(" bytes more than expected")) {
            line.excessBytes = t.number(t.s());
            return ConntrackReason.BYTES_MORE_THAN_EXPECTED;
        }
        if (t.startsWith("SEQ is over")) {
            line.bound = t.numberAfter("upper bound ");
            return ConntrackReason.SEQ_OVER_UPPER_BOUND;
        }
        if (t.startsWith("SEQ is under")) {
            line.bound = t.numberAfter("lower bound ");
            return ConntrackReason.SEQ_UNDER_LOWER_BOUND;
        }
        if (t.startsWith("ACK is over")) {
            line.bound = t.numberAfter("upper bound ");
            return ConntrackReason.ACK_OVER_UPPER_BOUND;
        }
        if (t.startsWith("ignored ACK under lower bound") || t.startsWith("ACK is under")) {
            line.bound = t.numberAfter("lower bound ");
            return ConntrackReason.ACK_UNDER_LOWER_BOUND;
        }
        if (t.startsWith("packet (index ")) {
            return indexedPacket(t, line);
        }
        if (t.startsWith("invalid packet ignored in state ") || t.startsWith("invalid packed ignored")) {
            stateAfter(t, "in state ", line);
            return ConntrackReason.PACKET_IGNORED;
        }
        if (t.is("invalid state")) {
            return ConntrackReason.INVALID_STATE;
        }
        if (t.is("challenge-ack ignored")) {
            return ConntrackReason.CHALLENGE_ACK_IGNORED;
        }
        if (t.is("invalid rst")) {
            return ConntrackReason.INVALID_RST;
        }
        if (t.startsWith("killing out of sync session")) {
            return ConntrackReason.OUT_OF_SYNC_SESSION;
        }
        if (t.is("invalid icmp type")) {
            return ConntrackReason.INVALID_ICMP_TYPE;
        }
        if (t.startsWith("outer daddr ")) {
            int sep = t.indexOf(" != inner ");
            if (sep > 0) {
                line.outerAddrStart = t.s() + "outer daddr ".length();
                line.outerAddrEnd = sep;
                line.innerAddrStart = sep + " != inner ".length();
                line.innerAddrEnd = t.e();
            }
            return ConntrackReason.OUTER_INNER_DADDR_MISMATCH;
        }
        if (t.is("short redirect")) {
            return ConntrackReason.SHORT_REDIRECT;
        }
        if (t.is("invalid saddr or hoplimit for redirect")) {
            return ConntrackReason.INVALID_REDIRECT;
        }
        if (t.is("redirect without options")) {
            return ConntrackReason.REDIRECT_WITHOUT_OPTIONS;
        }
        return ConntrackReason.OTHER;
    }

    /**
     * {@code packet (index %d) in dir %d ignored|invalid, state %s} and
     * {@code packet (index %d, dir %d) response for index %d lower timeout to %u}.
     */
    private static ConntrackReason indexedPacket(Reason t, ParsedLine line) {
        line.packetIndex = (int) t.number(t.s() + "packet (index ".length());
        int dir = t.indexOf("dir ");
        if (dir > 0) {
            line.direction = (int) t.number(dir + 4);
        }
        if (t.indexOf("lower timeout to ") >= 0) {
            line.responseIndex = (int) t.numberAfter("response for index ");
            line.bound = t.numberAfter("lower timeout to ");
            return ConntrackReason.RESPONSE_LOWER_TIMEOUT;
        }
        stateAfter(t, "state ", line);
        return t.indexOf(" invalid, ") >= 0 ? ConntrackReason.INVALID_STATE : ConntrackReason.PACKET_IGNORED;
    }

    /** The state word after the last {@code marker}. */
    private static void stateAfter(Reason t, String marker, ParsedLine line) {
        int found = -1;
        for (int p = t.s(); p + marker.length() <= t.e(); p++) {
            if (t.at(p, marker)) {
                found = p;
            }
        }
        if (found >= 0) {
            int s = found + marker.length();
            int e = s;
            while (e < t.e() && t.b()[e] != ' ') {
                e++;
            }
            if (e > s) {
                line.tcpStateStart = s;
                line.tcpStateEnd = e;
            }
        }
    }

    /**
     * {@code nf_conntrack: [nf_conntrack: ]table full[ in netns N], dropping packet} or
     * {@code net_ratelimit: N callbacks suppressed}; true (kind set) when the body is one of them.
     */
    static boolean tableFullOrRatelimit(byte[] b, int p, int end, ParsedLine line) {
        if (Text.startsWith(b, p, end, NF_CONNTRACK)) {
            int q = p + NF_CONNTRACK.length;
            if (Text.startsWith(b, q, end, NF_CONNTRACK)) {
                q += NF_CONNTRACK.length;
            }
            if (!Text.startsWith(b, q, end, TABLE_FULL)) {
                return false;
            }
            q += TABLE_FULL.length;
            if (Text.startsWith(b, q, end, IN_NETNS)) {
                int s = q + IN_NETNS.length;
                int e = s;
                while (e < end && Text.isDigit(b[e])) {
                    e++;
                }
                line.netns = Text.decimal(b, s, e);
                q = e;
            }
            if (!Text.startsWith(b, q, end, DROPPING)) {
                return false;
            }
            line.conntrackKind = ConntrackEventKind.TABLE_FULL;
            return true;
        }
        if (Text.startsWith(b, p, end, NET_RATELIMIT)) {
            int s = p + NET_RATELIMIT.length;
            int e = s;
            while (e < end && Text.isDigit(b[e])) {
                e++;
            }
            if (e == s || !Text.startsWith(b, e, end, CALLBACKS_SUPPRESSED)) {
                return false;
            }
            line.suppressedCallbacks = Text.decimal(b, s, e);
            line.conntrackKind = ConntrackEventKind.CALLBACKS_SUPPRESSED;
            return true;
        }
        return false;
    }
}
