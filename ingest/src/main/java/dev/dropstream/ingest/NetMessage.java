package dev.dropstream.ingest;

/**
 * One message received from the network, held until Kafka acknowledges it: its bytes (already cut to the line
 * limit), where it came from ({@code udp://peer}, {@code tcp://peer}), the peer's address (the key when the
 * syslog header names no host), its identity for consumers that drop duplicates, and whether it was cut.
 */
final class NetMessage {
    /** What a message costs beyond its bytes, roughly: the object, its strings, the queue entry. */
    private static final int OVERHEAD = 128;

    final byte[] bytes;
    final String source;
    final String peerHost;
    final String id;
    final boolean cut;
    /** Set when Kafka acknowledged it before the drainer had recorded it as sent (guarded by the backlog). */
    boolean acked;

    NetMessage(byte[] bytes, String source, String peerHost, String id, boolean cut) {
        this.bytes = bytes;
        this.source = source;
        this.peerHost = peerHost;
        this.id = id;
        this.cut = cut;
    }

    /** What it counts against the memory bound. */
    int weight() {
        return bytes.length + OVERHEAD;
    }
}
