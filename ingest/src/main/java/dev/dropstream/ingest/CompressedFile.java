package dev.dropstream.ingest;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gzip-compressed rotation ({@code kern.log.2.gz}) read once, decompressed, line by line ({@link StreamLines}),
 * into the sink. Its checkpoint is kept under its own identity (device, inode, fingerprint of the compressed bytes)
 * with the offset in the decompressed stream; once Kafka acknowledged its last line the offset becomes
 * {@link #DONE}, so a restart does not open it again. A restart before that decompresses it again and skips the
 * lines before the checkpoint. A damaged or truncated file gives every complete line before the damage, one
 * warning, and counts as done.
 */
final class CompressedFile implements Closeable, Checkpoints.Tracked {
    /** The checkpoint offset of a file read to its end and acknowledged. */
    static final long DONE = Long.MAX_VALUE;
    private static final Logger LOG = LoggerFactory.getLogger(CompressedFile.class);

    private final Path path;
    private final FileChannel channel;
    private final int fingerprintLength;
    private final long fingerprint;
    private final String source;
    private final String pathName;
    private final String idPrefix;
    private final StreamLines lines;
    private final Checkpoints checkpoints;
    private final Counters counters;
    private final Acks acks;
    /** Lines that end at or before this offset were acknowledged in an earlier run. */
    private final long skipUntil;
    /** A line was read but the sink has not taken it yet: offer it again before reading on. */
    private boolean held;
    private long heldStart;
    private boolean heldCut;
    private boolean finished;

    private CompressedFile(Path path, FileChannel channel, FileIdentity identity, int fingerprintLength,
            long fingerprint, long skipUntil, int maxLine, Checkpoints checkpoints, Counters counters) throws IOException {
        this.path = path;
        this.channel = channel;
        this.fingerprintLength = fingerprintLength;
        this.fingerprint = fingerprint;
        this.source = "file:" + path;
        this.pathName = path.toString();
        this.idPrefix = identity.key() + ":" + Long.toHexString(fingerprint) + ":";
        this.checkpoints = checkpoints;
        this.counters = counters;
        this.skipUntil = skipUntil;
        this.acks = new Acks(skipUntil);
        InputStream in = Channels.newInputStream(channel);
        this.lines = new StreamLines(new GZIPInputStream(in, 64 * 1024), maxLine, counters);
    }

    /**
     * Opens {@code path} where its checkpoint says, or returns null when its checkpoint says it was shipped whole.
     * A file too damaged to have a gzip header is read as one with no lines (the warning comes from the read).
     */
    static CompressedFile open(Path path, int maxLine, Checkpoints checkpoints, Counters counters) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            FileIdentity id = FileIdentity.of(path);
            int length = (int) Math.min(FileIdentity.FINGERPRINT_BYTES, ch.size());
            long fp = FileIdentity.fingerprint(ch, length);
            Checkpoints.Position p = checkpoints.get(id);
            long start = p != null && p.fingerprintLength() == length && p.fingerprint() == fp ? p.offset()
                    : shippedUncompressed(path, checkpoints);
            if (start == DONE) {
                ch.close();
                return null;
            }
            try {
                CompressedFile f = new CompressedFile(path, ch, id, length, fp, start, maxLine, checkpoints, counters);
                checkpoints.track(id, f);
                return f;
            } catch (ZipException | EOFException e) {
                // Not even a gzip header: nothing to ship; said once, and remembered as done.
                LOG.warn("{} is not a readable gzip file ({}); nothing of it is shipped", path, e.getMessage());
                checkpoints.put(id, new Checkpoints.Position(length, fp, DONE, path.toString()));
                ch.close();
                return null;
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Where a file with the same content was shipped to before it was compressed (logrotate's delaycompress:
     * {@code kern.log.1}, followed, becomes {@code kern.log.2.gz}): the acknowledged offset of the checkpoint whose
     * fingerprint matches the first decompressed bytes, else 0. Only what was not acknowledged then is sent.
     */
    private static long shippedUncompressed(Path path, Checkpoints checkpoints) throws IOException {
        byte[] head;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path))) {
            head = in.readNBytes(FileIdentity.FINGERPRINT_BYTES);
        } catch (ZipException | EOFException e) {
            return 0;
        }
        long best = 0;
        for (Checkpoints.Position p : checkpoints.all()) {
            int n = p.fingerprintLength();
            if (n > 0 && n <= head.length && p.offset() != DONE && FileIdentity.fingerprint(head, n) == p.fingerprint()) {
                best = Math.max(best, p.offset());
            }
        }
        return best;
    }

    Path path() {
        return path;
    }

    /** Compressed bytes not read yet (the decompressor reads ahead, so this is close, not exact). */
    long behind() throws IOException {
        return finished ? 0 : Math.max(0, channel.size() - channel.position());
    }

    /**
     * Offers the lines from where it stopped; false when the sink refused one (back off and call again), true when
     * the file was read to its end or to its damage.
     */
    boolean readAvailable(LineSink sink) throws IOException {
        if (finished) {
            return true;
        }
        while (true) {
            if (!held) {
                heldStart = lines.position();
                try {
                    if (!lines.next()) {
                        finish();
                        return true;
                    }
                } catch (IOException e) {
                    LOG.warn("{} is damaged after {} bytes of decompressed content ({}); the complete lines before that were "
                            + "shipped, the rest of the file is skipped", path, lines.position(), e.getMessage());
                    finish();
                    return true;
                }
                held = lines.position() > skipUntil;
                if (!held) {
                    continue;
                }
                heldCut = lines.cut();
            }
            Acks.Pending pending = new Acks.Pending(lines.position());
            if (!sink.offer(lines.bytes(), 0, lines.length(), source, idPrefix + heldStart, heldCut,
                    () -> acked(pending))) {
                return false;
            }
            held = false;
            if (acks.sent(pending)) {
                checkpoints.changed();
            }
            counters.read.increment();
        }
    }

    /** The end is reached: once every line before it is acknowledged the checkpoint says done. */
    private void finish() throws IOException {
        finished = true;
        Acks.Pending end = new Acks.Pending(DONE);
        acks.sent(end);
        acked(end);
        close();
    }

    private void acked(Acks.Pending pending) {
        acks.acked(pending);
        checkpoints.changed();
    }

    @Override
    public Checkpoints.Position position() {
        return new Checkpoints.Position(fingerprintLength, fingerprint, acks.position(), pathName);
    }

    @Override
    public boolean settled() {
        return !channel.isOpen() && acks.inFlight() == 0;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
