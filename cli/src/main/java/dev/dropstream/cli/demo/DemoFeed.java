package dev.dropstream.cli.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends {@link FleetTraffic} to a log file at a steady rate of lines per second, stamped with the current time,
 * for a shipper to follow like any other kernel log. Writes only {@code file} and, when it outgrows
 * {@link #ROTATE_AT_BYTES}, renames it to {@code file.1} (replacing the previous one) and starts a new one, as
 * logrotate would, so a long demo does not fill the disk.
 */
public final class DemoFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoFeed.class);
    static final long ROTATE_AT_BYTES = 64L << 20;
    private static final Duration TICK = Duration.ofMillis(100);

    private final Path file;
    private final int linesPerSecond;
    private final Clock clock;
    private final FleetTraffic traffic;
    private final Thread thread;
    private volatile boolean running = true;
    private BufferedWriter out;
    private long bytes;

    private DemoFeed(Path file, int linesPerSecond, int hosts, Clock clock) {
        this.file = file;
        this.linesPerSecond = linesPerSecond;
        this.clock = clock;
        this.traffic = new FleetTraffic(clock.millis(), hosts, clock.millis() * 1000);
        this.thread = new Thread(this::run, "dropstream-demo-feed");
        this.thread.setDaemon(true);
    }

    /** Starts appending to {@code file} (created with its folder when missing). */
    public static DemoFeed start(Path file, int linesPerSecond, int hosts) {
        if (linesPerSecond < 1) {
            throw new IllegalArgumentException("the demo rate must be at least 1 line per second");
        }
        DemoFeed feed = new DemoFeed(file, linesPerSecond, hosts, Clock.systemUTC());
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            feed.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo log " + file, e);
        }
        feed.thread.start();
        return feed;
    }

    public Path file() {
        return file;
    }

    private void open() throws IOException {
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        bytes = Files.size(file);
    }

    private void run() {
        long last = clock.millis();
        double owed = 0;
        try {
            while (running) {
                Thread.sleep(TICK.toMillis());
                long now = clock.millis();
                // After a pause (a suspended laptop) the feed goes on from now rather than catching up in a burst.
                long elapsed = Math.min(now - last, 1000);
                last = now;
                owed += linesPerSecond * elapsed / 1000.0;
                long due = (long) owed;
                long spacingMicros = due > 0 ? elapsed * 1000 / due : 0;
                long from = (now - elapsed) * 1000;
                long written = 0;
                while (written < due) {
                    FleetTraffic.Event e = traffic.next(from + written * spacingMicros);
                    for (String line : e.lines()) {
                        write(line);
                    }
                    written += e.lines().size();
                }
                // A scan written whole may run past what was due; the next ticks owe that much less.
                owed -= written;
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.error("the demo feed stopped: cannot write {} ({})", file, e.toString());
        }
    }

    private void write(String line) throws IOException {
        if (bytes >= ROTATE_AT_BYTES) {
            out.close();
            Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            open();
        }
        out.write(line);
        out.write('\n');
        bytes += line.length() + 1;
    }

    /** Stops the feed and closes the file; what was written stays for the shipper. */
    @Override
    public void close() {
        // No interrupt: it would close the file's channel under a write.
        running = false;
        try {
            thread.join(5_000);
            out.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("cannot close the demo log {} ({})", file, e.toString());
        }
    }
}
