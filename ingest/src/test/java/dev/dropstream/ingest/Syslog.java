package dev.dropstream.ingest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A syslog sender for tests, as network devices and relays send: UDP datagrams, TCP with either framing. */
final class Syslog {
    private Syslog() {
    }

    /** An RFC 3164 message from {@code host}. */
    static String rfc3164(String host, String text) {
        return "<4>Nov 25 10:00:00 " + host + " kernel: " + text;
    }

    /** An RFC 5424 message from {@code host}. */
    static String rfc5424(String host, String text) {
        return "<4>1 2026-11-20T08:15:30.123Z " + host + " kernel - - - " + text;
    }

    static void udp(InetSocketAddress to, String... messages) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            for (String m : messages) {
                byte[] b = (m + "\n").getBytes(StandardCharsets.UTF_8);
                s.send(new DatagramPacket(b, b.length, to));
            }
        }
    }

    /** Newline framing: each message and a LF. */
    static byte[] newline(String message) {
        return (message + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Octet counting: {@code <length> <message>}. */
    static byte[] octets(String message) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        byte[] head = (m.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + m.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(m, 0, out, head.length, m.length);
        return out;
    }

    static Socket connect(InetSocketAddress to) throws IOException {
        Socket s = new Socket();
        s.connect(to, 5000);
        s.setTcpNoDelay(true);
        return s;
    }

    static void write(Socket s, byte[]... frames) throws IOException {
        OutputStream out = s.getOutputStream();
        for (byte[] f : frames) {
            out.write(f);
        }
        out.flush();
    }
}
