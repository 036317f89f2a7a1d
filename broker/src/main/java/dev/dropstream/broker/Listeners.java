package dev.dropstream.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/** Addresses and ports for the broker's listeners: reads nothing but the local network configuration. */
final class Listeners {
    static final String LOOPBACK = "127.0.0.1";

    private Listeners() {
    }

    static int checkPort(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
        }
        return port;
    }

    /**
     * {@code port} if it can be bound on {@code address} now, or a free port there when {@code port} is 0.
     * Another process may still take a free port before the broker binds it; on loopback that race is
     * rare enough that we accept it rather than read the port back from the running broker.
     */
    static int bindable(String address, int port) {
        InetAddress inet = resolve(address);
        try (ServerSocket socket = new ServerSocket()) {
            // The broker itself binds with SO_REUSEADDR, so a port in TIME_WAIT after our own stop is usable.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(inet, port));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new BrokerStartException("port " + port + " on " + address + " is already in use", e);
        }
    }

    /** The host clients should use for a broker listening on {@code listenAddress}. */
    static String advertisedHost(String listenAddress) {
        InetAddress inet = resolve(listenAddress);
        if (!inet.isAnyLocalAddress()) {
            return listenAddress;
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            throw new BrokerStartException("cannot tell which host name to advertise for " + listenAddress
                    + "; give one explicitly", e);
        }
    }

    /** {@code host:port}, with an IPv6 literal in brackets as Kafka's listener syntax wants. */
    static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static InetAddress resolve(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new BrokerStartException("cannot resolve the listen address " + address, e);
        }
    }
}
