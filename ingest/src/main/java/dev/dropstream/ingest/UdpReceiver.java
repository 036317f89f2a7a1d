package dev.dropstream.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives syslog over UDP: one datagram is one message, trailing newlines (LF, CR, NUL) dropped, cut at the line
 * limit (flagged). One thread; it never waits for Kafka, the {@link NetworkSources.Intake} only queues.
 */
final class UdpReceiver implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(UdpReceiver.class);
    /** Larger than any UDP payload (65,507 bytes over IPv4). */
    private static final int MAX_DATAGRAM = 65_536;
    private static final int RECEIVE_BUFFER = 4 * 1024 * 1024;

    private final DatagramChannel channel;
    private final int maxLine;
    private final Counters counters;
    private final NetworkSources.Intake intake;
    private final Thread thread;
    /** Recent senders, so that a busy one does not cost two strings per datagram. */
    private final Map<InetSocketAddress, Peer> peers = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Peer> eldest) {
            return size() > 1024;
        }
    };

    private UdpReceiver(DatagramChannel channel, int maxLine, Counters counters, NetworkSources.Intake intake) {
        this.channel = channel;
        this.maxLine = maxLine;
        this.counters = counters;
        this.intake = intake;
        this.thread = new Thread(this::run, "dropstream-syslog-udp");
        thread.setDaemon(true);
    }

    static UdpReceiver bind(InetSocketAddress at, int maxLine, Counters counters, NetworkSources.Intake intake)
            throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        try {
            // As large as the kernel allows (net.core.rmem_max), for bursts while this thread is busy.
            ch.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
            ch.bind(at);
            return new UdpReceiver(ch, maxLine, counters, intake);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    void start() {
        thread.start();
    }

    private void run() {
        ByteBuffer buf = ByteBuffer.allocate(MAX_DATAGRAM);
        while (channel.isOpen()) {
            buf.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) channel.receive(buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("receiving a syslog datagram failed ({})", e.toString());
                continue;
            }
            byte[] b = buf.array();
            int len = buf.position();
            while (len > 0 && (b[len - 1] == '\n' || b[len - 1] == '\r' || b[len - 1] == 0)) {
                len--;
            }
            if (len == 0) {
                continue;
            }
            boolean cut = len > maxLine;
            if (cut) {
                counters.cut.increment();
                counters.cutBytes.add(len - maxLine);
                len = maxLine;
            }
            try {
                intake.message(peers.computeIfAbsent(from, a -> Peer.of("udp", a)), b, 0, len, cut);
            } catch (RuntimeException e) {
                LOG.warn("a syslog datagram from {} could not be queued ({})", from, e.toString());
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
