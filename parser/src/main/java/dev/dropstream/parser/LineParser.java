package dev.dropstream.parser;

import static dev.dropstream.parser.Text.lit;

import dev.dropstream.schema.EnvelopeFormat;
import java.nio.charset.StandardCharsets;

/**
 * Parses one log line: the envelope, then a netfilter LOG record or a conntrack diagnostic. One pass,
 * positional, no regex and no exceptions on the hot path; whatever the bytes, nothing throws out of
 * {@link #parse}. Not thread-safe: use one instance per thread (it keeps caches and scratch space).
 *
 * <pre>{@code
 * LineParser parser = new LineParser(ParserConfig.defaults());
 * EventMapper mapper = new EventMapper();
 * ParsedLine line = new ParsedLine();
 * if (parser.parse(bytes, 0, bytes.length, line) == Outcome.PACKET) {
 *     PacketEvent event = mapper.packetEvent(line, kafkaKeyHost);
 * }
 * }</pre>
 */
public final class LineParser {
    private static final byte[] PROTO = lit("PROTO=");
    private static final byte[] SRC = lit("SRC=");
    private static final byte[] DST = lit("DST=");
    private static final byte[] SP_SRC = lit(" SRC=");

    private final ParserConfig config;
    private final Clock clock;
    private final EnvelopeParser envelope;
    private final RecordParser record = new RecordParser();
    private final StringCache prefixes = new StringCache(512);
    private final ConntrackParser.Reason reason = new ConntrackParser.Reason();
    /** Scratch for a pvefw-logger prefix (chain and verdict text); longer ones are not cached anyway. */
    private final byte[] joined = new byte[256];

    public LineParser(ParserConfig config) {
        this.config = config;
        this.clock = new Clock(config.zone(), config.referenceMicros());
        this.envelope = new EnvelopeParser(clock);
    }

    public ParserConfig config() {
        return config;
    }

