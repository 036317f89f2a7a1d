package dev.dropstream.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gzip-compressed rotations ({@code *.gz}) the paths and globs name. Without {@code --read-compressed} they are
 * skipped (said once). With it each is read once, oldest first ({@link CompressedFile}), before the followed files'
 * lines, which are newer; a file the compressor may still be writing (changed in the last {@link #SETTLE_MILLIS})
 * waits.
 */
final class CompressedRotations implements AutoCloseable {
    /** A compressed file unchanged for this long is complete: logrotate's gzip writes it as it compresses. */
    static final long SETTLE_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(CompressedRotations.class);
    /** {@code kern.log.2.gz}: the rotation number, higher is older. */
    private static final Pattern NUMBERED = Pattern.compile(".*\\.(\\d+)\\.gz");

    private final boolean read;
    private final int maxLine;
    private final Checkpoints checkpoints;
    private final Counters counters;
    /** Files shipped whole (or found so in their checkpoints), by device, inode, size and modification time. */
    private final Set<String> shipped = new HashSet<>();
    private CompressedFile current;
    /** {@link #shipped}'s key of {@link #current}. */
    private String currentKey;
    private long waitingBytes;
    private boolean toldSkipping;

    CompressedRotations(boolean read, int maxLine, Checkpoints checkpoints, Counters counters) {
        this.read = read;
        this.maxLine = maxLine;
        this.checkpoints = checkpoints;
        this.counters = counters;
    }

    static boolean isCompressed(Path p) {
        return p.getFileName() != null && p.getFileName().toString().endsWith(".gz");
    }

    /**
     * Reads the compressed files among {@code named} that were not shipped yet, oldest first, each to its end.
     * Returns false when the sink refused a line (back off; the same line is offered next time), true otherwise.
     */
    boolean poll(List<Path> named, LineSink sink) throws IOException {
        waitingBytes = 0;
        if (named.isEmpty() && current == null) {
            return true;
        }
        if (!read) {
            if (!toldSkipping) {
                toldSkipping = true;
                LOG.info("not reading compressed rotations such as {}: they are read only with --read-compressed",
                        named.get(0));
            }
            return true;
        }
        if (current != null && !readCurrent(sink)) {
            return false;
        }
        long settledBefore = System.currentTimeMillis() - SETTLE_MILLIS;
        for (Path p : oldestFirst(named)) {
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class);
            } catch (NoSuchFileException e) {
                continue;
            }
            String key = a.fileKey() + ":" + a.size() + ":" + a.lastModifiedTime().toMillis();
            if (shipped.contains(key)) {
                continue;
            }
            if (a.lastModifiedTime().toMillis() > settledBefore) {
                waitingBytes += a.size();
                continue;
            }
            try {
                current = CompressedFile.open(p, maxLine, checkpoints, counters);
            } catch (NoSuchFileException e) {
                continue;
            }
            if (current == null) {
                shipped.add(key);
                continue;
            }
            LOG.info("reading the compressed rotation {}", p);
            currentKey = key;
            if (!readCurrent(sink)) {
                return false;
            }
        }
        return true;
    }

    private boolean readCurrent(LineSink sink) throws IOException {
        if (!current.readAvailable(sink)) {
            return false;
        }
        LOG.info("{} was read to its end", current.path());
        shipped.add(currentKey);
        current = null;
        return true;
    }

    /**
     * By modification time, oldest first; at equal times the higher rotation number first ({@code .3.gz} before
     * {@code .2.gz}), then by name ({@code -20261118.gz} before {@code -20261125.gz}).
     */
    private static List<Path> oldestFirst(List<Path> files) {
        List<Path> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparingLong(CompressedRotations::modified)
                .thenComparing(Comparator.comparingLong(CompressedRotations::rotation).reversed())
                .thenComparing(p -> p.getFileName().toString()));
        return sorted;
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long rotation(Path p) {
        Matcher m = NUMBERED.matcher(p.getFileName().toString());
        return m.matches() && m.group(1).length() < 10 ? Long.parseLong(m.group(1)) : -1;
    }

    /** Compressed bytes still to read: of the file being read, and of those that wait to settle. */
    long behind() throws IOException {
        return (current == null ? 0 : current.behind()) + waitingBytes;
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
