package dev.dropstream.ingest;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A network sender as the shipper names it: {@code source} for the {@value KafkaLineSink#SOURCE} header
 * ({@code udp://10.0.0.7:40112}, {@code tcp://[2001:db8::7]:51514}) and {@code host}, its address, the key of
 * its messages whose syslog header names no host. Addresses are never looked up in DNS.
 */
record Peer(String source, String host) {
    static Peer of(String scheme, InetSocketAddress address) {
        InetAddress a = address.getAddress();
        String host = a == null ? address.getHostString() : a.getHostAddress();
        String hostPort = host.indexOf(':') >= 0 ? "[" + host + "]:" + address.getPort() : host + ":" + address.getPort();
        return new Peer(scheme + "://" + hostPort, host);
    }
}
