package dev.dropstream.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk spool for network messages that the memory buffer could not hold: append-only segment files
 * ({@code <20-digit sequence>.spool}) in one directory, bounded in total bytes, read back in order, and each
 * segment deleted once it has been read to its end and Kafka acknowledged every message in it. A segment is
 * fsynced when the next one is started and when the spool closes. Segments left by an earlier run are read
 * first; one holding messages Kafka had acknowledged sends them again (with the same line identity).
 *
 * <p>A record is {@code int length, int crc32, body}; the body is {@code flags, source, peer host, id} (each
 * string an unsigned 16-bit length and UTF-8) and then the message bytes. A record that fails its check (a
 * torn write after a crash) ends the reading of its segment: the rest is counted as one dropped message.
 * Thread-safe; a lock file keeps a second process out of the directory.
 */
final class Spool implements Closeable {
    static final String SUFFIX = ".spool";
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private static final int HEADER = 8;
    /** The first segment of an empty spool; the numbers below it are for memory spilled at shutdown. */
    private static final long FIRST_SEQUENCE = 1L << 32;

    /** One segment file and how far it has been read and acknowledged. */
    static final class Segment {
        final long sequence;
        final Path path;
        FileChannel channel;
        long size;
        boolean sealed;
        long readPosition;
        long handedOut;
        long acked;

        Segment(long sequence, Path path) {
            this.sequence = sequence;
            this.path = path;
        }
    }

    /** A message read from a segment and not yet taken; {@code next} is where the one after it starts. */
    record Entry(Segment segment, long next, NetMessage message) {
    }

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final Counters counters;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private long nextSequence = FIRST_SEQUENCE;
    private long totalBytes;
    private long unread;
    private Entry peeked;
    private Segment aheadOf;
    private long aheadAt;
    private ByteBuffer ahead = ByteBuffer.allocate(64 * 1024);

    private Spool(Path dir, long maxBytes, long segmentBytes, Counters counters, FileChannel lockChannel,
            FileLock lock) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.counters = counters;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens (creating) the spool in {@code dir} with segments of a sixteenth of the bound, 64 KiB to 16 MiB. */
    static Spool open(Path dir, long maxBytes, Counters counters) {
        return open(dir, maxBytes, Math.max(64 * 1024, Math.min(16L * 1024 * 1024, maxBytes / 16)), counters);
    }

    static Spool open(Path dir, long maxBytes, long segmentBytes, Counters counters) {
        FileChannel lockChannel = null;
        try {
            Files.createDirectories(dir);
            lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;   // held in this very process
            }
            if (lock == null) {
                throw new IllegalStateException("another dropstream ship uses the spool directory " + dir);
            }
            Spool s = new Spool(dir, maxBytes, segmentBytes, counters, lockChannel, lock);
            s.load();
            return s;
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw new UncheckedIOException("cannot use the spool directory " + dir + " (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            closeQuietly(lockChannel);
            throw e;
        }
    }

