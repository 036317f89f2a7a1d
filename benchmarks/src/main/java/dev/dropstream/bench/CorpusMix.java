package dev.dropstream.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The corpus mix: every line of every {@code *.log} file under the corpus folder (sorted by path, so
 * every run sees the same order), held once in a single {@code byte[]} with a start and an end offset per
 * line. Benchmarks walk the lines round-robin through {@link #next}; nothing here allocates after
 * loading. The line feed is not part of a line, so {@link #bytes()} counts what the parser is handed.
 *
 * <p>The lines are ASCII (checked at load), so {@link #text()}, the same bytes as one {@code String},
 * has the same offsets: the regex yardstick matches regions of it without decoding a line per call.
 */
final class CorpusMix {
    private final Path root;
    private final int files;
    private final byte[] data;
    private final int[] starts;
    private final int[] ends;
    private final String text;

    private CorpusMix(Path root, int files, byte[] data, int[] starts, int[] ends) {
        this.root = root;
        this.files = files;
        this.data = data;
        this.starts = starts;
        this.ends = ends;
        this.text = new String(data, StandardCharsets.ISO_8859_1);
    }

    /**
     * Loads the corpus at {@code path}: as given if it is a folder, otherwise resolved against the working
     * directory and each of its ancestors, so that the default {@code ../shared/corpus} is found from the
     * repository root and from {@code benchmarks/} alike.
     */
    static CorpusMix load(String path) {
        Path root = locate(path);
        List<Path> logs;
        try (Stream<Path> s = Files.walk(root)) {
            logs = s.filter(p -> p.getFileName().toString().endsWith(".log") && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (logs.isEmpty()) {
            throw new IllegalStateException("no *.log files under " + root);
        }
        byte[] all = new byte[0];
        int used = 0;
        List<int[]> ranges = new ArrayList<>();
        for (Path log : logs) {
            byte[] b;
            try {
                b = Files.readAllBytes(log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (all.length - used < b.length) {
                all = Arrays.copyOf(all, Math.max(all.length * 2, used + b.length));
            }
            System.arraycopy(b, 0, all, used, b.length);
            int start = used;
            int end = used + b.length;
            for (int i = start; i <= end; i++) {
                if (i == end || all[i] == '\n') {
                    int lineEnd = i > start && all[i - 1] == '\r' ? i - 1 : i;
                    if (lineEnd > start) {
                        ranges.add(new int[] {start, lineEnd});
                    }
                    start = i + 1;
                }
            }
            used = end;
        }
        for (int i = 0; i < used; i++) {
            if (all[i] < 0) {
                throw new IllegalStateException("the corpus has a non-ASCII byte at offset " + i
                        + "; the regex yardstick's offsets assume ASCII");
            }
        }
        int[] starts = new int[ranges.size()];
        int[] ends = new int[ranges.size()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = ranges.get(i)[0];
            ends[i] = ranges.get(i)[1];
        }
        return new CorpusMix(root, logs.size(), Arrays.copyOf(all, used), starts, ends);
    }

    private static Path locate(String path) {
        Path given = Paths.get(path);
        if (Files.isDirectory(given)) {
            return given.toAbsolutePath().normalize();
        }
        if (!given.isAbsolute()) {
            for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(path).normalize();
                if (Files.isDirectory(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("corpus folder not found: " + path + " (from "
                + Paths.get("").toAbsolutePath() + "); pass -p corpus=/path/to/corpus");
    }

    byte[] data() {
        return data;
    }

    String text() {
        return text;
    }

    int lines() {
        return starts.length;
    }

    int start(int line) {
        return starts[line];
    }

    int end(int line) {
        return ends[line];
    }

    /** The line after {@code line}, wrapping round to the first. */
    int next(int line) {
        int n = line + 1;
        return n == starts.length ? 0 : n;
    }

    long bytes() {
        long sum = 0;
        for (int i = 0; i < starts.length; i++) {
            sum += ends[i] - starts[i];
        }
        return sum;
    }

    double averageLineBytes() {
        return (double) bytes() / lines();
    }

    String describe() {
        return String.format("corpus %s: %d files, %d lines, %d bytes, %.1f bytes per line on average",
                root, files, lines(), bytes(), averageLineBytes());
    }
}
