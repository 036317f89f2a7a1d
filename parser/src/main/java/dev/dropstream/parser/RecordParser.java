package dev.dropstream.parser;

import static dev.dropstream.parser.Text.key;

import dev.dropstream.parser.Text.Key;

import dev.dropstream.schema.PacketFamily;

/**
 * The netfilter LOG record grammar ({@code kernel-format.md} §1-§5), one left-to-right pass over the bytes
 * with no key=value map: keys that repeat on a line (IP and UDP {@code LEN=}, IP and ICMP {@code ID=}, the
 * quoted packet's {@code SRC=}) land in the field of their position.
 *
 * <p>Every step returns {@link #OK}, {@link #STOP} (the record ended: naturally, or cut short, in which case
 * the line is flagged truncated and what was read is kept) or {@link #FAIL} (the line is not a well-formed
 * record; the error is set on the line). A failure in the last token of a line is a cut, not an error.
 */
final class RecordParser {
    static final int OK = 0;
    static final int STOP = 1;
    static final int FAIL = 2;
    /** The layer ended where the kernel stopped printing it (INCOMPLETE [n bytes]); the record goes on only for a quoted packet. */
    private static final int LAYER_END = 3;
    private static final int MAX_INTERFACE_SCAN = 64;

    private static final Key IN = key("IN=");
    private static final Key SP_OUT = key(" OUT=");
    private static final Key OUT = key("OUT=");
    private static final Key PHYSIN = key("PHYSIN=");
    private static final Key PHYSOUT = key("PHYSOUT=");
    private static final Key MAC = key("MAC=");
    private static final Key MAC_SOURCE = key("MAC source = ");
    private static final Key TUNNEL = key("TUNNEL=");
    private static final Key MACSRC = key("MACSRC=");
    private static final Key MACDST = key("MACDST=");
    private static final Key VPROTO = key("VPROTO=");
    private static final Key VID = key("VID=");
    private static final Key MACPROTO = key("MACPROTO=");
    private static final Key SRC = key("SRC=");
    private static final Key DST = key("DST=");
    private static final Key LEN = key("LEN=");
    private static final Key TOS = key("TOS=");
    private static final Key PREC = key("PREC=");
    private static final Key TTL = key("TTL=");
    private static final Key ID = key("ID=");
    private static final Key TC = key("TC=");
    private static final Key HOPLIMIT = key("HOPLIMIT=");
    private static final Key FLOWLBL = key("FLOWLBL=");
    private static final Key CE = key("CE");
    private static final Key DF = key("DF");
    private static final Key MF = key("MF");
    private static final Key FRAG = key("FRAG:");
    private static final Key ID_COLON = key("ID:");
    private static final Key OPT_OPEN = key("OPT (");
    private static final Key OPT_TRUNCATED = key("OPT (TRUNCATED)");
    private static final Key TRUNCATED = key("TRUNCATED");
    private static final Key INCOMPLETE = key("INCOMPLETE");
    private static final Key BYTES_CLOSE = key(" bytes]");
    private static final Key AH_SPI = key("AH SPI=");
    private static final Key ESP_SPI = key("ESP SPI=");
    private static final Key UNKNOWN_EXT = key("Unknown Ext Hdr ");
    private static final Key PROTO = key("PROTO=");
    private static final Key SPT = key("SPT=");
    private static final Key DPT = key("DPT=");
    private static final Key SEQ = key("SEQ=");
    private static final Key ACK = key("ACK=");
    private static final Key WINDOW = key("WINDOW=");
    private static final Key RES = key("RES=");
    private static final Key URGP = key("URGP=");
    private static final Key TYPE = key("TYPE=");
    private static final Key CODE = key("CODE=");
    private static final Key PARAMETER = key("PARAMETER=");
    private static final Key POINTER = key("POINTER=");
    private static final Key GATEWAY = key("GATEWAY=");
    private static final Key MTU = key("MTU=");
    private static final Key SPI = key("SPI=");
    private static final Key UID = key("UID=");
    private static final Key GID = key("GID=");
    private static final Key MARK = key("MARK=");
    private static final Key ARP = key("ARP");
    private static final Key HTYPE = key("HTYPE=");
    private static final Key PTYPE = key("PTYPE=");
    private static final Key OPCODE = key("OPCODE=");
    private static final Key IPSRC = key("IPSRC=");
    private static final Key IPDST = key("IPDST=");
    /** What follows IN= when a re-rendering dropped OUT=. */
    private static final Key[] AFTER_INTERFACES = {MAC, MACSRC, SRC, PHYSIN, ARP};
    private static final Key[] TCP_FLAGS = {
        key("AE"), key("CWR"), key("ECE"), key("URG"), key("ACK"), key("PSH"), key("RST"), key("SYN"), key("FIN")
    };

    /** Keys and words that can follow the point where the trailer starts, for telling a cut token from an unknown one. */
    private static final Key[] KNOWN_TOKENS = {
        UID, GID, MARK, URGP, RES, WINDOW, SEQ, ACK, SPT, DPT, LEN, TYPE, CODE, MTU, PROTO, OPT_OPEN, TRUNCATED,
        INCOMPLETE, CE, DF, MF, FRAG, MAC, MACSRC, MACDST, MACPROTO, VPROTO, VID, PHYSIN, PHYSOUT, SRC, ARP, OUT, key("AE"), key("CWR"), key("ECE"), key("URG"), key("PSH"), key("RST"),
        key("SYN"), key("FIN"), PARAMETER, POINTER, GATEWAY, SPI
    };

    private final int[] v6Scratch = new int[8];
    private final long[] v6Out = new long[2];

