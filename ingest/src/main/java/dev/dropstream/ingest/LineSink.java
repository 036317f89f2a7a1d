package dev.dropstream.ingest;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Where read lines go; {@code false} means "not taken now, keep your place and offer it again later". */
interface LineSink {
    /**
     * Offers one line. {@code bytes[off..off+len)} is only valid during the call.
     *
     * @param source what the line came from ({@code file:/var/log/kern.log}, {@code stdin})
     * @param lineId identity of the line for consumers that drop duplicates (file identity + offset), or null
     * @param cut whether the line was longer than the limit and cut there
     * @param onAck run once Kafka acknowledged the line
     */
    boolean offer(byte[] bytes, int off, int len, String source, String lineId, boolean cut, Runnable onAck);

    /**
     * Offers one line whose origin host the source knows ({@code host}: journald's {@code _HOSTNAME}, this machine
     * for /dev/kmsg) rather than the line's syslog header. A sink that does not key lines by host may ignore it.
     */
    default boolean offer(String host, byte[] bytes, int off, int len, String source, String lineId, boolean cut,
            Runnable onAck) {
        return offer(bytes, off, len, source, lineId, cut, onAck);
    }

    /**
     * Offers one message received from the network: as {@link #offer}, but when the message's syslog header names
     * no host it is keyed by {@code peerHost} (the sender's address) rather than by this machine's name. A sink that
     * does not key lines by host may ignore it.
     */
    default boolean offerFromPeer(String peerHost, byte[] bytes, int off, int len, String source, String lineId,
            boolean cut, Runnable onAck) {
        return offer(bytes, off, len, source, lineId, cut, onAck);
    }

    /**
     * Offers one line of this machine (keyed by its syslog header's host, else this machine's name) and returns its
     * receipt, or null when it is not taken now. Nothing runs when Kafka answers: the reader polls the receipt
     * ({@link Future#isDone()}) and hands it to {@link #settle} once it is done ({@link Receipts}). For readers
     * with many lines in flight, in order, such as followed files.
     *
     * @param lineId the UTF-8 bytes of the line's identity, or null
     */
    default Future<?> submit(byte[] bytes, int off, int len, String source, byte[] lineId, boolean cut) {
        CompletableFuture<Void> receipt = new CompletableFuture<>();
        String id = lineId == null ? null : new String(lineId, StandardCharsets.UTF_8);
        return offer(bytes, off, len, source, id, cut, () -> receipt.complete(null)) ? receipt : null;
    }

    /** What became of a line whose receipt is done. */
    enum Outcome {
        /** Kafka has it. */
        ACKNOWLEDGED,
        /** Not sent, for good (filtered out, or larger than Kafka accepts, counted): read on past it. */
        PASSED,
        /** Not sent: the position must stay before it, so that it is read again. */
        FAILED
    }

    /** What the done {@code receipt} of a line from {@code source} says; counts and logs it. */
    default Outcome settle(Future<?> receipt, String source) {
        try {
            receipt.get();
            return Outcome.ACKNOWLEDGED;
        } catch (ExecutionException e) {
            return Outcome.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.FAILED;
        }
    }
}
