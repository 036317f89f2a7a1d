package dev.dropstream.cli.parse;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * A live progress line on a terminal: rewritten in place (carriage return) about four times a second
 * from the counts the reading thread publishes, and wiped when the run ends so the summary takes its
 * place. Does nothing when standard error is not a terminal.
 */
final class Progress implements AutoCloseable {
    private static final long PERIOD_MILLIS = 250;

    private final PrintStream err;
    private final Counts counts;
    private final long startNanos;
    private final Thread thread;
    private int shown;

    private Progress(PrintStream err, Counts counts, long startNanos, boolean live) {
        this.err = err;
        this.counts = counts;
        this.startNanos = startNanos;
        this.thread = live ? new Thread(this::run, "dropstream-progress") : null;
        if (thread != null) {
            thread.setDaemon(true);
            thread.start();
        }
    }

    static Progress start(PrintStream err, boolean terminal, Counts counts, long startNanos) {
        return new Progress(err, counts, startNanos, terminal);
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                TimeUnit.MILLISECONDS.sleep(PERIOD_MILLIS);
                show(counts.published().progress(System.nanoTime() - startNanos));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void show(String line) {
        StringBuilder sb = new StringBuilder(line.length() + 2).append('\r').append(line);
        for (int i = line.length(); i < shown; i++) {
            sb.append(' ');
        }
        err.print(sb);
        err.flush();
        shown = line.length();
    }

    /** Stops the updates and wipes the line. */
    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (shown > 0) {
                err.print("\r" + " ".repeat(shown) + "\r");
                err.flush();
                shown = 0;
            }
        }
    }
}
