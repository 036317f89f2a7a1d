package dev.dropstream.ingest;

import java.io.IOException;

/** A source of kernel records that runs in a thread of its own beside the files: /dev/kmsg, journald. */
interface KernelSource {
    /** A short name, for thread names and logs ({@code kmsg}, {@code journald}). */
    String name();

    /**
     * Sends records to the sink until {@link #stop()} (or, for test inputs, their end). Read errors are handled
     * here (reopen, restart, back off); a refused record is offered again, never dropped. Only what the sink throws
     * (Kafka refused the shipper) ends it early.
     */
    void run(LineSink sink) throws InterruptedException;

    /** Makes {@link #run} return soon; callable from any thread, more than once. */
    void stop();

    /** Writes the position of the last record that it and every record before it Kafka acknowledged, if it moved. */
    void save() throws IOException;
}
