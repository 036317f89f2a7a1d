package dev.dropstream.ingest;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the kernel records journald holds: runs {@code journalctl -k -o json --all --follow --no-pager} and sends
 * each JSON record as it is. The key is the record's {@code _HOSTNAME} (this machine's name when it has none), the
 * {@value KafkaLineSink#LINE} header its {@code __CURSOR}.
 *
 * <p>The cursor of the last record that it and every record before it Kafka acknowledged is written to the cursor
 * file (atomically, every second and on a clean stop). With a cursor, journalctl starts with
 * {@code --after-cursor=<cursor>}; without one (the first time) with {@code --lines=0}: only records written from
 * then on, not the journal's history. When journalctl exits it is started again, after the last record sent, with a
 * back-off (1 s doubling to 30 s; back to 1 s after it ran for a minute). {@link #stop()} ends it.
 */
final class JournaldSource implements KernelSource {
    static final String SOURCE = "journald";
    private static final Logger LOG = LoggerFactory.getLogger(JournaldSource.class);

    private final List<String> journalctl;
    private final Path cursorFile;
    private final String host;
    private final int maxLine;
    private final Counters counters;
    private final Duration firstBackoff;
    private final Acks acks = new Acks(0);
    /** Cursors of records in flight (and the last acknowledged one) by their ordinal. */
    private final ConcurrentSkipListMap<Long, String> cursors = new ConcurrentSkipListMap<>();
    private long ordinal;
    /** The cursor of the last record sent (where a restarted journalctl starts), or null. */
    private volatile String lastSent;
    private String saved;
    private volatile boolean running = true;
    private Process child;
    private Thread errors;
    private volatile String lastError;

    /**
     * @param journalctl the command, {@code [/usr/bin/journalctl]} (tests give a stand-in)
     * @param firstBackoff the first wait before journalctl is started again
     */
    JournaldSource(List<String> journalctl, Path cursorFile, String host, int maxLine, Counters counters,
            Duration firstBackoff) {
        this.journalctl = List.copyOf(journalctl);
        this.cursorFile = cursorFile;
        this.host = host;
        this.maxLine = maxLine;
        this.counters = counters;
        this.firstBackoff = firstBackoff;
        String c = readCursor(cursorFile);
        this.lastSent = c;
        this.saved = c;
        LOG.info(c == null ? "journald: no cursor; following the kernel records written from now on"
                : "journald: resuming after the cursor in " + cursorFile);
    }

    /** The source for this machine; an {@link IllegalStateException} with one sentence where journalctl is missing. */
    static JournaldSource open(Path cursorFile, String host, int maxLine, Counters counters) {
        String journalctl = requireJournalctl();
        if (!Files.exists(Path.of("/run/systemd/journal/socket"))) {
            LOG.warn("journald does not seem to run here (no /run/systemd/journal/socket); journalctl waits for a journal");
        }
        return new JournaldSource(endingWithTheShipper(journalctl), cursorFile, host, maxLine, counters,
                Duration.ofSeconds(1));
    }

    /** journalctl's path, or an {@link IllegalStateException} with one sentence. */
    static String requireJournalctl() {
        String path = onPath("journalctl");
        if (path == null) {
            throw new IllegalStateException("--journald needs journalctl (systemd), which is not on this machine");
        }
        return path;
    }

    /**
     * {@code [setpriv, --pdeathsig, TERM, journalctl]} where setpriv (util-linux) can do that, so that journalctl ends
     * with the shipper even after a {@code kill -9}; else {@code [journalctl]}.
     */
    static List<String> endingWithTheShipper(String journalctl) {
        String setpriv = onPath("setpriv");
        if (setpriv != null) {
            try {
                Process p = new ProcessBuilder(setpriv, "--pdeathsig", "TERM", "true")
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return List.of(setpriv, "--pdeathsig", "TERM", journalctl);
                }
                p.destroyForcibly();
            } catch (IOException e) {
                // no setpriv after all: journalctl alone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return List.of(journalctl);
    }

    private static String onPath(String tool) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/bin", "/bin"));
        for (String d : dirs) {
            if (!d.isEmpty()) {
                Path p = Path.of(d, tool);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        return null;
    }

    /** The command for a start after {@code cursor} (null: from now on). */
    List<String> command(String cursor) {
        List<String> c = new ArrayList<>(journalctl);
        c.addAll(List.of("-k", "-o", "json", "--all", "--follow", "--no-pager"));
        c.add(cursor == null ? "--lines=0" : "--after-cursor=" + cursor);
        return c;
    }

    @Override
    public String name() {
        return SOURCE;
    }

    @Override
    public void run(LineSink sink) throws InterruptedException {
        long backoff = firstBackoff.toMillis();
        while (running) {
            String from = lastSent;
            Process p;
            try {
                p = startOrNull(command(from));
            } catch (IOException e) {
                LOG.warn("cannot start journalctl ({}); trying again in {} ms", e.toString(), backoff);
                Thread.sleep(backoff);
                backoff = Math.min(30_000, backoff * 2);
                continue;
            }
            if (p == null) {
                return;
            }
            long started = System.nanoTime();
            long before = counters.read.sum();
            try {
                pump(p.getInputStream(), sink);
            } catch (IOException e) {
                if (running) {
                    LOG.warn("reading journalctl's output failed: {}", e.toString());
                }
            } finally {
                end(p);
            }
            if (!running) {
                return;
            }
            String err = lastError;
            if (from != null && from.equals(lastSent) && counters.read.sum() == before && err != null
                    && err.toLowerCase(java.util.Locale.ROOT).contains("cursor")) {
                LOG.warn("journalctl refused the cursor ({}); following from now on", err);
                lastSent = null;
            }
            if (System.nanoTime() - started > 60_000_000_000L) {
                backoff = firstBackoff.toMillis();
            }
            LOG.warn("journalctl exited with {}{}; starting it again in {} ms", p.exitValue(),
                    err == null ? "" : " (" + err + ")", backoff);
            Thread.sleep(backoff);
            backoff = Math.min(30_000, backoff * 2);
        }
    }

    /** Sends journalctl's records until its output ends or the source stops. */
    private void pump(InputStream out, LineSink sink) throws IOException, InterruptedException {
        StreamLines lines = new StreamLines(out, maxLine, counters);
        while (running && lines.next()) {
            byte[] b = lines.bytes();
            int len = lines.length();
            if (len == 0) {
                continue;
            }
            boolean cut = lines.cut();
            String cursor = JournalJson.string(b, 0, len, "__CURSOR");
            String hostname = JournalJson.string(b, 0, len, "_HOSTNAME");
            long ord = ++ordinal;
            if (cursor != null) {
                cursors.put(ord, cursor);
            }
            Acks.Pending pending = new Acks.Pending(ord);
            long wait = 50;
            while (!sink.offer(hostname != null && !hostname.isEmpty() ? hostname : host, b, 0, len, SOURCE, cursor,
                    cut, () -> acks.acked(pending))) {
                if (!running) {
                    cursors.remove(ord);
                    return; // not sent: after the saved cursor, so the next run sends it
                }
                Thread.sleep(wait);
                wait = Math.min(1000, wait * 2);
            }
            acks.sent(pending);
            counters.read.increment();
            if (cursor != null) {
                lastSent = cursor;
            }
        }
    }

    private synchronized Process startOrNull(List<String> command) throws IOException {
        if (!running) {
            return null;
        }
        lastError = null;
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        child = pb.start();
        Process p = child;
        errors = new Thread(() -> drainErrors(p.getErrorStream()), "ship-journalctl-stderr");
        errors.setDaemon(true);
        errors.start();
        LOG.info("started {}", String.join(" ", command));
        return child;
    }

    private void drainErrors(InputStream err) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    lastError = line.strip();
                    LOG.warn("journalctl: {}", line.strip());
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    /** Ends journalctl: SIGTERM, then SIGKILL after 5 s. */
    private void end(Process p) throws InterruptedException {
        if (p.isAlive()) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
        Thread e;
        synchronized (this) {
            if (child == p) {
                child = null;
            }
            e = errors;
        }
        if (e != null) {
            e.join(2000); // its last words, for the log and the cursor check
        }
    }

    @Override
    public void stop() {
        running = false;
        synchronized (this) {
            if (child != null) {
                child.destroy(); // its output ends, which ends pump()
            }
        }
    }

    @Override
    public synchronized void save() throws IOException {
        Map.Entry<Long, String> e = cursors.floorEntry(acks.position());
        if (e == null) {
            return;
        }
        cursors.headMap(e.getKey(), false).clear();
        if (e.getValue().equals(saved) || cursorFile == null) {
            return;
        }
        AtomicFile.write(cursorFile, e.getValue() + "\n");
        saved = e.getValue();
    }

    private static String readCursor(Path file) {
        try {
            if (file != null && Files.exists(file)) {
                String c = Files.readString(file, StandardCharsets.UTF_8).strip();
                return c.isEmpty() ? null : c;
            }
        } catch (IOException e) {
            LOG.warn("journald: cannot read the cursor file {} ({}); following from now on", file, e.toString());
        }
        return null;
    }
}
