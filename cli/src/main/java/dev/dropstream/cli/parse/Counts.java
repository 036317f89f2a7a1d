package dev.dropstream.cli.parse;

import java.util.Locale;

/**
 * What a run of {@code dropstream parse} has seen so far. The reading thread counts in plain fields and
 * publishes a snapshot now and then, which the progress thread reads.
 */
final class Counts {
    long lines;
    long packets;
    long conntrack;
    long skipped;
    long errors;
    private volatile Snapshot published = new Snapshot(0, 0, 0, 0, 0);

    Snapshot snapshot() {
        return new Snapshot(lines, packets, conntrack, skipped, errors);
    }

    void publish() {
        published = snapshot();
    }

    Snapshot published() {
        return published;
    }

    /** Counts at one moment. */
    record Snapshot(long lines, long packets, long conntrack, long skipped, long errors) {

        /** {@code lines N, records N (packets N, conntrack N), skipped N, errors N, T s, N lines/s}. */
        String summary(long elapsedNanos) {
            double seconds = elapsedNanos / 1e9;
            return String.format(Locale.ROOT,
                    "lines %d, records %d (packets %d, conntrack %d), skipped %d, errors %d, %.3f s, %d lines/s",
                    lines, packets + conntrack, packets, conntrack, skipped, errors, seconds, rate(elapsedNanos));
        }

        /** The live line: short enough for an 80-column terminal, where a wrapped line could not be redrawn. */
        String progress(long elapsedNanos) {
            return String.format(Locale.ROOT, "lines %d, records %d, skipped %d, errors %d, %d lines/s",
                    lines, packets + conntrack, skipped, errors, rate(elapsedNanos));
        }

        private long rate(long elapsedNanos) {
            return elapsedNanos > 0 ? Math.round(lines * 1e9 / elapsedNanos) : 0;
        }
    }
}
