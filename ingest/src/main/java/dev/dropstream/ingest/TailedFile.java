package dev.dropstream.ingest;

import dev.dropstream.parser.Bytes;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Future;

/**
 * One open file being followed: reads from the last position, splits lines at {@code \n}, hands each
 * complete line to the sink, and keeps the partial last line for the next read. A line longer than the
 * limit is cut there (and flagged); the rest of it up to its newline is skipped and counted. The position
 * only moves past a line the sink took, so a refused line is offered again later. Its checkpoint is the end
 * of the last line before which Kafka acknowledged everything, read by {@link Checkpoints} when it saves.
 */
final class TailedFile implements Closeable, Checkpoints.Tracked {
    private final Path path;
    private final FileChannel channel;
    private final FileIdentity identity;
    private final String source;
    private final String pathName;
    private final int maxLine;
    private final Checkpoints checkpoints;
    private final Counters counters;
    private final ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    private byte[] line;
    private int lineLength;
    /** The file offset where the line being assembled starts. */
    private long lineStart;
    /** Skipping the rest of a cut line until its newline. */
    private boolean discarding;
    /** Offset up to which the file has been read into {@link #line}. */
    private long readPosition;
    private final Receipts receipts;
    /** Lines read in this round, added to the counters once at its end. */
    private int readLines;
    private int fingerprintLength;
    /** {@code <dev>:<ino>:<fingerprint>:} of the line identities in UTF-8, until the fingerprint changes. */
    private byte[] idPrefix;
    private long fingerprint;

    private TailedFile(Path path, FileChannel channel, FileIdentity identity, long start, int maxLine,
            Checkpoints checkpoints, Counters counters) {
        this.path = path;
        this.channel = channel;
        this.identity = identity;
        this.source = "file:" + path;
        this.pathName = path.toString();
        this.maxLine = maxLine;
        this.checkpoints = checkpoints;
        this.counters = counters;
        this.line = new byte[Math.min(maxLine, 4096)];
        this.lineStart = start;
        this.readPosition = start;
        this.receipts = new Receipts(start, source, counters);
    }

    /** Opens a file at its checkpoint (when the checkpoint is of this very file) or at its start. */
    static TailedFile open(Path path, int maxLine, Checkpoints checkpoints, Counters counters) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            FileIdentity id = FileIdentity.of(path);
            long start = 0;
            Checkpoints.Position p = checkpoints.get(id);
            if (p != null && p.offset() <= ch.size()
                    && FileIdentity.fingerprint(ch, p.fingerprintLength()) == p.fingerprint()) {
                start = p.offset();
            }
            TailedFile f = new TailedFile(path, ch, id, start, maxLine, checkpoints, counters);
            f.refreshFingerprint();
            checkpoints.track(id, f);
            return f;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    FileIdentity identity() {
        return identity;
    }

    Path path() {
        return path;
    }

    /** Bytes in the file not yet read. */
    long behind() throws IOException {
        return Math.max(0, channel.size() - readPosition);
    }

    /**
     * Reads what is there and offers each complete line; stops early when the sink refuses one. Returns false
     * in that case (back off), true when the file was read to its current end.
     */
    boolean readAvailable(LineSink sink) throws IOException {
        try {
            return read(sink);
        } finally {
            counters.read.add(readLines);
            readLines = 0;
        }
    }

