package dev.dropstream.ingest;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The syslog receivers of {@code dropstream ship} and where their messages wait while Kafka cannot take them.
 *
 * @param udp where to receive syslog datagrams, or null
 * @param tcp where to accept syslog connections, or null
 * @param maxConnections how many TCP connections may be open at once
 * @param bufferBytes how many bytes of messages memory holds until Kafka acknowledges them
 * @param spoolDir the spool's directory (segment files), used when memory is full
 * @param spoolBytes how many bytes the spool may hold on disk; beyond that messages are dropped (counted)
 */
public record NetworkSettings(InetSocketAddress udp, InetSocketAddress tcp, int maxConnections, long bufferBytes,
        Path spoolDir, long spoolBytes) {
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final long DEFAULT_BUFFER_BYTES = 16L * 1024 * 1024;
    public static final long DEFAULT_SPOOL_BYTES = 256L * 1024 * 1024;

    public NetworkSettings {
        if (udp == null && tcp == null) {
            throw new IllegalArgumentException("a network source needs a UDP or a TCP address");
        }
        Objects.requireNonNull(spoolDir, "spoolDir");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("at least one TCP connection must be allowed");
        }
        if (bufferBytes < 0 || spoolBytes < 0) {
            throw new IllegalArgumentException("the buffer and spool sizes cannot be negative");
        }
    }

    /**
     * Parses {@code HOST:PORT}, {@code [IPv6]:PORT} or {@code :PORT} (every interface) into an address, resolving
     * HOST; throws {@link IllegalArgumentException} with one sentence when it cannot.
     */
    public static InetSocketAddress address(String hostPort) {
        String s = hostPort.strip();
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + hostPort + "' is not HOST:PORT");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("'" + hostPort + "' is not HOST:PORT (write an IPv6 address in brackets)");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + hostPort + "' does not end in a port number", e);
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("the port in '" + hostPort + "' is not between 0 and 65535");
        }
        if (host.isEmpty() || host.equals("*")) {
            return new InetSocketAddress(port);
        }
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            throw new IllegalArgumentException("the host in '" + hostPort + "' cannot be resolved");
        }
        return a;
    }
}
