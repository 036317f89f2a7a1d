package dev.dropstream.ingest;

import java.util.Arrays;

/**
 * Splits one TCP syslog stream into messages, RFC 6587: each frame is either octet-counted ({@code <len> <msg>},
 * recognised by a leading digit followed by digits and a space) or ends at a newline (LF, with a CR before it
 * dropped; NUL ends a frame too, as some senders use it). The framing is decided frame by frame, so a stream
 * may mix both. Empty frames are skipped.
 *
 * <p>A message longer than the line limit keeps its first bytes and is flagged cut; the rest is skipped (counted
 * in {@link Counters#cutBytes}). A count too large to be one ({@value #MAX_OCTET_COUNT} bytes or more) is a bad
 * frame: the bytes up to the next newline are skipped and counted in {@link Counters#badFrames}. No input makes
 * it throw. A frame starting with digits that are not followed by a space (an RFC 3339 stamp without a
 * {@code <pri>}) is newline-framed.
 */
final class SyslogFramer {
    /** Receives each message; {@code bytes[off..off+len)} is only valid during the call. */
    interface Messages {
        void message(byte[] bytes, int off, int len, boolean cut);
    }

    /** Counts this large are taken for garbage rather than a frame to wait for. */
    static final long MAX_OCTET_COUNT = 64L * 1024 * 1024;

    private enum State { START, COUNT, OCTETS, LINE, SKIP }

    private final int maxLine;
    private final Counters counters;
    private State state = State.START;
    private byte[] buf;
    private int length;
    private boolean cut;
    /** The count being read (COUNT), or the octets of the frame still to come (OCTETS). */
    private long count;

    SyslogFramer(int maxLine, Counters counters) {
        this.maxLine = maxLine;
        this.counters = counters;
        this.buf = new byte[Math.min(maxLine, 1024)];
    }

    /** Feeds the next bytes of the stream; every message they complete goes to {@code out}. */
    void feed(byte[] b, int off, int len, Messages out) {
        int i = off;
        int end = off + len;
        while (i < end) {
            switch (state) {
                case START -> i = start(b, i);
                case COUNT -> i = count(b, i, end);
                case OCTETS -> i = octets(b, i, end, out);
                case LINE -> i = line(b, i, end, out);
                case SKIP -> i = skip(b, i, end);
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    /** The stream ended: a last frame without its newline is a message; a short octet frame is one, flagged cut. */
    void end(Messages out) {
        if (state == State.OCTETS) {
            cut = true;
            emit(out);
        } else if (state == State.LINE || state == State.COUNT) {
            emit(out);
        }
        reset();
    }

    private int start(byte[] b, int i) {
        byte c = b[i];
        if (c == '\n' || c == '\r' || c == 0) {
            return i + 1;
        }
        state = c >= '1' && c <= '9' ? State.COUNT : State.LINE;
        count = 0;
        return i;
    }

    private int count(byte[] b, int i, int end) {
        int p = i;
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            count = Math.min(MAX_OCTET_COUNT, count * 10 + (b[p] - '0'));
            p++;
        }
        // The digits may still be the start of a newline-framed message: keep them until that is decided.
        append(b, i, p - i);
        if (p == end) {
            return p;
        }
        if (b[p] != ' ') {
            state = State.LINE;
            return p;
        }
        length = 0;
        cut = false;
        if (count >= MAX_OCTET_COUNT) {
            counters.badFrames.increment();
            state = State.SKIP;
        } else {
            state = State.OCTETS;
        }
        return p + 1;
    }

    private int octets(byte[] b, int i, int end, Messages out) {
        int take = (int) Math.min(count, end - i);
        append(b, i, take);
        count -= take;
        if (count == 0) {
            emit(out);
            reset();
        }
        return i + take;
    }

    private int line(byte[] b, int i, int end, Messages out) {
        int p = i;
        while (p < end && b[p] != '\n' && b[p] != 0) {
            p++;
        }
        append(b, i, p - i);
        if (p == end) {
            return p;
        }
        emit(out);
        reset();
        return p + 1;
    }

    private int skip(byte[] b, int i, int end) {
        int p = i;
        while (p < end && b[p] != '\n') {
            p++;
        }
        if (p == end) {
            return p;
        }
        reset();
        return p + 1;
    }

    private void append(byte[] b, int off, int len) {
        int take = Math.min(len, maxLine - length);
        if (length + take > buf.length) {
            buf = Arrays.copyOf(buf, Math.min(maxLine, Math.max(buf.length * 2, length + take)));
        }
        System.arraycopy(b, off, buf, length, take);
        length += take;
        if (take < len) {
            cut = true;
            counters.cutBytes.add(len - take);
        }
    }

    private void emit(Messages out) {
        int len = length;
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == 0)) {
            len--;
        }
        if (len == 0 && !cut) {
            return;
        }
        if (cut) {
            counters.cut.increment();
        }
        out.message(buf, 0, len, cut);
    }

    private void reset() {
        state = State.START;
        length = 0;
        cut = false;
        count = 0;
        if (buf.length > 64 * 1024) {
            // One huge message should not pin its buffer for the life of the connection.
            buf = new byte[Math.min(maxLine, 1024)];
        }
    }
}
