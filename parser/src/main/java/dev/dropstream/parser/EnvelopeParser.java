package dev.dropstream.parser;

import dev.dropstream.schema.EnvelopeFormat;

/**
 * Splits the user-space envelope from the kernel record: RFC 3164 and journal short ({@code Mmm dd
 * HH:MM:SS host tag:}), RFC 3339 / rsyslog high precision, RFC 5424, {@code [ secs.usecs]} kernel time,
 * {@code dmesg -T}, raw {@code /dev/kmsg}, journald and shipper JSON, a bare {@code kernel:} tag, a
 * {@code file:} label as {@code grep -H} writes it, and bare records. Sets the envelope fields of the
 * {@link ParsedLine} and the body range ({@link #bodyBuf}, {@link #bodyStart}, {@link #bodyEnd}).
 */
final class EnvelopeParser {
    private static final byte[] KERNEL = Text.lit("kernel");
    private static final Text.Key KERNEL_COLON = Text.key("kernel:");

    private final Clock clock;
    private final JsonEnvelope json = new JsonEnvelope();

    /** Set by {@link #fraction}. */
    private int fractionMicros;

    byte[] bodyBuf;
    int bodyStart;
    int bodyEnd;

    EnvelopeParser(Clock clock) {
        this.clock = clock;
    }

    /** Returns false (with the error set on {@code line}) when the envelope is malformed. */
    boolean parse(byte[] b, int start, int end, ParsedLine line) {
        bodyBuf = b;
        bodyEnd = end;
        int p = start;
        if (p < end && b[p] == '{') {
            return parseJson(b, p, end, line);
        }
        int q = header(b, p, end, line);
        if (q == p && line.envelope == EnvelopeFormat.BARE) {
            // grep -H output: "path:<envelope>"; only taken when a real envelope follows the label.
            int colon = Text.indexOf(b, p, Math.min(end, p + 256), (byte) ':');
            if (colon > p && colon + 1 < end && b[colon + 1] != ' ') {
                int r = header(b, colon + 1, end, line);
                if (r != colon + 1) {
                    q = r;
                } else {
                    line.envelope = EnvelopeFormat.BARE;
                    line.hostStart = line.hostEnd = -1;
                    line.eventTimeMicros = ParsedLine.NO_TIME;
                }
            }
        }
        bodyStart = q;
        return true;
    }

    /** Parses any envelope at {@code p}; returns where the kernel message starts ({@code p} when none). */
    private int header(byte[] b, int p, int end, ParsedLine line) {
        line.envelope = EnvelopeFormat.BARE;
        if (p >= end) {
            return p;
        }
        byte c = b[p];
        int q = p;
        if (c == '<') {
            int close = Text.indexOf(b, p + 1, Math.min(end, p + 5), (byte) '>');
            if (close > p + 1 && Text.decimal(b, p + 1, close) >= 0) {
                q = close + 1;
                if (end - q > 2 && b[q] == '1' && b[q + 1] == ' ') {
                    return rfc5424(b, q + 2, end, line, p);
                }
                c = q < end ? b[q] : 0;
            }
        }
        int r;
        if (Text.isDigit(c)) {
            r = rfc3339(b, q, end, line);
            if (r >= 0) {
                return afterHost(b, r, end, line, EnvelopeFormat.RFC3339);
            }
            r = kmsg(b, q, end, line);
            if (r >= 0) {
                return r;
            }
            return p;
        }
        if (c == '[') {
            r = kernelTime(b, q, end, line);
            if (r >= 0) {
                line.envelope = EnvelopeFormat.KERNEL_TIME;
                return r;
            }
            r = dmesgT(b, q, end, line);
            if (r >= 0) {
                line.envelope = EnvelopeFormat.DMESG_T;
                return r;
            }
            return p;
        }
        r = rfc3164(b, q, end, line);
        if (r >= 0) {
            return afterHost(b, r, end, line, EnvelopeFormat.RFC3164);
        }
        if (Text.startsWith(b, q, end, KERNEL) && q + 6 < end && b[q + 6] == ':') {
            return afterTag(b, q + 7, end, line);
        }
        return p;
    }

