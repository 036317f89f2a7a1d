package dev.dropstream.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The standard streams a command reads and writes, passed in rather than taken from {@code System} so
 * that tests run commands in-process with their own bytes, and so that commands that write a lot of
 * output write raw bytes to file descriptor 1 (a closed pipe is then an error the command sees, not a
 * flag {@link PrintStream} hides).
 *
 * @param in standard input
 * @param out standard output, unbuffered: commands buffer it themselves
 * @param err standard error, for diagnostics, summaries and progress
 * @param errIsTerminal whether {@code err} is a terminal, where a live progress line makes sense
 */
public record StdStreams(InputStream in, OutputStream out, PrintStream err, boolean errIsTerminal) {

    /** The process's own streams. */
    public static StdStreams system() {
        return new StdStreams(System.in, new FileOutputStream(FileDescriptor.out),
                new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8),
                stderrIsTerminal());
    }

    /**
     * Java has no isatty: on Linux, file descriptor 2 of a terminal links to a tty device; elsewhere an
     * interactive console is the best hint there is. A dumb terminal gets no progress line either.
     */
    static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        Path fd2 = Path.of("/proc/self/fd/2");
        try {
            if (Files.isSymbolicLink(fd2)) {
                String target = Files.readSymbolicLink(fd2).toString().toLowerCase(Locale.ROOT);
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (java.io.IOException | SecurityException | UnsupportedOperationException e) {
            // Fall through to the console heuristic.
        }
        return System.console() != null;
    }
}
