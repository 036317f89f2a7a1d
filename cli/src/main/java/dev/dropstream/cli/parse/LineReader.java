package dev.dropstream.cli.parse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits an {@link InputStream} into lines of raw bytes, without decoding them: a line is whatever lies
 * between two line feeds (a carriage return before the feed stays part of it; the parser ignores it). A
 * line longer than the limit is not held in memory: it is skimmed to its end and reported by
 * {@link #tooLong()}, so no input makes the reader grow past the limit.
 *
 * <pre>{@code
 * LineReader r = new LineReader(in, 1 << 20, out::flush);
 * while (r.next()) {
 *     if (!r.tooLong()) use(r.buf(), r.start(), r.length());
 * }
 * }</pre>
 */
final class LineReader {
    private static final int INITIAL_BUFFER = 64 * 1024;

    private final InputStream in;
    private final int maxLine;
    private final Runnable beforeBlocking;
    private byte[] buf;
    /** Start of the bytes not yet returned. */
    private int pos;
    /** End of the bytes read so far. */
    private int limit;
    private boolean eof;

    private int lineStart;
    private int lineLength;
    private boolean tooLong;

    /**
     * @param maxLine the longest line returned whole, in bytes without the line feed
     * @param beforeBlocking run before a read that would wait for more input (a pipe with nothing in it
     *     yet), so that output written so far can be flushed to whoever waits for it
     */
    LineReader(InputStream in, int maxLine, Runnable beforeBlocking) {
        this.in = in;
        this.maxLine = maxLine;
        this.beforeBlocking = beforeBlocking;
        this.buf = new byte[Math.min(INITIAL_BUFFER, maxLine + 1)];
    }

    /** Moves to the next line; false at the end of the input. */
    boolean next() throws IOException {
        tooLong = false;
        int scanned = pos;
        while (true) {
            for (int i = scanned; i < limit; i++) {
                if (buf[i] == '\n') {
                    return line(pos, i - pos, i + 1);
                }
            }
            scanned = limit;
            if (eof) {
                return pos < limit && line(pos, limit - pos, limit);
            }
            if (limit - pos > maxLine) {
                return skimLongLine();
            }
            scanned -= pos;
            makeRoom();
            scanned += pos;
            fill();
        }
    }

    /** The buffer holding the current line; valid until the next call to {@link #next()}. */
    byte[] buf() {
        return buf;
    }

    int start() {
        return lineStart;
    }

    /** The length of the current line without its line feed; for a {@link #tooLong()} line, how long it was. */
    int length() {
        return lineLength;
    }

    /** Whether the current line was longer than the limit and was skipped; its bytes are not available. */
    boolean tooLong() {
        return tooLong;
    }

    private boolean line(int start, int length, int nextPos) {
        lineStart = start;
        lineLength = length;
        pos = nextPos;
        return true;
    }

    /** Reads past the rest of an over-long line without keeping it. */
    private boolean skimLongLine() throws IOException {
        long length = limit - pos;
        pos = limit = 0;
        while (true) {
            fill();
            for (int i = 0; i < limit; i++) {
                if (buf[i] == '\n') {
                    length += i;
                    pos = i + 1;
                    return longLine(length);
                }
            }
            length += limit;
            pos = limit = 0;
            if (eof) {
                return longLine(length);
            }
        }
    }

    private boolean longLine(long length) {
        tooLong = true;
        lineStart = 0;
        lineLength = (int) Math.min(Integer.MAX_VALUE, length);
        return true;
    }

    /** Moves the unread bytes to the front, and grows the buffer (up to the limit) when they fill it. */
    private void makeRoom() {
        int unread = limit - pos;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, unread);
            pos = 0;
            limit = unread;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min((long) maxLine + 1, 2L * buf.length));
        }
    }

    private void fill() throws IOException {
        if (in.available() <= 0) {
            beforeBlocking.run();
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }
}