    /** {@code Mmm dd HH:MM:SS } then the host; returns the host's start or -1. */
    private int rfc3164(byte[] b, int p, int end, ParsedLine line) {
        if (end - p < 16 || b[p + 3] != ' ') {
            return -1;
        }
        int month = Clock.month(b, p);
        if (month < 0) {
            return -1;
        }
        int d0 = b[p + 4];
        int d1 = b[p + 5];
        int day;
        if (d0 == ' ' && Text.isDigit((byte) d1)) {
            day = d1 - '0';
        } else if (Text.isDigit((byte) d0) && Text.isDigit((byte) d1)) {
            day = (d0 - '0') * 10 + d1 - '0';
        } else {
            return -1;
        }
        if (b[p + 6] != ' ') {
            return -1;
        }
        int t = p + 7;
        int hms = hms(b, t, end);
        if (hms < 0) {
            return -1;
        }
        int q = t + 8;
        int micros = 0;
        if (q < end && b[q] == '.') {
            // journalctl -o short-precise
            q = fraction(b, q + 1, end);
            micros = fractionMicros;
        }
        if (q >= end || b[q] != ' ' || day < 1 || day > 31) {
            return -1;
        }
        line.eventTimeMicros = clock.yearless(month, day, hms, micros);
        return q + 1;
    }

