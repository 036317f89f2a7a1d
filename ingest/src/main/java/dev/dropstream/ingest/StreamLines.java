package dev.dropstream.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream (standard input, a decompressed rotation) into lines, cutting those longer than the limit
 * (flagged), and knows how far into the stream each line ends.
 */
final class StreamLines {
    private final InputStream in;
    private final int maxLine;
    private final Counters counters;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int limit;
    /** Stream offset of {@code buf[0]}. */
    private long bufferStart;
    private byte[] line = new byte[4096];
    private int length;
    private boolean cut;

    StreamLines(InputStream in, int maxLine, Counters counters) {
        this.in = in;
        this.maxLine = maxLine;
        this.counters = counters;
    }

    /** Reads the next line; false at the end of the stream. */
    boolean next() throws IOException {
        length = 0;
        cut = false;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                bufferStart += limit;
                limit = in.read(buf);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    return any;
                }
            }
            any = true;
            byte c = buf[pos++];
            if (c == '\n') {
                if (length > 0 && line[length - 1] == '\r') {
                    length--;
                }
                return true;
            }
            if (length < maxLine) {
                if (length == line.length) {
                    line = Arrays.copyOf(line, Math.min(maxLine, line.length * 2));
                }
                line[length++] = c;
            } else {
                cut = true;
                counters.cutBytes.increment();
            }
        }
    }

    /** Bytes of the stream consumed so far: the end of the line just read (past its newline). */
    long position() {
        return bufferStart + pos;
    }

    byte[] bytes() {
        return line;
    }

    int length() {
        return length;
    }

    boolean cut() {
        if (cut) {
            counters.cut.increment();
        }
        return cut;
    }
}
