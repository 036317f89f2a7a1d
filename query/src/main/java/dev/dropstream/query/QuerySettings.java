package dev.dropstream.query;

import java.net.InetSocketAddress;

/**
 * How the query server listens and whom it answers.
 *
 * @param listenHost the address to bind ({@code 127.0.0.1} by default; {@code 0.0.0.0} or {@code ::} for all)
 * @param listenPort the port ({@code 0}: any free one, chosen at bind time)
 * @param token when not empty, every {@code /api/*} and {@code /metrics} request needs
 *     {@code Authorization: Bearer <token>}; instances of one fleet share it
 * @param applicationServer this instance's Kafka Streams {@code application.server} ({@code host:port}) as the
 *     other instances reach it, or empty for the listen address (a fleet of one when that is a wildcard)
 */
public record QuerySettings(String listenHost, int listenPort, String token, String applicationServer) {
    public static final String DEFAULT_LISTEN = "127.0.0.1:7070";

    public QuerySettings {
        token = token == null ? "" : token;
        applicationServer = applicationServer == null ? "" : applicationServer.strip();
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("the listen port must be from 0 to 65535, not " + listenPort);
        }
    }

    /**
     * Settings from {@code HOST:PORT} ({@code [::1]:7070} for IPv6; {@code :PORT} binds 127.0.0.1); throws
     * {@link IllegalArgumentException} with one sentence when it is not such an address.
     */
    public static QuerySettings of(String listen, String token, String applicationServer) {
        String l = listen == null || listen.isBlank() ? DEFAULT_LISTEN : listen.strip();
        int colon = l.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("the listen address must be HOST:PORT (such as " + DEFAULT_LISTEN
                    + " or :0 for any free port), not '" + listen + "'");
        }
        String host = l.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(l.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the listen address must end in a port number, not '" + listen + "'", e);
        }
        if (!applicationServer.isBlank() && !applicationServer.strip().matches(".+:\\d{1,5}")) {
            throw new IllegalArgumentException("application.server must be HOST:PORT, not '" + applicationServer + "'");
        }
        return new QuerySettings(host.isEmpty() ? "127.0.0.1" : host, port, token, applicationServer);
    }

    public static QuerySettings defaults() {
        return of(DEFAULT_LISTEN, "", "");
    }

    InetSocketAddress listenAddress() {
        return new InetSocketAddress(listenHost, listenPort);
    }
}
