package dev.dropstream.cli.parse;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens the inputs of {@code dropstream parse}: files or standard input, gzip-compressed or not. */
final class Inputs {
    /** The name that stands for standard input. */
    static final String STDIN = "-";

    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;
    private static final int GZIP_BUFFER = 64 * 1024;

    private Inputs() {
    }

    /**
     * Opens a file for reading, decompressing it when its name ends in {@code .gz} or its first bytes are
     * the gzip magic number.
     *
     * @throws IOException with a message that is one sentence about the file, naming it
     */
    static InputStream open(String name) throws IOException {
        Path path = Path.of(name);
        if (Files.isDirectory(path)) {
            throw new IOException("'" + name + "' is a directory");
        }
        InputStream raw;
        try {
            raw = Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new IOException("'" + name + "' does not exist", e);
        } catch (AccessDeniedException e) {
            throw new IOException("'" + name + "' cannot be read (permission denied)", e);
        } catch (IOException e) {
            throw new IOException("'" + name + "' cannot be read: " + reason(e), e);
        }
        try {
            return decompressed(raw, name.endsWith(".gz"));
        } catch (IOException e) {
            raw.close();
            throw new IOException("'" + name + "' cannot be read: " + reason(e), e);
        }
    }

    /**
     * Standard input, decompressed when it starts with the gzip magic number.
     *
     * @throws IOException with a message that is one sentence about standard input
     */
    static InputStream stdin(InputStream in) throws IOException {
        try {
            return decompressed(in, false);
        } catch (IOException e) {
            throw new IOException("standard input cannot be read: " + reason(e), e);
        }
    }

    /** What went wrong, for a sentence: the message, or what a message-less exception means. */
    static String reason(IOException e) {
        if (e.getMessage() != null) {
            return e.getMessage();
        }
        return e instanceof EOFException ? "the data ends too early" : e.getClass().getSimpleName();
    }

    private static InputStream decompressed(InputStream raw, boolean gzipByName) throws IOException {
        PushbackInputStream in = new PushbackInputStream(raw, 2);
        int b1 = in.read();
        int b2 = b1 < 0 ? -1 : in.read();
        if (b2 >= 0) {
            in.unread(b2);
        }
        if (b1 >= 0) {
            in.unread(b1);
        }
        boolean magic = b1 == GZIP_MAGIC_1 && b2 == GZIP_MAGIC_2;
        if (magic || (gzipByName && b1 >= 0)) {
            return new GZIPInputStream(in, GZIP_BUFFER);
        }
        return in;
    }
}
