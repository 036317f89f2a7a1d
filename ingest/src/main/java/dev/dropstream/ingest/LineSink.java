package dev.dropstream.ingest;

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
}
