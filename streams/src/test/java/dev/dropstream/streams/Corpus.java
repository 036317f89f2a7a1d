package dev.dropstream.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/** The real kernel lines in {@code ../shared/corpus}, read in place. */
public final class Corpus {
    private Corpus() {
    }

    public static Path root() {
        String prop = System.getProperty("dropstream.corpus");
        for (Path p = prop != null ? Paths.get(prop) : Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = prop != null ? p : p.resolve("../shared/corpus").normalize();
            if (Files.isDirectory(c)) {
                return c;
            }
            if (prop != null) {
                break;
            }
        }
        throw new IllegalStateException("the corpus is not at ../shared/corpus beside the checkout");
    }

    public static List<String> lines(String relative) {
        try {
            return Files.readAllLines(root().resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