    private boolean read(LineSink sink) throws IOException {
        long size = channel.size();
        if (size < readPosition) {
            // copytruncate: the file was cut back; what is written now starts at 0.
            restartAt(0);
        }
        while (true) {
            chunk.clear();
            int n = channel.read(chunk, readPosition);
            if (n <= 0) {
                return true;
            }
            byte[] b = chunk.array();
            int i = 0;
            while (i < n) {
                int nl = Bytes.indexOf(b, i, n, (byte) '\n');
                int end = nl < 0 ? n : nl;
                if (nl >= 0 && lineLength == 0 && !discarding && nl - i <= maxLine) {
                    // The whole line is in this chunk: offered from here, without assembling it first.
                    long lineEnd = readPosition + (nl - i) + 1;
                    if (!emit(sink, b, i, nl - i, lineEnd)) {
                        readPosition = lineStart;
                        return false;
                    }
                    readPosition = lineEnd;
                    lineStart = lineEnd;
                    i = nl + 1;
                    continue;
                }
                append(b, i, end - i);
                if (nl < 0) {
                    readPosition += n - i;
                    i = n;
                    break;
                }
                long lineEnd = readPosition + (nl - i) + 1;
                if (!emit(sink, line, 0, lineLength, lineEnd)) {
                    // Not taken: forget the assembled bytes and read the line again next time.
                    lineLength = 0;
                    discarding = false;
                    readPosition = lineStart;
                    return false;
                }
                readPosition = lineEnd;
                lineStart = lineEnd;
                i = nl + 1;
            }
        }
    }

    private void append(byte[] b, int off, int len) {
        if (discarding) {
            counters.cutBytes.add(len);
            return;
        }
        int room = maxLine - lineLength;
        int take = Math.min(room, len);
        if (lineLength + take > line.length) {
            line = Arrays.copyOf(line, Math.min(maxLine, Math.max(line.length * 2, lineLength + take)));
        }
        System.arraycopy(b, off, line, lineLength, take);
        lineLength += take;
        if (take < len) {
            discarding = true;
            counters.cutBytes.add(len - take);
        }
    }

    /** Offers the line {@code bytes[off..off+len)} (its newline not included), which ends at {@code lineEnd}. */
    private boolean emit(LineSink sink, byte[] bytes, int off, int len, long lineEnd) throws IOException {
        if (len > 0 && bytes[off + len - 1] == '\r') {
            len--;
        }
        boolean cut = discarding;
        if (idPrefix == null) {
            idPrefix = (identity.key() + ":" + Long.toHexString(fingerprint) + ":").getBytes(StandardCharsets.UTF_8);
        }
        Future<?> receipt = sink.submit(bytes, off, len, source, lineId(lineStart), cut);
        if (receipt == null) {
            return false;
        }
        receipts.add(sink, receipt, lineEnd);
        readLines++;
        if (cut) {
            counters.cut.increment();
        }
        lineLength = 0;
        discarding = false;
        if (fingerprintLength < FileIdentity.FINGERPRINT_BYTES && lineEnd > fingerprintLength) {
            refreshFingerprint();
        }
        return true;
    }

    /** {@code <dev>:<ino>:<fingerprint>:<offset>} in UTF-8, written without a string in between. */
    private byte[] lineId(long offset) {
        int digits = 1;
        for (long v = offset; v >= 10; v /= 10) {
            digits++;
        }
        byte[] id = Arrays.copyOf(idPrefix, idPrefix.length + digits);
        long v = offset;
        for (int i = id.length - 1; i >= idPrefix.length; i--) {
            id[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return id;
    }

    @Override
    public Checkpoints.Position position() {
        return new Checkpoints.Position(fingerprintLength, fingerprint, receipts.position(), pathName);
    }

    /** {@link Receipts#await}. */
    int awaitAnswers(long deadlineMillis) throws InterruptedException {
        return receipts.await(deadlineMillis);
    }

    @Override
    public boolean settled() {
        return !channel.isOpen() && receipts.inFlight() == 0;
    }

    private void restartAt(long offset) throws IOException {
        lineLength = 0;
        discarding = false;
        readPosition = offset;
        lineStart = offset;
        counters.truncations.increment();
        refreshFingerprint();
    }

    /** The fingerprint covers the first bytes as they are now (a young file grows into its fingerprint). */
    private void refreshFingerprint() throws IOException {
        idPrefix = null;
        fingerprintLength = (int) Math.min(FileIdentity.FINGERPRINT_BYTES, channel.size());
        fingerprint = FileIdentity.fingerprint(channel, fingerprintLength);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