    /** Parses a line given as text (a convenience for tests and tools; the byte form is the fast one). */
    public Outcome parse(String text, ParsedLine out) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return parse(bytes, 0, bytes.length, out);
    }

    /** Parses {@code buf[off..off+len)} into {@code out}; a trailing CR/LF is ignored. */
    public Outcome parse(byte[] buf, int off, int len, ParsedLine out) {
        int end = off + len;
        while (end > off && (buf[end - 1] == '\n' || buf[end - 1] == '\r')) {
            end--;
        }
        out.reset(buf, off, end);
        out.outcome = parseInto(buf, off, end, out);
        return out.outcome;
    }

    private Outcome parseInto(byte[] buf, int off, int end, ParsedLine out) {
        if (!envelope.parse(buf, off, end, out)) {
            return Outcome.ERROR;
        }
        byte[] b = envelope.bodyBuf;
        int s = envelope.bodyStart;
        int e = envelope.bodyEnd;
        int chainStart = -1;
        int chainEnd = -1;
        int pv = Pvefw.header(b, s, e, out);
        if (pv >= 0) {
            chainStart = out.prefixStart;
            chainEnd = out.prefixEnd;
            s = pv;
        }
        if (s >= e) {
            out.skipReason = "no message after the envelope";
            return Outcome.SKIPPED;
        }
        if (b[s] == 'n') {
            // Only conntrack's lines write the conntrack fields: mark them for the next reset.
            out.conntrackUsed = true;
        }
        if (b[s] == 'n' && ConntrackParser.tableFullOrRatelimit(b, s, e, out)) {
            return Outcome.CONNTRACK;
        }
        if (b[s] == 'n' && ConntrackParser.isInvalidTag(b, s, e)) {
            int reasonStart = ConntrackParser.tag(b, s, e, out);
            if (reasonStart >= 0) {
                return conntrackInvalid(b, s, reasonStart, e, out);
            }
        }
        int recordStart = RecordParser.findRecordStart(b, s, e);
        if (recordStart < 0) {
            if (Text.indexOf(b, s, e, PROTO) >= 0
                    || (Text.indexOf(b, s, e, SRC) >= 0 && Text.indexOf(b, s, e, DST) >= 0)) {
                out.error = ParseError.RECORD_FRAGMENT;
                out.errorPosition = s;
                return Outcome.ERROR;
            }
            out.skipReason = "not a netfilter record";
            return Outcome.SKIPPED;
        }
        setPrefix(b, s, recordStart, chainStart, chainEnd, out);
        return record.parse(b, recordStart, e, out) ? Outcome.PACKET : Outcome.ERROR;
    }

    private Outcome conntrackInvalid(byte[] b, int s, int reasonStart, int e, ParsedLine out) {
        int recordStart = RecordParser.findRecordStart(b, reasonStart, e);
        int reasonEnd;
        boolean ok = true;
        if (recordStart >= 0) {
            reasonEnd = recordStart;
            setPrefix(b, s, recordStart, -1, -1, out);
            out.conntrackHasPacket = true;
            ok = record.parse(b, recordStart, e, out);
        } else {
            // Abbreviated copies (articles) drop IN=/OUT=: the packet starts at SRC=.
            int src = Text.indexOf(b, reasonStart, e, SP_SRC);
            reasonEnd = src >= 0 ? src : e;
            if (src >= 0) {
                setPrefix(b, s, src + 1, -1, -1, out);
                out.conntrackHasPacket = true;
                ok = record.parsePacketOnly(b, src + 1, e, out);
            } else {
                // Conntrack always logs the packet after the reason: without one the line was cut.
                out.truncated = true;
            }
        }
        while (reasonEnd > reasonStart && b[reasonEnd - 1] == ' ') {
            reasonEnd--;
        }
        ConntrackParser.reason(b, reasonStart, reasonEnd, reason, out);
        return ok ? Outcome.CONNTRACK : Outcome.ERROR;
    }

    private void setPrefix(byte[] b, int s, int e, int chainStart, int chainEnd, ParsedLine out) {
        out.prefixStart = s;
        out.prefixEnd = e;
        if (chainStart >= 0) {
            joinedPrefix(b, chainStart, chainEnd, s, e, out);
            return;
        }
        prefixes.prefix(b, s, e, config.verdictRules(), out);
    }

    /**
     * pvefw-logger: the rule's chain and the verdict text together say which rule logged. They are not
     * one range of the line (the time sits between them), so they are joined in a scratch buffer and
     * looked up in the prefix cache like any other prefix.
     */
    private void joinedPrefix(byte[] b, int chainStart, int chainEnd, int s, int e, ParsedLine out) {
        int chainLength = chainEnd - chainStart;
        int n = chainLength + 1 + e - s;
        if (n > joined.length) {
            out.prefix = Text.utf8(b, chainStart, chainEnd) + " " + Text.utf8(b, s, e);
            out.verdict = config.verdictRules().verdictOf(out.prefix);
            return;
        }
        System.arraycopy(b, chainStart, joined, 0, chainLength);
        joined[chainLength] = ' ';
        System.arraycopy(b, s, joined, chainLength + 1, e - s);
        prefixes.prefix(joined, 0, n, config.verdictRules(), out);
    }

    /** Proxmox pvefw-logger re-rendering: {@code <vmid> <level> <chain> dd/Mon/yyyy:HH:MM:SS +zzzz }. */
    static final class Pvefw {
        private Pvefw() {
        }

        /** Returns where the verdict text starts (chain range in prefixStart/End), or -1. */
        static int header(byte[] b, int s, int e, ParsedLine out) {
            if (s >= e || !Text.isDigit(b[s])) {
                return -1;
            }
            int p = Text.tokenEnd(b, s, e);
            if (p >= e || Text.decimal(b, s, p) < 0) {
                return -1;
            }
            int levelStart = p + 1;
            int levelEnd = Text.tokenEnd(b, levelStart, e);
            if (levelEnd >= e || levelEnd - levelStart != 1 || !Text.isDigit(b[levelStart])) {
                return -1;
            }
            int chainStart = levelEnd + 1;
            int chainEnd = Text.tokenEnd(b, chainStart, e);
            int t = chainEnd + 1;
            // dd/Mon/yyyy:HH:MM:SS +zzzz
            if (chainEnd == chainStart || e - t < 27 || b[t + 2] != '/' || b[t + 6] != '/' || b[t + 11] != ':'
                    || b[t + 20] != ' ' || (b[t + 21] != '+' && b[t + 21] != '-') || b[t + 26] != ' ') {
                return -1;
            }
            long day = Text.decimal(b, t, t + 2);
            int month = Clock.month(b, t + 3);
            long year = Text.decimal(b, t + 7, t + 11);
            long hh = Text.decimal(b, t + 12, t + 14);
            long mm = Text.decimal(b, t + 15, t + 17);
            long ss = Text.decimal(b, t + 18, t + 20);
            long oh = Text.decimal(b, t + 22, t + 24);
            long om = Text.decimal(b, t + 24, t + 26);
            if (day < 1 || month < 0 || year < 0 || hh < 0 || mm < 0 || ss < 0 || oh < 0 || om < 0) {
                return -1;
            }
            int offset = (int) (oh * 3600 + om * 60) * (b[t + 21] == '-' ? -1 : 1);
            out.eventTimeMicros = Clock.withOffset(
                    Clock.localSeconds((int) year, month, (int) day, (int) hh, (int) mm, (int) ss), 0, offset);
            out.envelope = EnvelopeFormat.PVEFW_LOGGER;
            out.prefixStart = chainStart;
            out.prefixEnd = chainEnd;
            return t + 27;
        }
    }
}