    private void load() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : ds) {
                if (f.getFileName().toString().matches("[0-9]{20}\\" + SUFFIX)) {
                    files.add(f);
                }
            }
        }
        files.sort(null);
        for (Path f : files) {
            String name = f.getFileName().toString();
            long size = Files.size(f);
            if (size == 0) {
                Files.delete(f);
                continue;
            }
            Segment seg = new Segment(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())), f);
            seg.size = size;
            seg.sealed = true;
            segments.addLast(seg);
            totalBytes += size;
            nextSequence = Math.max(nextSequence, seg.sequence + 1);
        }
        unread = totalBytes;
        counters.spoolBytes.set(totalBytes);
        if (!segments.isEmpty()) {
            LOG.info("the spool {} holds {} bytes from an earlier run; they are sent first", dir, totalBytes);
        }
    }

    /** Whether some message in the spool has not been read yet (new messages must then queue behind it). */
    synchronized boolean hasUnread() {
        return unread > 0;
    }

    /** Appends a message; false when the spool is full or cannot be written (the caller drops it). */
    synchronized boolean append(NetMessage m) {
        byte[] rec = encode(m);
        if (totalBytes + rec.length > maxBytes) {
            return false;
        }
        Segment head = segments.peekLast();
        try {
            if (head == null || head.sealed || head.size > 0 && head.size + rec.length > segmentBytes) {
                if (head != null && !head.sealed) {
                    seal(head);
                }
                head = create(nextSequence++);
                segments.addLast(head);
            }
            write(head, rec);
            return true;
        } catch (IOException e) {
            LOG.warn("cannot write to the spool {} ({}); the message is dropped", dir, e.toString());
            return false;
        }
    }

    /**
     * Writes messages held in memory at shutdown into a segment read before every other one (they are older
     * than anything spooled). Those that do not fit are counted as dropped.
     */
    synchronized void prepend(List<NetMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        long sequence = segments.isEmpty() ? nextSequence++ : segments.peekFirst().sequence - 1;
        int lost = 0;
        try {
            Segment seg = create(sequence);
            segments.addFirst(seg);
            for (NetMessage m : messages) {
                byte[] rec = encode(m);
                if (totalBytes + rec.length > maxBytes) {
                    lost++;
                } else {
                    write(seg, rec);
                }
            }
            seal(seg);
        } catch (IOException e) {
            LOG.warn("cannot write to the spool {} ({})", dir, e.toString());
        }
        peeked = null;
        if (lost > 0) {
            counters.dropped.add(lost);
            LOG.warn("the spool is full: {} messages held in memory at shutdown were dropped", lost);
        }
    }

    /** The oldest message not yet taken, or null; the same one until {@link #take} is called. */
    synchronized Entry peek() {
        while (peeked == null) {
            Segment s = firstUnread();
            if (s == null) {
                return null;
            }
            peeked = read(s);
        }
        return peeked;
    }

    /** The message of {@code e} (the last {@link #peek}) was handed to Kafka: move past it. */
    synchronized void take(Entry e) {
        Segment s = e.segment();
        unread -= e.next() - s.readPosition;
        s.readPosition = e.next();
        s.handedOut++;
        peeked = null;
        deleteIfDone(s);
    }

    /** Kafka acknowledged a message of {@code s}. */
    synchronized void acked(Segment s) {
        s.acked++;
        deleteIfDone(s);
    }

    private Segment firstUnread() {
        for (Segment s : segments) {
            if (s.readPosition < s.size) {
                return s;
            }
        }
        return null;
    }

    private Entry read(Segment s) {
        long at = s.readPosition;
        try {
            if (s.size - at >= HEADER && fill(s, at, HEADER)) {
                int p = (int) (at - aheadAt);
                int len = ahead.getInt(p);
                int crc = ahead.getInt(p + 4);
                if (len >= 7 && len <= s.size - at - HEADER && fill(s, at, HEADER + len)) {
                    p = (int) (at - aheadAt);
                    NetMessage m = decode(ahead.array(), p + HEADER, len, crc);
                    if (m != null) {
                        return new Entry(s, at + HEADER + len, m);
                    }
                }
            }
            LOG.warn("the spool segment {} is damaged at byte {}; its last {} bytes are skipped", s.path, at, s.size - at);
        } catch (IOException e) {
            LOG.warn("cannot read the spool segment {} ({}); its last {} bytes are skipped", s.path, e, s.size - at);
        }
        counters.dropped.increment();
        unread -= s.size - at;
        s.readPosition = s.size;
        deleteIfDone(s);
        return null;
    }

    /** Makes {@code ahead} hold {@code [at, at + n)} of the segment; false if the file is shorter. */
    private boolean fill(Segment s, long at, int n) throws IOException {
        if (aheadOf == s && at >= aheadAt && at + n <= aheadAt + ahead.limit()) {
            return true;
        }
        if (ahead.capacity() < n) {
            ahead = ByteBuffer.allocate(n);
        }
        if (s.channel == null) {
            s.channel = FileChannel.open(s.path, StandardOpenOption.READ);
        }
        ahead.clear();
        ahead.limit((int) Math.min(ahead.capacity(), s.size - at));
        aheadOf = s;
        aheadAt = at;
        while (ahead.hasRemaining()) {
            if (s.channel.read(ahead, at + ahead.position()) < 0) {
                break;
            }
        }
        ahead.limit(ahead.position());
        return ahead.limit() >= n;
    }

    private void deleteIfDone(Segment s) {
        if (s.readPosition < s.size || s.acked < s.handedOut || !segments.contains(s)) {
            return;
        }
        segments.remove(s);
        if (aheadOf == s) {
            aheadOf = null;
        }
        closeQuietly(s.channel);
        try {
            Files.deleteIfExists(s.path);
        } catch (IOException e) {
            LOG.warn("cannot delete the spool segment {} ({})", s.path, e.toString());
        }
        totalBytes -= s.size;
        counters.spoolBytes.set(totalBytes);
    }

    private Segment create(long sequence) throws IOException {
        Segment s = new Segment(sequence, dir.resolve(String.format("%020d", sequence) + SUFFIX));
        s.channel = FileChannel.open(s.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        return s;
    }

    private void write(Segment s, byte[] rec) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(rec);
        while (b.hasRemaining()) {
            s.channel.write(b, s.size + b.position());
        }
        s.size += rec.length;
        totalBytes += rec.length;
        unread += rec.length;
        counters.spoolBytes.set(totalBytes);
    }

    private static void seal(Segment s) throws IOException {
        s.channel.force(true);
        s.sealed = true;
    }

    static byte[] encode(NetMessage m) {
        byte[] source = utf8(m.source);
        byte[] host = utf8(m.peerHost);
        byte[] id = utf8(m.id);
        int body = 1 + 2 + source.length + 2 + host.length + 2 + id.length + m.bytes.length;
        ByteBuffer b = ByteBuffer.allocate(HEADER + body);
        b.putInt(body).putInt(0).put((byte) (m.cut ? 1 : 0));
        for (byte[] s : new byte[][] {source, host, id}) {
            b.putShort((short) s.length).put(s);
        }
        b.put(m.bytes);
        CRC32 crc = new CRC32();
        crc.update(b.array(), HEADER, body);
        b.putInt(4, (int) crc.getValue());
        return b.array();
    }

    /** The message in {@code b[off..off+len)}, or null if it fails its check. */
    private static NetMessage decode(byte[] b, int off, int len, int crc) {
        CRC32 c = new CRC32();
        c.update(b, off, len);
        if ((int) c.getValue() != crc) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(b, off, len);
        boolean cut = (in.get() & 1) != 0;
        String[] strings = new String[3];
        for (int i = 0; i < 3; i++) {
            int n = Short.toUnsignedInt(in.getShort());
            if (n > in.remaining()) {
                return null;
            }
            strings[i] = new String(b, in.position(), n, StandardCharsets.UTF_8);
            in.position(in.position() + n);
        }
        byte[] bytes = new byte[in.remaining()];
        in.get(bytes);
        return new NetMessage(bytes, strings[0], strings[1], strings[2], cut);
    }

    private static byte[] utf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length <= 0xffff ? b : java.util.Arrays.copyOf(b, 0xffff);
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            // Nothing more to lose.
        }
    }

    /** Fsyncs the segment being written and releases the directory. */
    @Override
    public synchronized void close() {
        for (Segment s : segments) {
            if (!s.sealed && s.channel != null) {
                try {
                    seal(s);
                } catch (IOException e) {
                    LOG.warn("cannot fsync the spool segment {} ({})", s.path, e.toString());
                }
            }
            closeQuietly(s.channel);
            s.channel = null;
        }
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel releases it too.
        }
        closeQuietly(lockChannel);
    }
}