    private byte[] b;
    private int pos;
    private int end;
    private ParsedLine line;
    /** The value range of the token just read, and its decimal value (or NOT_A_NUMBER). */
    private int vs;
    private int ve;
    private long value;
    /** Whether the value just read by {@link #readAddress} is a dotted-quad IPv4 address. */
    private boolean ipv4;

    /**
     * Finds where the record starts in {@code b[start..end)}: the first {@code IN=} whose value is followed
     * by {@code OUT=}; failing that, one followed by a link, packet or ARP token, or cut by the line end
     * (re-renderings drop OUT=, and the kernel's buffer cuts records). Returns -1 when there is none.
     */
    static int findRecordStart(byte[] b, int start, int end) {
        int candidate = -1;
        int from = start;
        while (true) {
            int i = Text.indexOf(b, from, end, IN);
            if (i < 0) {
                return candidate;
            }
            // Interface names are at most 15 bytes; a bounded scan keeps hostile lines linear.
            int v = Text.tokenEnd(b, i + 3, Math.min(end, i + 3 + MAX_INTERFACE_SCAN));
            if (v == i + 3 + MAX_INTERFACE_SCAN) {
                from = i + 1;
                continue;
            }
            if (Text.startsWith(b, v, end, SP_OUT)) {
                return i;
            }
            if (candidate < 0 && (v == end || Text.isCutOf(b, v, end, SP_OUT) || isAfterInterfaces(b, v + 1, end))) {
                candidate = i;
            }
            from = i + 1;
        }
    }

