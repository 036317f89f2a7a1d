package dev.dropstream.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Where Dropstream keeps its data by default, and the checks every command that writes there needs. */
final class DataDirs {
    private DataDirs() {
    }

    /** {@code $XDG_DATA_HOME/dropstream}, else {@code ~/.local/share/dropstream} (the XDG default). */
    static Path defaultDataDir(Map<String, String> env, String userHome) {
        String xdg = env.get("XDG_DATA_HOME");
        // The XDG spec says to ignore a relative XDG_DATA_HOME.
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "dropstream");
        }
        return Path.of(userHome, ".local", "share", "dropstream");
    }

    /** Creates {@code dir} if needed and checks that it is a writable directory, or says why not. */
    static Path usable(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new UserError("the data directory " + abs + " is a file, not a directory");
        }
        try {
            Files.createDirectories(abs);
        } catch (IOException e) {
            throw new UserError("cannot create the data directory " + abs + " (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + ")", e);
        }
        if (!Files.isWritable(abs)) {
            throw new UserError("the data directory " + abs + " is not writable");
        }
        return abs;
    }
}
