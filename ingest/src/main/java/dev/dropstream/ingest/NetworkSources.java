package dev.dropstream.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The syslog receivers (UDP, TCP) and the drainer thread that feeds what they received to the sink through the
 * {@link Backlog} (memory, then the spool). Each message gets a line identity ({@code net:<run>:<n>}) that stays
 * with it through the spool, so a consumer can drop a message sent twice across a restart.
 */
final class NetworkSources implements Closeable {
    /** Where receivers hand each message; {@code bytes[off..off+len)} is only valid during the call. */
    interface Intake {
        void message(Peer peer, byte[] bytes, int off, int len, boolean cut);
    }

    private static final Logger LOG = LoggerFactory.getLogger(NetworkSources.class);
    private static final long MAX_BACKOFF_MILLIS = 1000;

    private final NetworkSettings settings;
    private final int maxLine;
    private final Counters counters;
    private final Backlog backlog;
    private final String idPrefix = "net:" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";
    private final AtomicLong nextId = new AtomicLong();
    private final Object pause = new Object();
    private UdpReceiver udp;
    private TcpReceiver tcp;
    private Thread drainer;
    private volatile boolean draining;
    private volatile RuntimeException fatal;

    /** Opens the spool (replaying what an earlier run left there once started); binds nothing yet. */
    NetworkSources(NetworkSettings settings, int maxLine, Counters counters) {
        this.settings = settings;
        this.maxLine = maxLine;
        this.counters = counters;
        this.backlog = new Backlog(settings.bufferBytes(), Spool.open(settings.spoolDir(), settings.spoolBytes(), counters),
                counters);
    }

    /**
     * Binds the listeners and starts receiving and draining into {@code sink}. Throws
     * {@link IllegalStateException} with one sentence when an address cannot be listened on.
     */
    void start(LineSink sink) {
        Intake intake = this::receive;
        try {
            if (settings.udp() != null) {
                udp = UdpReceiver.bind(settings.udp(), maxLine, counters, intake);
            }
        } catch (IOException e) {
            throw cannotListen("UDP", settings.udp(), e);
        }
        try {
            if (settings.tcp() != null) {
                tcp = TcpReceiver.bind(settings.tcp(), settings.maxConnections(), maxLine, counters, intake);
            }
        } catch (IOException e) {
            closeReceivers();
            throw cannotListen("TCP", settings.tcp(), e);
        }
        draining = true;
        drainer = new Thread(() -> drain(sink), "dropstream-syslog-drainer");
        drainer.setDaemon(true);
        drainer.start();
        if (udp != null) {
            udp.start();
            LOG.info("receiving syslog on UDP {}", hostPort(udpAddress()));
        }
        if (tcp != null) {
            tcp.start();
            LOG.info("receiving syslog on TCP {}", hostPort(tcpAddress()));
        }
    }

    private static IllegalStateException cannotListen(String protocol, InetSocketAddress at, IOException e) {
        return new IllegalStateException("cannot listen for syslog on " + protocol + " " + hostPort(at) + " ("
                + e.getMessage() + ")", e);
    }

    /** {@code host:port} as the user wrote it, without {@link InetSocketAddress#toString()}'s slash. */
    static String hostPort(InetSocketAddress at) {
        return at.getHostString() + ":" + at.getPort();
    }

    InetSocketAddress udpAddress() {
        return address(udp == null ? null : () -> udp.address());
    }

    InetSocketAddress tcpAddress() {
        return address(tcp == null ? null : () -> tcp.address());
    }

    private interface AddressOf {
        InetSocketAddress get() throws IOException;
    }

    private static InetSocketAddress address(AddressOf a) {
        try {
            return a == null ? null : a.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void receive(Peer peer, byte[] bytes, int off, int len, boolean cut) {
        backlog.add(new NetMessage(Arrays.copyOfRange(bytes, off, off + len), peer.source(), peer.host(),
                idPrefix + nextId.incrementAndGet(), cut));
    }

    private void drain(LineSink sink) {
        long backoff = 10;
        while (draining) {
            try {
                Backlog.Step step = backlog.drainOne(sink);
                if (step == Backlog.Step.SENT) {
                    backoff = 10;
                } else if (step == Backlog.Step.EMPTY) {
                    backlog.awaitWork(200);
                } else {
                    // Kafka refused (away, or the producer's buffer is full): wait longer each time, up to a second.
                    synchronized (pause) {
                        if (draining) {
                            pause.wait(backoff);
                        }
                    }
                    backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                fatal = e;
                LOG.error("the syslog drainer stopped: {}", e.getMessage());
                return;
            }
        }
    }

    /** An error that stopped the drainer (Kafka refused the shipper), if any. */
    RuntimeException fatal() {
        return fatal;
    }

    /** Stops receiving, then draining; what is held stays held. Idempotent. */
    void stop() {
        closeReceivers();
        draining = false;
        synchronized (pause) {
            pause.notifyAll();
        }
        backlog.wakeUp();
        if (drainer != null) {
            try {
                drainer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Keeps in the spool what memory still holds; call after {@link #stop()} once the producer is closed. */
    void spill() {
        backlog.spill();
    }

    private void closeReceivers() {
        try {
            if (udp != null) {
                udp.close();
            }
            if (tcp != null) {
                tcp.close();
            }
        } catch (IOException e) {
            LOG.warn("closing a syslog listener failed ({})", e.toString());
        }
    }

    @Override
    public void close() {
        stop();
        backlog.close();
    }
}
