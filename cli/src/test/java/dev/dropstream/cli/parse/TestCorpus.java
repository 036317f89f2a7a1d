package dev.dropstream.cli.parse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real kernel lines in {@code ../shared/corpus}, read where they are: from the {@code dropstream.corpus}
 * property the build sets, else beside the checkout.
 */
final class TestCorpus {
    private TestCorpus() {
    }

    static Path root() {
        String prop = System.getProperty("dropstream.corpus");
        Path dir = prop != null ? Path.of(prop) : Path.of("..", "..", "shared", "corpus").toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            dir = Path.of("..", "shared", "corpus").toAbsolutePath().normalize();
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("the corpus is not at ../shared/corpus beside the checkout");
        }
        return dir;
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }

    /** Line {@code number} (from 1) of a corpus file, as text. */
    static String line(String relative, int number) {
        try (Stream<String> lines = Files.lines(file(relative), StandardCharsets.UTF_8)) {
            return lines.skip(number - 1L).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every {@code *.log} file, sorted. */
    static List<Path> logFiles() {
        try (Stream<Path> s = Files.walk(root())) {
            return s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