    /** {@code HH:MM:SS} at p as seconds of the day, or -1. */
    private static int hms(byte[] b, int p, int end) {
        if (end - p < 8 || b[p + 2] != ':' || b[p + 5] != ':') {
            return -1;
        }
        int h = twoDigits(b, p);
        int m = twoDigits(b, p + 3);
        int s = twoDigits(b, p + 6);
        if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 60) {
            return -1;
        }
        return h * 3600 + m * 60 + s;
    }

    /** The two decimal digits at {@code p} as a number, or -1. */
    private static int twoDigits(byte[] b, int p) {
        int d0 = b[p] - '0';
        int d1 = b[p + 1] - '0';
        // Negative exactly when a byte is not 0-9.
        if ((d0 | d1 | (9 - d0) | (9 - d1)) < 0) {
            return -1;
        }
        return d0 * 10 + d1;
    }

    private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    /**
     * Reads the fraction digits from {@code p}: sets {@link #fractionMicros} (the first six digits count)
     * and returns where the digits end. One pass, for the kernel stamp that nearly every line has.
     */
    private int fraction(byte[] b, int p, int end) {
        int n = Text.digitRun(b, p, end);
        int k = Math.min(n, 6);
        fractionMicros = k == 0 ? 0 : (int) Text.digitRunValue(b, p, k) * POW10[6 - k];
        return p + n;
    }

    /**
     * An RFC 3339 stamp ({@code 2025-11-30T00:00:20.570472-07:00}, {@code ...Z}, or zone-less) followed by a
     * space; sets the time and returns the position after the space, or -1.
     */
    private int rfc3339(byte[] b, int p, int end, ParsedLine line) {
        if (end - p < 20 || b[p + 4] != '-' || b[p + 7] != '-' || (b[p + 10] != 'T' && b[p + 10] != ' ')) {
            return -1;
        }
        long y = Text.decimal(b, p, p + 4);
        long mo = Text.decimal(b, p + 5, p + 7);
        long d = Text.decimal(b, p + 8, p + 10);
        int hms = hms(b, p + 11, end);
        if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || hms < 0) {
            return -1;
        }
        int q = p + 19;
        int micros = 0;
        if (q < end && (b[q] == '.' || b[q] == ',')) {
            q = fraction(b, q + 1, end);
            micros = fractionMicros;
        }
        long local = clock.localSeconds((int) y, (int) mo, (int) d, hms);
        if (q < end && (b[q] == 'Z' || b[q] == 'z')) {
            line.eventTimeMicros = Clock.withOffset(local, micros, 0);
            q++;
        } else if (q + 6 <= end && (b[q] == '+' || b[q] == '-') && b[q + 3] == ':') {
            long oh = Text.decimal(b, q + 1, q + 3);
            long om = Text.decimal(b, q + 4, q + 6);
            if (oh < 0 || om < 0) {
                return -1;
            }
            int off = (int) (oh * 3600 + om * 60) * (b[q] == '-' ? -1 : 1);
            line.eventTimeMicros = Clock.withOffset(local, micros, off);
            q += 6;
        } else {
            line.eventTimeMicros = clock.inZone(local, micros);
        }
        if (q >= end || b[q] != ' ') {
            return -1;
        }
        return q + 1;
    }

    /** After a stamp: the host, then the tag. */
    private int afterHost(byte[] b, int p, int end, ParsedLine line, EnvelopeFormat format) {
        int hostEnd = Text.tokenEnd(b, p, end);
        if (hostEnd == p || hostEnd >= end) {
            // A stamp and nothing else: no host, no message worth reading.
            line.envelope = format;
            return hostEnd;
        }
        line.hostStart = p;
        line.hostEnd = hostEnd;
        line.envelope = format;
        return tag(b, hostEnd + 1, end, line);
    }

    /**
     * The syslog tag ({@code kernel:}, {@code kernel[0]:}, a facility.level word before it as UniFi writes
     * it), then the message; a missing tag leaves the message at {@code p}.
     */
    private int tag(byte[] b, int p, int end, ParsedLine line) {
        if (Text.startsWith(b, p, end, KERNEL_COLON)) {
            // Nearly every line's tag: the general scan below would find the same.
            return afterTag(b, p + KERNEL_COLON.length(), end, line);
        }
        int q = p;
        for (int word = 0; word < 2 && q < end; word++) {
            int e = q;
            while (e < end && b[e] != ' ' && b[e] != ':' && b[e] != '=' && e - q < 64) {
                e++;
            }
            if (e < end && b[e] == ':' && e > q && isTagWord(b, q, e)) {
                return afterTag(b, e + 1, end, line);
            }
            if (e < end && b[e] == ' ' && word == 0 && isFacilityLevel(b, q, e)) {
                q = e + 1;
                continue;
            }
            break;
        }
        return p;
    }

    private static boolean isTagWord(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            byte c = b[i];
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || Text.isDigit(c)
                    || c == '_' || c == '-' || c == '.' || c == '/' || c == '[' || c == ']';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isFacilityLevel(byte[] b, int s, int e) {
        int dot = Text.indexOf(b, s, e, (byte) '.');
        if (dot <= s || dot >= e - 1) {
            return false;
        }
        for (int i = s; i < e; i++) {
            if (i != dot && (b[i] < 'a' || b[i] > 'z')) {
                return false;
            }
        }
        return true;
    }

    /** After {@code tag:}: an optional space, then an optional kernel stamp. */
    private int afterTag(byte[] b, int p, int end, ParsedLine line) {
        int q = p;
        if (q < end && b[q] == ' ') {
            q++;
        }
        if (q < end && b[q] == '[') {
            int r = kernelTime(b, q, end, line);
            if (r >= 0) {
                return r;
            }
        }
        return q;
    }

    /** {@code [ 123.456789] } (padding inside the bracket); sets the kernel time and returns the position after it. */
    private int kernelTime(byte[] b, int p, int end, ParsedLine line) {
        int q = p + 1;
        while (q < end && b[q] == ' ') {
            q++;
        }
        int s = q;
        int n = Text.digitRun(b, s, end);
        q = s + n;
        if (n == 0 || q >= end || b[q] != '.' || n > 18) {
            return -1;
        }
        long secs = Text.digitRunValue(b, s, n);
        int f = q + 1;
        q = fraction(b, f, end);
        if (q == f || q >= end || b[q] != ']') {
            return -1;
        }
        line.kernelTimeMicros = secs * Clock.MICROS_PER_SECOND + fractionMicros;
        q++;
        if (q < end && b[q] == ' ') {
            q++;
        }
        return q;
    }

    /** {@code [Thu Sep  2 19:40:54 2021] }, local time in the configured zone. */
    private int dmesgT(byte[] b, int p, int end, ParsedLine line) {
        if (end - p < 26 || b[p + 4] != ' ' || b[p + 8] != ' ') {
            return -1;
        }
        int month = Clock.month(b, p + 5);
        if (month < 0) {
            return -1;
        }
        int q = p + 9;
        int day;
        if (b[q] == ' ' && Text.isDigit(b[q + 1])) {
            day = b[q + 1] - '0';
        } else if (Text.isDigit(b[q]) && Text.isDigit(b[q + 1])) {
            day = (b[q] - '0') * 10 + b[q + 1] - '0';
        } else {
            return -1;
        }
        int hms = hms(b, q + 3, end);
        if (b[q + 2] != ' ' || hms < 0 || b[q + 11] != ' ') {
            return -1;
        }
        int y0 = q + 12;
        long year = y0 + 4 < end ? Text.decimal(b, y0, y0 + 4) : -1;
        if (year < 0 || b[y0 + 4] != ']') {
            return -1;
        }
        line.eventTimeMicros = clock.inZone(
                clock.localSeconds((int) year, month, day, hms), 0);
        int r = y0 + 5;
        return r < end && b[r] == ' ' ? r + 1 : r;
    }

    /** {@code PRIO,SEQ,USEC,FLAGS[,...];MESSAGE} as read from /dev/kmsg. */
    private static int kmsg(byte[] b, int p, int end, ParsedLine line) {
        int semi = Text.indexOf(b, p, Math.min(end, p + 64), (byte) ';');
        if (semi < 0) {
            return -1;
        }
        int c1 = Text.indexOf(b, p, semi, (byte) ',');
        int c2 = c1 < 0 ? -1 : Text.indexOf(b, c1 + 1, semi, (byte) ',');
        int c3 = c2 < 0 ? -1 : Text.indexOf(b, c2 + 1, semi, (byte) ',');
        if (c3 < 0 || Text.decimal(b, p, c1) < 0 || Text.decimal(b, c1 + 1, c2) < 0) {
            return -1;
        }
        long usec = Text.decimal(b, c2 + 1, c3);
        if (usec < 0) {
            return -1;
        }
        line.kernelTimeMicros = usec;
        line.envelope = EnvelopeFormat.KMSG;
        return semi + 1;
    }

    /** {@code <pri>1 TIMESTAMP HOST APP PROCID MSGID SD [BOM]MSG}. */
    private int rfc5424(byte[] b, int p, int end, ParsedLine line, int lineStart) {
        int q = p;
        if (q < end && b[q] == '-') {
            q += 2;
        } else {
            q = rfc3339(b, q, end, line);
            if (q < 0) {
                return lineStart;
            }
        }
        line.envelope = EnvelopeFormat.RFC5424;
        int hostEnd = Text.tokenEnd(b, q, end);
        if (!(hostEnd - q == 1 && b[q] == '-')) {
            line.hostStart = q;
            line.hostEnd = hostEnd;
        }
        q = hostEnd + 1;
        for (int i = 0; i < 3 && q < end; i++) {
            q = Text.tokenEnd(b, q, end) + 1;
        }
        // Structured data: "-" or one or more [id param="value" ...] with \] escapes inside values.
        if (q < end && b[q] == '-') {
            q += 2;
        } else {
            while (q < end && b[q] == '[') {
                boolean quoted = false;
                q++;
                while (q < end) {
                    byte c = b[q];
                    if (c == '\\' && quoted) {
                        q += 2;
                        continue;
                    }
                    if (c == '"') {
                        quoted = !quoted;
                    } else if (c == ']' && !quoted) {
                        break;
                    }
                    q++;
                }
                q++;
            }
            if (q < end && b[q] == ' ') {
                q++;
            }
        }
        if (end - q >= 3 && b[q] == (byte) 0xEF && b[q + 1] == (byte) 0xBB && b[q + 2] == (byte) 0xBF) {
            q += 3;
        }
        q = Math.min(q, end);
        if (q < end && b[q] == '[') {
            int r = kernelTime(b, q, end, line);
            if (r >= 0) {
                return r;
            }
        }
        return q;
    }

    private boolean parseJson(byte[] b, int p, int end, ParsedLine line) {
        if (!json.parse(b, p, end)) {
            line.error = ParseError.BAD_ENVELOPE;
            line.errorDetail = json.error;
            line.errorPosition = p;
            return false;
        }
        if (!json.hasMessage) {
            line.error = ParseError.BAD_ENVELOPE;
            line.errorDetail = "JSON envelope without a message or MESSAGE field";
            line.errorPosition = p;
            return false;
        }
        line.envelope = json.journald ? EnvelopeFormat.JOURNAL_JSON : EnvelopeFormat.OTHER;
        line.hostText = json.host;
        if (json.realtimeMicros >= 0) {
            line.eventTimeMicros = json.realtimeMicros;
        }
        if (json.monotonicMicros >= 0) {
            line.kernelTimeMicros = json.monotonicMicros;
        }
        byte[] msg = json.message();
        int len = json.messageLength;
        bodyBuf = msg;
        bodyEnd = len;
        // The message of a shipper's JSON may itself be a whole syslog line.
        line.buf = msg;
        EnvelopeFormat outer = line.envelope;
        String host = line.hostText;
        long time = line.eventTimeMicros;
        int q = header(msg, 0, len, line);
        if (line.envelope == EnvelopeFormat.BARE) {
            // rsyslog's msg property keeps the space that followed the tag.
            while (q < len && msg[q] == ' ') {
                q++;
            }
        }
        if (line.envelope == EnvelopeFormat.BARE || outer == EnvelopeFormat.JOURNAL_JSON) {
            line.envelope = outer;
        }
        if (line.hostStart >= 0 && host == null) {
            line.hostText = Text.utf8(msg, line.hostStart, line.hostEnd);
        } else {
            line.hostText = host;
        }
        line.hostStart = line.hostEnd = -1;
        if (time != ParsedLine.NO_TIME) {
            line.eventTimeMicros = time;
        }
        bodyStart = q;
        return true;
    }
}
