package dev.dropstream.ingest;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows paths and globs with {@code tail -F} semantics: a file renamed away is read to its end before
 * the new file of that name is read; a file truncated in place (copytruncate) is read again from its start;
 * files that appear later are picked up. Compressed rotations ({@code *.gz}) are {@link CompressedRotations}'
 * business: skipped, or read once each before the other files when asked.
 */
final class FileFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileFollower.class);

    private final List<String> patterns;
    private final int maxLine;
    private final Checkpoints checkpoints;
    private final Counters counters;
    private final Map<FileIdentity, TailedFile> open = new LinkedHashMap<>();
    /** Files rotated away and closed whose last lines Kafka may not have answered yet. */
    private final List<TailedFile> rotated = new ArrayList<>();
    private final CompressedRotations compressed;

    FileFollower(List<String> patterns, int maxLine, boolean readCompressed, Checkpoints checkpoints,
            Counters counters) {
        this.patterns = List.copyOf(patterns);
        this.maxLine = maxLine;
        this.checkpoints = checkpoints;
        this.counters = counters;
        this.compressed = new CompressedRotations(readCompressed, maxLine, checkpoints, counters);
    }

    /** The files the patterns name now, compressed ones too. */
    Set<Path> matching() throws IOException {
        Set<Path> out = new LinkedHashSet<>();
        for (String p : patterns) {
            Path path = Path.of(p);
            String name = path.getFileName() == null ? "" : path.getFileName().toString();
            if (!name.contains("*") && !name.contains("?") && !name.contains("[")) {
                if (Files.isRegularFile(path)) {
                    out.add(path.toAbsolutePath().normalize());
                }
                continue;
            }
            Path dir = path.toAbsolutePath().normalize().getParent();
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + name);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path f : ds) {
                    if (m.matches(f.getFileName()) && Files.isRegularFile(f)) {
                        out.add(f);
                    }
                }
            }
        }
        return out;
    }

    /**
     * One round: reads the compressed rotations not shipped yet (when asked to), then opens new files, reads every
     * open file to its current end (files no longer named by a pattern first: they are the rotated ones), closes
     * those that are done. Returns false when the sink refused a line (back off), true otherwise.
     */
    boolean poll(LineSink sink) throws IOException {
        rotated.removeIf(TailedFile::settled);
        Set<Path> all = matching();
        List<Path> gz = new ArrayList<>();
        for (Path p : all) {
            if (CompressedRotations.isCompressed(p)) {
                gz.add(p);
            }
        }
        all.removeAll(gz);
        if (!compressed.poll(gz, sink)) {
            return false;
        }
        Map<FileIdentity, Path> named = new LinkedHashMap<>();
        for (Path p : all) {
            try {
                named.put(FileIdentity.of(p), p);
            } catch (NoSuchFileException e) {
                // Gone between the listing and now: the next round sees what replaced it.
            }
        }
        List<FileIdentity> gone = new ArrayList<>();
        for (Map.Entry<FileIdentity, TailedFile> e : open.entrySet()) {
            if (!named.containsKey(e.getKey())) {
                gone.add(e.getKey());
            }
        }
        for (FileIdentity id : gone) {
            TailedFile f = open.get(id);
            if (!f.readAvailable(sink)) {
                return false;
            }
            LOG.info("{} was rotated away; read to its end", f.path());
            f.close();
            open.remove(id);
            rotated.add(f);
        }
        for (Map.Entry<FileIdentity, Path> e : named.entrySet()) {
            if (!open.containsKey(e.getKey())) {
                try {
                    open.put(e.getKey(), TailedFile.open(e.getValue(), maxLine, checkpoints, counters));
                    LOG.info("following {}", e.getValue());
                } catch (NoSuchFileException ex) {
                    continue;
                }
            }
            if (!open.get(e.getKey()).readAvailable(sink)) {
                return false;
            }
        }
        return true;
    }

    /** Bytes not yet read, per open file (by path). */
    Map<String, Long> behindByFile() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (TailedFile f : open.values()) {
            try {
                out.merge(f.path().toString(), f.behind(), Long::sum);
            } catch (IOException e) {
                // A file that cannot be sized now is counted next time.
            }
        }
        return out;
    }

    /** Bytes not yet read, over every open file. */
    long behind() {
        long total = 0;
        try {
            total += compressed.behind();
        } catch (IOException e) {
            // Counted next time.
        }
        for (TailedFile f : open.values()) {
            try {
                total += f.behind();
            } catch (IOException e) {
                // A file that cannot be sized now is counted next time.
            }
        }
        return total;
    }

    /**
     * Waits until Kafka answered every line of the open files and of those rotated away, or until
     * {@code deadlineMillis} (epoch milliseconds); returns how many lines were not answered by then.
     */
    long awaitAnswers(long deadlineMillis) throws InterruptedException {
        long left = 0;
        for (TailedFile f : rotated) {
            left += f.awaitAnswers(deadlineMillis);
        }
        for (TailedFile f : open.values()) {
            left += f.awaitAnswers(deadlineMillis);
        }
        return left;
    }

    @Override
    public void close() throws IOException {
        compressed.close();
        for (TailedFile f : open.values()) {
            f.close();
        }
        open.clear();
    }
}
