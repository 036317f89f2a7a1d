package dev.dropstream.parser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The real kernel lines in {@code ../shared/corpus}, read where they are (never copied into the repo). */
final class Corpus {
    private Corpus() {
    }

    static Path root() {
        String prop = System.getProperty("dropstream.corpus");
        List<Path> candidates = new ArrayList<>();
        if (prop != null) {
            candidates.add(Paths.get(prop));
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            candidates.add(p.resolve("../shared/corpus").normalize());
        }
        for (Path c : candidates) {
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        throw new IllegalStateException("the corpus is not at ../shared/corpus beside the checkout (looked in "
                + candidates + ")");
    }

    /** Every {@code *.log} file, sorted. */
    static List<Path> logFiles() {
        try (Stream<Path> s = Files.walk(root())) {
            return s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of one file as raw bytes, without the line feed. */
    static List<byte[]> lines(Path file) {
        try {
            byte[] all = Files.readAllBytes(file);
            List<byte[]> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < all.length; i++) {
                if (all[i] == '\n') {
                    out.add(java.util.Arrays.copyOfRange(all, start, i));
                    start = i + 1;
                }
            }
            if (start < all.length) {
                out.add(java.util.Arrays.copyOfRange(all, start, all.length));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }
}