    private static boolean isAfterInterfaces(byte[] b, int p, int end) {
        boolean last = Text.tokenEnd(b, p, end) == end;
        for (Key k : AFTER_INTERFACES) {
            if (Text.startsWith(b, p, end, k) || (last && Text.isCutOf(b, p, end, k))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses the record from its {@code IN=} at {@code recordStart} to {@code stop}. Returns false when the
     * line is malformed (error set on {@code out}).
     */
    boolean parse(byte[] bytes, int recordStart, int stop, ParsedLine out) {
        b = bytes;
        pos = recordStart;
        end = stop;
        line = out;
        int r = interfaces();
        if (r == OK) {
            r = linkLayer();
        }
        if (r == OK) {
            r = payload();
        }
        if (r == OK) {
            r = trailer();
        }
        return r != FAIL;
    }

    /** Parses a bare packet starting at {@code SRC=} (abbreviated conntrack lines without IN=/OUT=). */
    boolean parsePacketOnly(byte[] bytes, int srcStart, int stop, ParsedLine out) {
        b = bytes;
        pos = srcStart;
        end = stop;
        line = out;
        int r = payload();
        if (r == OK) {
            r = trailer();
        }
        return r != FAIL;
    }

    // ---- interfaces and link layer -------------------------------------------------------------

    private int interfaces() {
        readValue(IN.length());
        line.inStart = vs;
        line.inEnd = ve;
        if (pos >= end) {
            return cut();
        }
        if (Text.startsWith(b, pos, end, OUT)) {
            readValue(OUT.length());
            line.outStart = vs;
            line.outEnd = ve;
        } else if (Text.isCutOf(b, pos, end, OUT)) {
            return cut();
        }
        if (Text.startsWith(b, pos, end, PHYSIN)) {
            readValue(PHYSIN.length());
            line.physInStart = vs;
            line.physInEnd = ve;
        }
        if (Text.startsWith(b, pos, end, PHYSOUT)) {
            readValue(PHYSOUT.length());
            line.physOutStart = vs;
            line.physOutEnd = ve;
        }
        return OK;
    }

    private int linkLayer() {
        if (Text.startsWith(b, pos, end, MAC)) {
            if (!readHexBytes(MAC.length())) {
                return valueError("MAC=");
            }
            line.linkForm = 1;
            line.macStart = vs;
            line.macEnd = ve;
            if (Text.startsWith(b, pos, end, TUNNEL)) {
                readValue(TUNNEL.length());
                line.tunnelStart = vs;
                line.tunnelEnd = ve;
            }
            return OK;
        }
        if (Text.startsWith(b, pos, end, MAC_SOURCE)) {
            return fail(ParseError.UNSUPPORTED_FORMAT, pos,
                    "the ebtables text log (MAC source = ...) is a separate format this version does not read");
        }
        if (!Text.startsWith(b, pos, end, MACSRC)) {
            return OK;
        }
        line.linkForm = 2;
        readValue(MACSRC.length());
        if (!Text.isMac(b, vs, ve)) {
            return valueError("MACSRC=");
        }
        line.macSrcStart = vs;
        line.macSrcEnd = ve;
        int r = expect(MACDST);
        if (r != OK) {
            return r;
        }
        if (!Text.isMac(b, vs, ve)) {
            return valueError("MACDST=");
        }
        line.macDstStart = vs;
        line.macDstEnd = ve;
        if (Text.startsWith(b, pos, end, VPROTO)) {
            readValue(VPROTO.length());
            long vp = Text.hex(b, vs, ve);
            if (vp < 0) {
                return valueError("VPROTO=");
            }
            line.vlanProto = (int) vp;
            r = expect(VID);
            if (r != OK) {
                return r;
            }
            long vid = Text.decimal(b, vs, ve);
            if (vid < 0) {
                return valueError("VID=");
            }
            line.vlanId = (int) vid;
        }
        r = expect(MACPROTO);
        if (r != OK) {
            return r;
        }
        long et = Text.hex(b, vs, ve);
        if (et < 0) {
            return valueError("MACPROTO=");
        }
        line.etherType = (int) et;
        return OK;
    }

    /**
     * Reads a {@code MAC=} value like {@link #readValue} and returns whether it is empty or hex byte pairs
     * joined by colons. One pass that steps a pair and its colon at a time: the header is the longest
     * value of most records, and scanning it to the space before checking it would read it twice.
     */
    private boolean readHexBytes(int keyLength) {
        int p = pos + keyLength;
        vs = p;
        value = Text.NOT_A_NUMBER;
        boolean ok = true;
        if (p < end && b[p] != ' ') {
            while (true) {
                if (p + 1 >= end || (Text.hexValue(b[p]) | Text.hexValue(b[p + 1])) < 0) {
                    ok = false;
                    break;
                }
                p += 2;
                if (p < end && b[p] == ':') {
                    p++;
                } else {
                    break;
                }
            }
            if (!ok || (p < end && b[p] != ' ')) {
                ok = false;
                p = Text.tokenEnd(b, p, end);
            }
        }
        ve = p;
        pos = p < end ? p + 1 : end;
        return ok;
    }

    // ---- payload --------------------------------------------------------------------------------

    private int payload() {
        if (pos >= end) {
            return linkOnlyIsComplete() ? OK : cut();
        }
        if (Text.startsWith(b, pos, end, SRC)) {
            line.packetUsed = true;
            return ipPacket(line.packet, false);
        }
        if (Text.startsWith(b, pos, end, ARP) && (pos + 3 == end || b[pos + 3] == ' ')) {
            return arp();
        }
        if (Text.isCutOf(b, pos, end, SRC) || Text.isCutOf(b, pos, end, ARP)) {
            return cut();
        }
        return OK;
    }

    /**
     * Whether a record may end right after its link layer: only a netdev/bridge frame of an EtherType the
     * kernel does not decode. No link layer at all, a header shorter than Ethernet's, or an IPv4, IPv6 or
     * ARP EtherType with nothing after it means the line was cut.
     */
    private boolean linkOnlyIsComplete() {
        int etherType;
        if (line.linkForm == 2) {
            etherType = line.etherType;
        } else if (line.linkForm == 1 && line.macEnd - line.macStart >= 41) {
            int t = line.macStart + 36;
            etherType = (Text.hexValue(b[t]) << 12) | (Text.hexValue(b[t + 1]) << 8)
                    | (Text.hexValue(b[t + 3]) << 4) | Text.hexValue(b[t + 4]);
        } else {
            return false;
        }
        return etherType != 0x0800 && etherType != 0x86dd && etherType != 0x0806;
    }

    private int ipPacket(PacketFields f, boolean inner) {
        int r = expectAddress(SRC);
        if (r != OK) {
            return r;
        }
        int srcS = vs;
        int srcE = ve;
        if (ipv4) {
            f.version = 4;
        } else if (Ipv6.parse(b, srcS, srcE, v6Scratch, v6Out)) {
            f.version = 6;
            f.src6Hi = v6Out[0];
            f.src6Lo = v6Out[1];
        } else {
            return valueError("SRC=");
        }
        if (!inner) {
            line.family = f.version == 4 ? PacketFamily.IPV4 : PacketFamily.IPV6;
        }
        f.srcStart = srcS;
        f.srcEnd = srcE;
        r = expectAddress(DST);
        if (r != OK) {
            return r;
        }
        if (f.version == 4 ? !ipv4 : !Ipv6.parse(b, vs, ve, v6Scratch, v6Out)) {
            return valueError("DST=");
        }
        if (f.version == 6) {
            f.dst6Hi = v6Out[0];
            f.dst6Lo = v6Out[1];
        }
        f.dstStart = vs;
        f.dstEnd = ve;
        r = expect(LEN);
        if (r != OK) {
            return r;
        }
        long len = number("LEN=");
        if (len < 0) {
            return len == -2 ? FAIL : cut();
        }
        f.length = (int) len;
        r = f.version == 4 ? ipv4Header(f, inner) : ipv6Header(f, inner);
        if (r != OK) {
            return r;
        }
        return l4(f, inner);
    }

    private int ipv4Header(PacketFields f, boolean inner) {
        int r = expect(TOS);
        if (r != OK) {
            return r;
        }
        long tos = Text.hexWithOptionalPrefix(b, vs, ve);
        if (tos < 0) {
            return valueError("TOS=");
        }
        f.tos = (int) tos;
        r = expect(PREC);
        if (r != OK) {
            return r;
        }
        long prec = Text.hexWithOptionalPrefix(b, vs, ve);
        if (prec < 0) {
            return valueError("PREC=");
        }
        f.precedence = (int) prec;
        r = expect(TTL);
        if (r != OK) {
            return r;
        }
        long ttl = number("TTL=");
        if (ttl < 0) {
            return ttl == -2 ? FAIL : cut();
        }
        f.ttl = (int) ttl;
        r = expect(ID);
        if (r != OK) {
            return r;
        }
        long id = number("ID=");
        if (id < 0) {
            return id == -2 ? FAIL : cut();
        }
        f.id = id;
        if (word(CE)) {
            f.ce = true;
        }
        if (word(DF)) {
            f.df = true;
        }
        if (word(MF)) {
            f.mf = true;
        }
        if (Text.startsWith(b, pos, end, FRAG)) {
            readValue(FRAG.length());
            long off = number("FRAG:");
            if (off < 0) {
                return off == -2 ? FAIL : cut();
            }
            f.fragmentOffset = (int) off * 8;
        }
        if (Text.startsWith(b, pos, end, OPT_OPEN)) {
            int close = Text.indexOf(b, pos + OPT_OPEN.length(), end, (byte) ')');
            if (close < 0) {
                return cut();
            }
            f.ipOptStart = pos + OPT_OPEN.length();
            f.ipOptEnd = close;
            pos = skipSpace(close + 1);
        }
        if (word(TRUNCATED)) {
            return truncatedHere(inner);
        }
        return OK;
    }

    private int ipv6Header(PacketFields f, boolean inner) {
        int r = expect(TC);
        if (r != OK) {
            return r;
        }
        long tc = number("TC=");
        if (tc < 0) {
            return tc == -2 ? FAIL : cut();
        }
        f.trafficClass = (int) tc;
        r = expect(HOPLIMIT);
        if (r != OK) {
            return r;
        }
        long hl = number("HOPLIMIT=");
        if (hl < 0) {
            return hl == -2 ? FAIL : cut();
        }
        f.hopLimit = (int) hl;
        r = expect(FLOWLBL);
        if (r != OK) {
            return r;
        }
        long fl = number("FLOWLBL=");
        if (fl < 0) {
            return fl == -2 ? FAIL : cut();
        }
        f.flowLabel = (int) fl;
        return extensionHeaders(f, inner);
    }

    private int extensionHeaders(PacketFields f, boolean inner) {
        while (pos < end) {
            if (Text.startsWith(b, pos, end, OPT_OPEN)) {
                int contentStart = pos + OPT_OPEN.length();
                int close = Text.indexOf(b, contentStart, end, (byte) ')');
                if (close < 0) {
                    return cut();
                }
                int cs = contentStart < close && b[contentStart] == ' ' ? contentStart + 1 : contentStart;
                int ce = close > cs && b[close - 1] == ' ' ? close - 1 : close;
                addExtension(f, cs, ce);
                int r = extensionContent(f, cs, ce);
                if (r != OK) {
                    return r;
                }
                pos = skipSpace(close + 1);
                if (Text.startsWith(b, cs, ce, ESP_SPI)) {
                    // The kernel stops printing the packet at an ESP header.
                    return inner ? OK : STOP;
                }
            } else if (Text.startsWith(b, pos, end, FRAG)) {
                int s = pos;
                int r = fragmentHeader(f);
                if (r != OK) {
                    return r;
                }
                addExtension(f, s, pos > s && b[pos - 1] == ' ' ? pos - 1 : pos);
                if (pos >= end) {
                    // Something always follows a fragment header.
                    return cut();
                }
            } else if (Text.startsWith(b, pos, end, UNKNOWN_EXT)) {
                int s = pos;
                int e = Text.tokenEnd(b, pos + UNKNOWN_EXT.length(), end);
                addExtension(f, s, e);
                pos = skipSpace(e);
                return inner ? OK : STOP;
            } else if (word(TRUNCATED)) {
                return truncatedHere(inner);
            } else {
                return OK;
            }
        }
        return OK;
    }

    private static void addExtension(PacketFields f, int s, int e) {
        if (f.extCount < PacketFields.MAX_EXT_HEADERS) {
            f.extStart[f.extCount] = s;
            f.extEnd[f.extCount] = e;
            f.extCount++;
        }
    }

    /** The content of one {@code OPT ( ... )} group: empty, a fragment header, AH or ESP. */
    private int extensionContent(PacketFields f, int cs, int ce) {
        if (Text.startsWith(b, cs, ce, FRAG)) {
            int saved = pos;
            int savedEnd = end;
            pos = cs;
            end = ce;
            int r = fragmentHeader(f);
            pos = saved;
            end = savedEnd;
            return r;
        }
        Key kind = Text.startsWith(b, cs, ce, AH_SPI) ? AH_SPI : Text.startsWith(b, cs, ce, ESP_SPI) ? ESP_SPI : null;
        if (kind != null) {
            int s = cs + kind.length();
            long spi = Text.hexWithOptionalPrefix(b, s, Text.tokenEnd(b, s, ce));
            if (spi < 0) {
                return fail(ParseError.BAD_VALUE, s, "SPI= is not hex");
            }
            f.spi = spi;
        }
        return OK;
    }

    /** {@code FRAG:<bytes> [INCOMPLETE ]ID:<hex>}: IPv6 offsets are in bytes already. */
    private int fragmentHeader(PacketFields f) {
        readValue(FRAG.length());
        long off = number("FRAG:");
        if (off < 0) {
            return off == -2 ? FAIL : cut();
        }
        f.fragmentOffset = (int) off;
        if (word(INCOMPLETE)) {
            f.mf = true;
        }
        if (!Text.startsWith(b, pos, end, ID_COLON)) {
            return pos >= end || Text.isCutOf(b, pos, end, ID_COLON) ? cut() : OK;
        }
        readValue(ID_COLON.length());
        long id = Text.hex(b, vs, ve);
        if (id < 0) {
            return ve == end ? cut() : valueError("ID:");
        }
        f.fragmentId = id;
        return OK;
    }

    // ---- layer 4 --------------------------------------------------------------------------------

    private int l4(PacketFields f, boolean inner) {
        if (pos >= end) {
            // An IPv4 AH non-first fragment ends without PROTO=, and so does an IPv6 packet with an ESP
            // header logged without IP options (the kernel stops there); any other IPv4 packet was cut.
            return f.version == 6 || f.fragmentOffset > 0 ? OK : cut();
        }
        if (!Text.startsWith(b, pos, end, PROTO)) {
            if (Text.isCutOf(b, pos, end, PROTO)) {
                return cut();
            }
            // An AH non-first fragment prints no PROTO at all; what follows is the trailer.
            return OK;
        }
        readValue(PROTO.length());
        f.protoStart = vs;
        f.protoEnd = ve;
        int proto = protocolNumber(vs, ve);
        if (proto < 0) {
            return ve == end ? cut() : valueError("PROTO=");
        }
        f.protocolNumber = proto;
        switch (proto) {
            case 6:
                return tcp(f, inner);
            case 17:
            case 136:
                return udp(f, inner);
            case 1:
            case 58:
                return icmp(f, inner);
            case 50:
            case 51:
                return ipsec(f, inner);
            default:
                return OK;
        }
    }

    private int protocolNumber(int s, int e) {
        int n = e - s;
        if (n == 3 && b[s] == 'T' && b[s + 1] == 'C' && b[s + 2] == 'P') {
            return 6;
        }
        if (n == 3 && b[s] == 'U' && b[s + 1] == 'D' && b[s + 2] == 'P') {
            return 17;
        }
        if (n == 4 && b[s] == 'I' && b[s + 1] == 'C' && b[s + 2] == 'M' && b[s + 3] == 'P') {
            return 1;
        }
        if (n == 6 && b[s] == 'I' && b[s + 4] == 'v' && b[s + 5] == '6') {
            return 58;
        }
        if (n == 7 && b[s] == 'U' && b[s + 3] == 'L') {
            return 136;
        }
        if (n == 2 && b[s] == 'A' && b[s + 1] == 'H') {
            return 51;
        }
        if (n == 3 && b[s] == 'E' && b[s + 1] == 'S' && b[s + 2] == 'P') {
            return 50;
        }
        long v = Text.decimal(b, s, e);
        return v >= 0 && v <= 255 ? (int) v : -1;
    }

    /**
     * {@code INCOMPLETE [n bytes] }: the header that follows was cut off in the packet; nothing more of the
     * layer is printed. Returns OK when absent, LAYER_END when present, STOP when cut.
     */
    private int incomplete(PacketFields f, boolean inner) {
        if (!Text.startsWith(b, pos, end, INCOMPLETE)) {
            return Text.isCutOf(b, pos, end, INCOMPLETE) && pos < end ? cut() : OK;
        }
        int p = pos + INCOMPLETE.length();
        if (p + 2 <= end && b[p] == ' ' && b[p + 1] == '[') {
            int ds = p + 2;
            int de = ds;
            while (de < end && Text.isDigit(b[de])) {
                de++;
            }
            if (!Text.startsWith(b, de, end, BYTES_CLOSE)) {
                if (Text.isCutOf(b, de, end, BYTES_CLOSE)) {
                    return cut();
                }
                return fail(ParseError.BAD_VALUE, p, "INCOMPLETE is not followed by [n bytes]");
            }
            f.incompleteBytes = (int) Text.decimal(b, ds, de);
            pos = skipSpace(de + BYTES_CLOSE.length());
        } else {
            pos = skipSpace(p);
        }
        if (!inner) {
            line.truncated = true;
        }
        return LAYER_END;
    }

    private int tcp(PacketFields f, boolean inner) {
        int r = incomplete(f, inner);
        if (r == LAYER_END) {
            return inner ? OK : STOP;
        }
        if (r != OK) {
            return r;
        }
        if (!Text.startsWith(b, pos, end, SPT)) {
            // A non-first fragment: PROTO only.
            return layerAbsent(f, SPT);
        }
        r = ports(f);
        if (r != OK) {
            return r;
        }
        if (Text.startsWith(b, pos, end, SEQ)) {
            readValue(SEQ.length());
            long seq = number("SEQ=");
            if (seq < 0) {
                return seq == -2 ? FAIL : cut();
            }
            f.tcpSeq = seq;
            r = expect(ACK);
            if (r != OK) {
                return r;
            }
            long ack = number("ACK=");
            if (ack < 0) {
                return ack == -2 ? FAIL : cut();
            }
            f.tcpAck = ack;
        }
        r = expect(WINDOW);
        if (r != OK) {
            return r;
        }
        long win = number("WINDOW=");
        if (win < 0) {
            return win == -2 ? FAIL : cut();
        }
        f.tcpWindow = (int) win;
        if (Text.startsWith(b, pos, end, RES)) {
            readValue(RES.length());
            long res = Text.hexWithOptionalPrefix(b, vs, ve);
            if (res < 0) {
                return ve == end ? cut() : valueError("RES=");
            }
            f.tcpReserved = (int) res;
        }
        int flag;
        while ((flag = tcpFlag()) >= 0) {
            f.tcpFlags |= 1 << flag;
        }
        if (pos >= end && f.tcpReserved < 0 && f.tcpFlags == 0) {
            // Even re-renderings that drop RES= and URGP= print the flags after WINDOW=.
            return cut();
        }
        if (Text.startsWith(b, pos, end, URGP)) {
            readValue(URGP.length());
            long urgp = number("URGP=");
            if (urgp < 0) {
                return urgp == -2 ? FAIL : cut();
            }
            f.tcpUrgentPointer = (int) urgp;
        } else if (pos >= end && f.tcpReserved >= 0) {
            // The kernel prints URGP= after RES= and the flags; only re-renderings (pvefw) drop both.
            return cut();
        }
        if (Text.startsWith(b, pos, end, OPT_TRUNCATED)) {
            pos = skipSpace(pos + OPT_TRUNCATED.length());
            return truncatedHere(inner);
        }
        if (Text.startsWith(b, pos, end, OPT_OPEN)) {
            int close = Text.indexOf(b, pos + OPT_OPEN.length(), end, (byte) ')');
            if (close < 0) {
                return cut();
            }
            f.tcpOptStart = pos + OPT_OPEN.length();
            f.tcpOptEnd = close;
            pos = skipSpace(close + 1);
        }
        return OK;
    }

    private int ports(PacketFields f) {
        readValue(SPT.length());
        long spt = number("SPT=");
        if (spt < 0) {
            return spt == -2 ? FAIL : cut();
        }
        f.srcPort = (int) spt;
        int r = expect(DPT);
        if (r != OK) {
            return r;
        }
        long dpt = number("DPT=");
        if (dpt < 0) {
            return dpt == -2 ? FAIL : cut();
        }
        f.dstPort = (int) dpt;
        return OK;
    }

    private int udp(PacketFields f, boolean inner) {
        int r = incomplete(f, inner);
        if (r == LAYER_END) {
            return inner ? OK : STOP;
        }
        if (r != OK) {
            return r;
        }
        if (!Text.startsWith(b, pos, end, SPT)) {
            return layerAbsent(f, SPT);
        }
        r = ports(f);
        if (r != OK) {
            return r;
        }
        r = expect(LEN);
        if (r != OK) {
            return r;
        }
        long len = number("LEN=");
        if (len < 0) {
            return len == -2 ? FAIL : cut();
        }
        f.udpLength = (int) len;
        return OK;
    }

    private int icmp(PacketFields f, boolean inner) {
        int r = incomplete(f, inner);
        if (r == LAYER_END) {
            return inner ? OK : STOP;
        }
        if (r != OK) {
            return r;
        }
        if (!Text.startsWith(b, pos, end, TYPE)) {
            return layerAbsent(f, TYPE);
        }
        readValue(TYPE.length());
        long type = number("TYPE=");
        if (type < 0) {
            return type == -2 ? FAIL : cut();
        }
        f.icmpType = (int) type;
        r = expect(CODE);
        if (r != OK) {
            return r;
        }
        long code = number("CODE=");
        if (code < 0) {
            return code == -2 ? FAIL : cut();
        }
        f.icmpCode = (int) code;
        r = incomplete(f, inner);
        if (r == LAYER_END) {
            return inner ? OK : STOP;
        }
        if (r != OK) {
            return r;
        }
        if (Text.startsWith(b, pos, end, ID)) {
            readValue(ID.length());
            long id = number("ID=");
            if (id < 0) {
                return id == -2 ? FAIL : cut();
            }
            f.icmpId = (int) id;
            r = expect(SEQ);
            if (r != OK) {
                return r;
            }
            long seq = number("SEQ=");
            if (seq < 0) {
                return seq == -2 ? FAIL : cut();
            }
            f.icmpSeq = (int) seq;
        }
        if (Text.startsWith(b, pos, end, PARAMETER)) {
            readValue(PARAMETER.length());
            long param = number("PARAMETER=");
            if (param < 0) {
                return param == -2 ? FAIL : cut();
            }
            f.icmpParameter = param;
        } else if (Text.startsWith(b, pos, end, POINTER)) {
            readValue(POINTER.length());
            long ptr = Text.hex(b, vs, ve);
            if (ptr < 0) {
                return ve == end ? cut() : valueError("POINTER=");
            }
            f.icmpParameter = ptr;
        }
        if (Text.startsWith(b, pos, end, GATEWAY)) {
            readValue(GATEWAY.length());
            if (!Text.isIpv4(b, vs, ve)) {
                return ve == end ? cut() : valueError("GATEWAY=");
            }
            f.gatewayStart = vs;
            f.gatewayEnd = ve;
        }
        if (pos < end && b[pos] == '[') {
            if (inner) {
                return fail(ParseError.UNEXPECTED_TOKEN, pos, "a packet quoted inside a quoted packet");
            }
            pos++;
            line.quotedUsed = true;
            r = ipPacket(line.quoted, true);
            if (r != OK) {
                return r;
            }
            if (pos >= end) {
                return cut();
            }
            if (b[pos] != ']') {
                return fail(ParseError.UNEXPECTED_TOKEN, pos, "expected ] to close the quoted packet");
            }
            pos = skipSpace(pos + 1);
        }
        if (Text.startsWith(b, pos, end, MTU)) {
            readValue(MTU.length());
            long mtu = number("MTU=");
            if (mtu < 0) {
                return mtu == -2 ? FAIL : cut();
            }
            f.icmpMtu = (int) mtu;
        }
        return pos >= end && !icmpComplete(f) ? cut() : OK;
    }

    /** Whether an ICMP/ICMPv6 part that ends the line has everything its type always prints. */
    private boolean icmpComplete(PacketFields f) {
        if (f.incompleteBytes >= 0) {
            return true;
        }
        int t = f.icmpType;
        boolean quotedSeen = line.quoted.present();
        if (f.protocolNumber == 1) {
            switch (t) {
                case 0:
                case 8:
                    return f.icmpId >= 0;
                case 3:
                    return quotedSeen && (f.icmpCode != 4 || f.icmpMtu >= 0);
                case 4:
                case 11:
                    return quotedSeen;
                case 5:
                    return f.gatewayStart >= 0 && quotedSeen;
                case 12:
                    return f.icmpParameter >= 0;
                default:
                    return true;
            }
        }
        switch (t) {
            case 128:
            case 129:
                return f.icmpId >= 0;
            case 1:
            case 3:
                return quotedSeen;
            case 2:
                return quotedSeen && f.icmpMtu >= 0;
            case 4:
                return f.icmpParameter >= 0 && quotedSeen;
            default:
                return true;
        }
    }

    /**
     * The layer-4 header is not printed: right for a non-first fragment, a cut when the line simply ends
     * (or ends inside the key).
     */
    private int layerAbsent(PacketFields f, Key key) {
        if (pos >= end) {
            return f.fragmentOffset > 0 ? OK : cut();
        }
        return Text.isCutOf(b, pos, end, key) ? cut() : OK;
    }

    private int ipsec(PacketFields f, boolean inner) {
        int r = incomplete(f, inner);
        if (r == LAYER_END) {
            return inner ? OK : STOP;
        }
        if (r != OK) {
            return r;
        }
        if (Text.startsWith(b, pos, end, SPI)) {
            readValue(SPI.length());
            long spi = Text.hexWithOptionalPrefix(b, vs, ve);
            if (spi < 0) {
                return ve == end ? cut() : valueError("SPI=");
            }
            f.spi = spi;
        }
        return OK;
    }

    // ---- ARP ------------------------------------------------------------------------------------

    private int arp() {
        line.arpUsed = true;
        line.family = PacketFamily.ARP;
        pos = skipSpace(pos + ARP.length());
        int r = expect(HTYPE);
        if (r != OK) {
            return r;
        }
        long ht = number("HTYPE=");
        if (ht < 0) {
            return ht == -2 ? FAIL : cut();
        }
        line.arpHardwareType = (int) ht;
        r = expect(PTYPE);
        if (r != OK) {
            return r;
        }
        long pt = Text.hexWithOptionalPrefix(b, vs, ve);
        if (pt < 0) {
            return ve == end ? cut() : valueError("PTYPE=");
        }
        line.arpProtocolType = (int) pt;
        r = expect(OPCODE);
        if (r != OK) {
            return r;
        }
        long op = number("OPCODE=");
        if (op < 0) {
            return op == -2 ? FAIL : cut();
        }
        line.arpOpcode = (int) op;
        PacketFields scratch = line.quoted;
        line.quotedUsed = true;
        r = incomplete(scratch, true);
        if (r == LAYER_END) {
            line.arpIncompleteBytes = scratch.incompleteBytes;
            scratch.incompleteBytes = -1;
            return STOP;
        }
        if (r != OK) {
            return r;
        }
        if (word(TRUNCATED)) {
            return truncatedHere(false);
        }
        if (!Text.startsWith(b, pos, end, MACSRC)) {
            return Text.isCutOf(b, pos, end, MACSRC) && pos < end ? cut() : OK;
        }
        readValue(MACSRC.length());
        line.arpSenderMacStart = vs;
        line.arpSenderMacEnd = ve;
        r = expect(IPSRC);
        if (r != OK) {
            return r;
        }
        line.arpSenderIpStart = vs;
        line.arpSenderIpEnd = ve;
        r = expect(MACDST);
        if (r != OK) {
            return r;
        }
        line.arpTargetMacStart = vs;
        line.arpTargetMacEnd = ve;
        r = expect(IPDST);
        if (r != OK) {
            return r;
        }
        line.arpTargetIpStart = vs;
        line.arpTargetIpEnd = ve;
        if (!Text.isMac(b, line.arpSenderMacStart, line.arpSenderMacEnd)
                || !Text.isMac(b, line.arpTargetMacStart, line.arpTargetMacEnd)
                || !Text.isIpv4(b, line.arpSenderIpStart, line.arpSenderIpEnd)) {
            return fail(ParseError.BAD_VALUE, line.arpSenderMacStart, "ARP addresses are malformed");
        }
        if (!Text.isIpv4(b, vs, ve)) {
            return ve == end ? cut() : valueError("IPDST=");
        }
        return OK;
    }

    // ---- trailer --------------------------------------------------------------------------------

    /** {@code UID= GID=}, {@code MARK=}, and any token this version does not know (kept, not dropped). */
    private int trailer() {
        while (pos < end) {
            if (Text.startsWith(b, pos, end, UID)) {
                readValue(UID.length());
                long uid = number("UID=");
                if (uid < 0) {
                    return uid == -2 ? FAIL : cut();
                }
                line.uid = uid;
            } else if (Text.startsWith(b, pos, end, GID)) {
                readValue(GID.length());
                long gid = number("GID=");
                if (gid < 0) {
                    return gid == -2 ? FAIL : cut();
                }
                line.gid = gid;
            } else if (Text.startsWith(b, pos, end, MARK)) {
                readValue(MARK.length());
                long mark = Text.hexWithOptionalPrefix(b, vs, ve);
                if (mark < 0) {
                    return ve == end ? cut() : valueError("MARK=");
                }
                line.mark = mark;
            } else if (b[pos] == ']') {
                return fail(ParseError.UNEXPECTED_TOKEN, pos, "] without a quoted packet");
            } else {
                int e = Text.tokenEnd(b, pos, end);
                if (isLastToken(pos) && isCutOfKnownToken(pos, end)) {
                    return cut();
                }
                if (line.extraCount < ParsedLine.MAX_EXTRA_TOKENS) {
                    line.extraStart[line.extraCount] = pos;
                    line.extraEnd[line.extraCount] = e;
                    line.extraCount++;
                }
                pos = skipSpace(e);
            }
        }
        // The kernel prints UID= and GID= together.
        return line.uid >= 0 && line.gid < 0 ? cut() : OK;
    }

    /** A last token that is the start of a key or word of the grammar was cut by the line end. */
    private boolean isCutOfKnownToken(int p, int e) {
        for (Key k : KNOWN_TOKENS) {
            if (Text.isCutOf(b, p, e, k)) {
                return true;
            }
        }
        return false;
    }

    // ---- token helpers --------------------------------------------------------------------------

    /**
     * Reads the value of the key at {@code pos} (key length given) into vs/ve and moves past the space. Digits
     * are accumulated on the way, so a numeric value is not scanned twice (see {@link #number}).
     */
    private void readValue(int keyLength) {
        int p = pos + keyLength;
        vs = p;
        if (p <= b.length - 8) {
            // Most values are numbers of 1 to 7 digits: count and convert them eight bytes at a time,
            // without a loop whose exit depends on the number's length. Fewer than eight digits followed
            // by anything but the value's end is not a number: the rest is a plain scan to the space.
            long w = Text.longAt(b, p);
            int n = Math.min(Text.leadingDigits(w), end - p);
            if (n < 8) {
                int q = p + n;
                if (q == end || b[q] == ' ') {
                    value = n > 0 ? Text.digitsValue(w, n) : Text.NOT_A_NUMBER;
                } else {
                    value = Text.NOT_A_NUMBER;
                    q = Text.tokenEnd(b, q + 1, end);
                }
                ve = q;
                pos = q < end ? q + 1 : end;
                return;
            }
        }
        // Digits first: a numeric value is read in the one loop. At the first non-digit a value that is
        // not a number (an address, a MAC, a name) is finished by a plain scan to the space, which keeps
        // the multiply chain of the number off its bytes.
        long v = 0;
        while (p < end) {
            int d = b[p] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            v = v * 10 + d;
            p++;
        }
        if (p < end && b[p] != ' ') {
            value = Text.NOT_A_NUMBER;
            p = Text.tokenEnd(b, p + 1, end);
        } else {
            value = p > vs && p - vs <= 18 ? v : Text.NOT_A_NUMBER;
        }
        ve = p;
        pos = p < end ? p + 1 : end;
    }

    /**
     * Reads an address value like {@link #readValue} and sets {@link #ipv4} to whether it is a dotted
     * quad, checked on the way ({@link Text#isIpv4} exactly) rather than by a second scan. Anything else
     * is finished by a plain scan to the space (an IPv6 address is parsed by the caller).
     */
    private void readAddress(int keyLength) {
        int p = pos + keyLength;
        vs = p;
        value = Text.NOT_A_NUMBER;
        int dots = 0;
        int digits = 0;
        int octet = 0;
        boolean ok = true;
        while (p < end) {
            byte c = b[p];
            int d = c - '0';
            if (d >= 0 && d <= 9) {
                digits++;
                octet = octet * 10 + d;
            } else if (c == '.' && digits > 0 && digits <= 3 && octet <= 255) {
                dots++;
                digits = 0;
                octet = 0;
            } else {
                break;
            }
            p++;
        }
        if (p < end && b[p] != ' ') {
            ok = false;
            p = Text.tokenEnd(b, p, end);
        }
        ipv4 = ok && dots == 3 && digits > 0 && digits <= 3 && octet <= 255;
        ve = p;
        pos = p < end ? p + 1 : end;
    }

    /** {@link #expect} for an address: the value is read by {@link #readAddress}. */
    private int expectAddress(Key key) {
        if (Text.startsWith(b, pos, end, key)) {
            readAddress(key.length());
            return OK;
        }
        return missing(key);
    }

    /** A required key: OK (value in vs/ve), STOP when the line ends before or inside it, FAIL otherwise. */
    private int expect(Key key) {
        if (Text.startsWith(b, pos, end, key)) {
            readValue(key.length());
            return OK;
        }
        return missing(key);
    }

    /** A required key that is not at {@code pos}: STOP when the line ends inside it, FAIL otherwise. */
    private int missing(Key key) {
        if (Text.isCutOf(b, pos, end, key)) {
            return cut();
        }
        return fail(ParseError.MISSING_TOKEN, pos,
                "expected " + key.text());
    }

    /**
     * The TCP flag word at {@code pos} (consumed), as its index in the kernel's order, or -1. Dispatches on
     * the first byte: the flags sit on the hot path of nearly every TCP record.
     */
    private int tcpFlag() {
        if (pos >= end) {
            return -1;
        }
        int i;
        switch (b[pos]) {
            case 'A':
                i = pos + 1 < end && b[pos + 1] == 'E' ? 0 : 4;
                break;
            case 'C': i = 1; break;
            case 'E': i = 2; break;
            case 'U': i = 3; break;
            case 'P': i = 5; break;
            case 'R': i = 6; break;
            case 'S': i = 7; break;
            case 'F': i = 8; break;
            default: return -1;
        }
        return word(TCP_FLAGS[i]) ? i : -1;
    }

    /** A bare word followed by a space or the line end; consumed when present. */
    private boolean word(Key w) {
        int n = w.length();
        if (Text.startsWith(b, pos, end, w) && (pos + n == end || b[pos + n] == ' ')) {
            pos = skipSpace(pos + n);
            return true;
        }
        return false;
    }

    /** The decimal value in vs/ve; -1 when cut by the line end, -2 (error set) when malformed. */
    private long number(String key) {
        long v = value;
        if (v >= 0) {
            return v;
        }
        if (ve == end) {
            return -1;
        }
        valueError(key);
        return -2;
    }

    /** Whether the token at {@code p} is the line's last: only spaces follow it. */
    private boolean isLastToken(int p) {
        int i = Text.tokenEnd(b, p, end);
        while (i < end && b[i] == ' ') {
            i++;
        }
        return i == end;
    }

    private int skipSpace(int p) {
        return p < end && b[p] == ' ' ? p + 1 : p;
    }

    private int cut() {
        line.truncated = true;
        return STOP;
    }

    /** TRUNCATED: the kernel stopped printing the packet; inside a quoted packet the outer record goes on. */
    private int truncatedHere(boolean inner) {
        line.truncated = true;
        return inner ? OK : STOP;
    }

    private int valueError(String key) {
        if (ve == end) {
            return cut();
        }
        return fail(ParseError.BAD_VALUE, vs, key + " has a value the kernel does not write");
    }

    private int fail(ParseError error, int at, String detail) {
        if (isLastToken(at) && error != ParseError.UNSUPPORTED_FORMAT) {
            // Whatever is wrong with the last token of a line, the line was cut there.
            return cut();
        }
        line.error = error;
        line.errorPosition = at;
        line.errorDetail = detail;
        return FAIL;
    }
}
