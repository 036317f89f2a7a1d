package dev.dropstream.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far each file has been shipped: per file identity, the fingerprint and the byte offset up to which
 * Kafka acknowledged every line. Kept in one text file, rewritten atomically (temporary file, fsync,
 * rename), so a crash at any moment leaves either the old or the new version, never a torn one.
 *
 * <p>Format, one line per file: {@code <dev>:<ino>\t<fingerprint length>\t<fingerprint>\t<offset>\t<path>}. A
 * compressed rotation's offset is in its decompressed content, {@code Long.MAX_VALUE} once it was shipped whole
 * ({@link CompressedFile#DONE}).
 */
final class Checkpoints {
    /** One file's position. */
    record Position(int fingerprintLength, long fingerprint, long offset, String path) {
    }

    /**
     * A file being shipped whose position is read when it is needed (a save), not written on every
     * acknowledgement: there is one per line. A save writes the file when a position read differs from the last.
     */
    interface Tracked {
        Position position();

        /** Whether the position can no longer change (the file is closed and every line answered). */
        boolean settled();
    }

    private final Path file;
    private final Map<String, Position> positions = new ConcurrentHashMap<>();
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private volatile boolean dirty;

    private Checkpoints(Path file) {
        this.file = file;
    }

    /** Loads {@code file} if it exists; a damaged line is ignored (that file is then read from the start). */
    static Checkpoints load(Path file) {
        Checkpoints c = new Checkpoints(file);
        if (!Files.exists(file)) {
            return c;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t", 5);
                if (f.length == 5) {
                    try {
                        c.positions.put(f[0], new Position(Integer.parseInt(f[1]), Long.parseLong(f[2]),
                                Long.parseLong(f[3]), f[4]));
                    } catch (NumberFormatException e) {
                        // A damaged entry: its file is read from the start, duplicates are marked.
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint file " + file, e);
        }
        return c;
    }

    Position get(FileIdentity id) {
        read();
        return positions.get(id.key());
    }

    void put(FileIdentity id, Position p) {
        positions.put(id.key(), p);
        dirty = true;
    }

    /** Reads {@code id}'s position from {@code t} from now on; {@link #changed} says when it moved. */
    void track(FileIdentity id, Tracked t) {
        tracked.put(id.key(), t);
        dirty = true;
    }

    /** A tracked position moved (for files acknowledged by callbacks; a save also finds moves by itself). */
    void changed() {
        if (!dirty) {
            // Read first: acknowledgements call this once per line, and a write each time would keep the
            // cache line moving between the threads.
            dirty = true;
        }
    }

    /** Reads the tracked positions; returns whether one moved since it was last read. */
    private boolean refresh() {
        boolean moved = false;
        for (Map.Entry<String, Tracked> e : tracked.entrySet()) {
            Tracked t = e.getValue();
            Position now = t.position();
            moved |= !now.equals(positions.put(e.getKey(), now));
            if (t.settled()) {
                tracked.remove(e.getKey(), t);
            }
        }
        return moved;
    }

    /** {@link #refresh()} where the next save must know of what moved. */
    private void read() {
        if (refresh()) {
            dirty = true;
        }
    }

    void remove(FileIdentity id) {
        tracked.remove(id.key());
        if (positions.remove(id.key()) != null) {
            dirty = true;
        }
    }

    /** Positions kept in memory only (standard input has nothing to resume). */
    static Checkpoints none() {
        return new Checkpoints(null);
    }

    /** Writes the positions if they changed since the last save. */
    synchronized void save() throws IOException {
        if (file == null) {
            return;
        }
        // Cleared before reading: a callback's move after this is saved next time.
        boolean write = dirty;
        dirty = false;
        write |= refresh();
        if (!write) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        positions.forEach((k, p) -> sb.append(k).append('\t').append(p.fingerprintLength()).append('\t')
                .append(p.fingerprint()).append('\t').append(p.offset()).append('\t').append(p.path()).append('\n'));
        try {
            AtomicFile.write(file, sb.toString());
        } catch (IOException | RuntimeException e) {
            dirty = true;   // tried again at the next save
            throw e;
        }
    }

    /** Every file's position (the compressed rotations' too). */
    java.util.Collection<Position> all() {
        read();
        return List.copyOf(positions.values());
    }

    List<String> identities() {
        read();
        return List.copyOf(positions.keySet());
    }
}
