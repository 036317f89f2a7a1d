package dev.dropstream.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the kernel's ring buffer from {@code /dev/kmsg}. Each {@code read()} of that device returns one record,
 * {@code PRIO,SEQ,USEC,FLAGS;MESSAGE}, possibly followed by continuation lines ({@code " SUBSYSTEM=acpi"}, the
 * record's dictionary) that start with a space: the record line is sent as it is, the continuation lines are
 * dropped. The key is this machine's host name, {@value KafkaLineSink#LINE} is {@code kmsg:<boot id>:<seq>}.
 *
 * <p>The checkpoint ({@code <boot id>\t<seq>}) is the last sequence number that it and every record before it Kafka
 * acknowledged. After a restart in the same boot the records up to it are skipped (they are still in the ring
 * buffer: the device always starts at its oldest record, and Java cannot seek it); after a reboot, or the first
 * time, the whole ring buffer is sent. Records the kernel overwrote before they were read show as a gap in the
 * sequence numbers (the read in between fails with {@code EPIPE}) and are counted in {@code kmsgLost}.
 *
 * <p>The reader blocks in {@code read()} in its own thread; {@link #stop()} closes the channel, which wakes it.
 */
final class KmsgSource implements KernelSource {
    static final Path DEVICE = Path.of("/dev/kmsg");
    static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    static final String SOURCE = "kmsg";
    private static final Logger LOG = LoggerFactory.getLogger(KmsgSource.class);
    /** A formatted record with its dictionary is at most 8 KiB (the kernel's CONSOLE_EXT_LOG_MAX). */
    private static final int RECORD_MAX = 16 * 1024;

    /** An open /dev/kmsg: one record per read. */
    interface Device extends Closeable {
        /** Reads one record into {@code b}; -1 at the end (only stand-in devices end); EPIPE as an IOException. */
        int read(byte[] b) throws IOException;
    }

    /** Opens the device. */
    interface Opener {
        Device open() throws IOException;
    }

    private final Opener opener;
    private final String bootId;
    private final Path checkpointFile;
    private final String host;
    private final int maxLine;
    private final Counters counters;
    private final Acks acks;
    private final byte[] buf = new byte[RECORD_MAX];
    private volatile boolean running = true;
    private Device device;
    /** The last record sent, or skipped as sent before; -1: none yet. */
    private long last;
    /** Whether a gap after {@link #last} is a loss (false until the first record of a first run). */
    private boolean counting;
    private long saved;

    KmsgSource(Opener opener, String bootId, Path checkpointFile, String host, int maxLine, Counters counters) {
        this.opener = opener;
        this.bootId = bootId;
        this.checkpointFile = checkpointFile;
        this.host = host;
        this.maxLine = maxLine;
        this.counters = counters;
        long start = -1;
        String[] c = readCheckpoint(checkpointFile);
        if (c == null) {
            LOG.info("/dev/kmsg: no checkpoint; sending the whole ring buffer");
        } else if (c[0].equals(bootId)) {
            start = Long.parseLong(c[1]);
            counting = true;
            LOG.info("/dev/kmsg: resuming after record {} of this boot", start);
        } else {
            counting = true;
            LOG.info("/dev/kmsg: the checkpoint is of another boot ({}); sending the whole ring buffer", c[0]);
        }
        this.last = start;
        this.saved = start;
        this.acks = new Acks(start);
    }

    /** The source for this machine; an {@link IllegalStateException} with one sentence where it cannot read it. */
    static KmsgSource open(Path checkpointFile, String host, int maxLine, Counters counters) {
        requireReadable();
        String bootId;
        try {
            bootId = Files.readString(BOOT_ID, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new IllegalStateException("--kmsg needs the boot id in " + BOOT_ID + ", which cannot be read (" + e + ")", e);
        }
        return new KmsgSource(KmsgSource::openDevice, bootId, checkpointFile, host, maxLine, counters);
    }

    /** Throws an {@link IllegalStateException} with one sentence where /dev/kmsg cannot be opened for reading. */
    static void requireReadable() {
        try {
            openDevice().close();
        } catch (IOException e) {
            String why = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof NoSuchFileException ? "there is no such device" : e.getMessage();
            throw new IllegalStateException("--kmsg cannot read " + DEVICE + " (" + why + "): it takes root or "
                    + "CAP_SYSLOG, and a container may not see the kernel log at all", e);
        }
    }

    private static Device openDevice() throws IOException {
        FileChannel ch = FileChannel.open(DEVICE, StandardOpenOption.READ);
        return new Device() {
            @Override
            public int read(byte[] b) throws IOException {
                // One read(2) of the whole buffer: one record. A FileChannel (unlike a FileInputStream) is woken
                // by close() from another thread, which is how stop() ends a read blocked at the buffer's end.
                return ch.read(ByteBuffer.wrap(b));
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    @Override
    public String name() {
        return SOURCE;
    }

    @Override
    public void run(LineSink sink) throws InterruptedException {
        long backoff = 1000;
        while (running) {
            Device d;
            try {
                d = openOrNull();
            } catch (IOException e) {
                LOG.warn("cannot open {} ({}); trying again in {} ms", DEVICE, e.toString(), backoff);
                Thread.sleep(backoff);
                backoff = Math.min(30_000, backoff * 2);
                continue;
            }
            if (d == null) {
                return;
            }
            long opened = System.nanoTime();
            try {
                if (!readAll(d, sink)) {
                    return;
                }
            } catch (IOException e) {
                if (!running) {
                    return;
                }
                if (System.nanoTime() - opened > 60_000_000_000L) {
                    backoff = 1000; // it worked for a while: a new failure, not the same one again
                }
                LOG.warn("reading {} failed ({}); opening it again in {} ms", DEVICE, e.toString(), backoff);
                Thread.sleep(backoff);
                backoff = Math.min(30_000, backoff * 2);
            } finally {
                closeDevice(d);
            }
        }
    }

    /** Reads records until stopped (true) or the device's end (false). */
    private boolean readAll(Device d, LineSink sink) throws IOException, InterruptedException {
        while (running) {
            int n;
            try {
                n = d.read(buf);
            } catch (IOException e) {
                if (running && isBrokenPipe(e)) {
                    // The kernel overwrote the record this reader was at and moved it to the oldest one left; the
                    // gap in sequence numbers at the next record says how many were lost.
                    LOG.warn("/dev/kmsg: records were overwritten in the ring buffer before they were read");
                    continue;
                }
                throw e;
            }
            if (n < 0) {
                return false;
            }
            records(buf, n, sink);
        }
        return true;
    }

    /** Sends the records in {@code b[0..n)}: normally one record and its continuation lines. */
    private void records(byte[] b, int n, LineSink sink) throws InterruptedException {
        int p = 0;
        while (p < n && running) {
            int nl = indexOf(b, p, n, (byte) '\n');
            int end = nl < 0 ? n : nl;
            if (end > p && b[p] != ' ') {
                record(b, p, end - p, sink);
            }
            p = end + 1;
        }
    }

    private void record(byte[] b, int off, int len, LineSink sink) throws InterruptedException {
        long seq = seq(b, off, len);
        if (seq < 0) {
            LOG.warn("/dev/kmsg: not a record, sent without a sequence number: {}",
                    new String(b, off, Math.min(len, 200), StandardCharsets.UTF_8));
            send(sink, b, off, len, null, () -> { });
            return;
        }
        if (seq <= last) {
            return; // sent before the restart (acknowledged: the checkpoint), or before the device was reopened
        }
        if (counting && seq > last + 1) {
            long lost = seq - last - 1;
            counters.kmsgLost.add(lost);
            LOG.warn("/dev/kmsg: {} records ({} to {}) were overwritten in the ring buffer before they were read",
                    lost, last + 1, seq - 1);
        }
        counting = true;
        Acks.Pending pending = new Acks.Pending(seq);
        if (send(sink, b, off, len, "kmsg:" + bootId + ":" + seq, () -> acks.acked(pending))) {
            acks.sent(pending);
            last = seq;
        }
    }

    /** Offers the record until the sink takes it (true) or the source is stopped (false). */
    private boolean send(LineSink sink, byte[] b, int off, int len, String id, Runnable onAck)
            throws InterruptedException {
        boolean cut = len > maxLine;
        long wait = 50;
        while (!sink.offer(host, b, off, Math.min(len, maxLine), SOURCE, id, cut, onAck)) {
            if (!running) {
                return false; // not sent: after the checkpoint, so the next run sends it
            }
            Thread.sleep(wait);
            wait = Math.min(1000, wait * 2);
        }
        counters.read.increment();
        if (cut) {
            counters.cut.increment();
            counters.cutBytes.add(len - maxLine);
        }
        return true;
    }

    /** The {@code SEQ} of {@code PRIO,SEQ,USEC,FLAGS[,...];MESSAGE}, or -1 when the line is not such a record. */
    static long seq(byte[] b, int off, int len) {
        int end = off + len;
        int p = off;
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            p++;
        }
        if (p == off || p >= end || b[p] != ',') {
            return -1;
        }
        int s = ++p;
        long seq = 0;
        while (p < end && b[p] >= '0' && b[p] <= '9' && p - s < 19) {
            seq = seq * 10 + (b[p++] - '0');
        }
        if (p == s || p >= end || b[p] != ',' || indexOf(b, p, end, (byte) ';') < 0) {
            return -1;
        }
        return seq;
    }

    static boolean isBrokenPipe(IOException e) {
        return e.getMessage() != null && e.getMessage().contains("Broken pipe");
    }

    private synchronized Device openOrNull() throws IOException {
        if (!running) {
            return null;
        }
        device = opener.open();
        return device;
    }

    private synchronized void closeDevice(Device d) {
        try {
            d.close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", DEVICE, e.toString());
        }
        if (device == d) {
            device = null;
        }
    }

    @Override
    public void stop() {
        running = false;
        synchronized (this) {
            if (device != null) {
                try {
                    device.close(); // wakes a read blocked at the end of the ring buffer
                } catch (IOException e) {
                    LOG.debug("closing {}: {}", DEVICE, e.toString());
                }
            }
        }
    }

    @Override
    public synchronized void save() throws IOException {
        long pos = acks.position();
        if (pos == saved || checkpointFile == null) {
            return;
        }
        AtomicFile.write(checkpointFile, bootId + "\t" + pos + "\n");
        saved = pos;
    }

    /** {@code [boot id, seq]} from the checkpoint file, or null when there is none (or it is damaged). */
    private static String[] readCheckpoint(Path file) {
        if (file == null || !Files.exists(file)) {
            return null;
        }
        try {
            String[] f = Files.readString(file, StandardCharsets.UTF_8).strip().split("\t");
            if (f.length == 2 && !f[0].isEmpty()) {
                Long.parseLong(f[1]);
                return f;
            }
        } catch (IOException | NumberFormatException e) {
            // damaged: as if there were none
        }
        LOG.warn("/dev/kmsg: the checkpoint {} is damaged; ignoring it", file);
        return null;
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
