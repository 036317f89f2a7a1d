package dev.dropstream.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives syslog over TCP: one thread and a selector serve every connection, each with its own
 * {@link SyslogFramer} (octet counting or newline framing, per frame). At most {@code maxConnections} are open
 * at once; one more is closed at once (and logged). A connection's end, a reset or any error closes that
 * connection only; the last message of a connection that ends without its newline is kept.
 */
final class TcpReceiver implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpReceiver.class);
    private static final long REFUSED_LOG_EVERY_MILLIS = 60_000;

    private final ServerSocketChannel server;
    private final Selector selector;
    private final int maxConnections;
    private final int maxLine;
    private final Counters counters;
    private final NetworkSources.Intake intake;
    private final Thread thread;
    private volatile boolean running = true;
    private int open;
    private long nextRefusedLog;

    /** One connection: its sender and its framing state. */
    private final class Connection implements SyslogFramer.Messages {
        final Peer peer;
        final SyslogFramer framer = new SyslogFramer(maxLine, counters);

        Connection(Peer peer) {
            this.peer = peer;
        }

        @Override
        public void message(byte[] bytes, int off, int len, boolean cut) {
            intake.message(peer, bytes, off, len, cut);
        }
    }

    private TcpReceiver(ServerSocketChannel server, Selector selector, int maxConnections, int maxLine,
            Counters counters, NetworkSources.Intake intake) {
        this.server = server;
        this.selector = selector;
        this.maxConnections = maxConnections;
        this.maxLine = maxLine;
        this.counters = counters;
        this.intake = intake;
        this.thread = new Thread(this::run, "dropstream-syslog-tcp");
        thread.setDaemon(true);
    }

    static TcpReceiver bind(InetSocketAddress at, int maxConnections, int maxLine, Counters counters,
            NetworkSources.Intake intake) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        Selector selector = null;
        try {
            server.bind(at, 128);
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
            return new TcpReceiver(server, selector, maxConnections, maxLine, counters, intake);
        } catch (IOException | RuntimeException e) {
            server.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) server.getLocalAddress();
    }

    void start() {
        thread.start();
    }

    private void run() {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try {
            while (running) {
                selector.select();
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else if (key.isReadable()) {
                        read(key, buf);
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) {
                LOG.error("the syslog TCP receiver stopped ({})", e.toString());
            }
        } finally {
            closeConnections();
        }
    }

    private void accept() throws IOException {
        SocketChannel c;
        try {
            c = server.accept();
        } catch (IOException e) {
            // Out of file descriptors, say: this connection waits in the backlog, the receiver goes on.
            refused("accepting a syslog TCP connection failed (" + e + ")");
            return;
        }
        if (c == null) {
            return;
        }
        if (open >= maxConnections) {
            c.close();
            refused(open + " syslog TCP connections are open, the most allowed; new ones are closed");
            return;
        }
        try {
            c.configureBlocking(false);
            c.register(selector, SelectionKey.OP_READ, new Connection(Peer.of("tcp", (InetSocketAddress) c.getRemoteAddress())));
            open++;
        } catch (IOException e) {
            c.close();
        }
    }

    /** Logs why a connection was not taken, once a minute at most. */
    private void refused(String why) {
        long now = System.currentTimeMillis();
        if (now >= nextRefusedLog) {
            LOG.warn("{}", why);
            nextRefusedLog = now + REFUSED_LOG_EVERY_MILLIS;
        }
    }

    private void read(SelectionKey key, ByteBuffer buf) {
        Connection conn = (Connection) key.attachment();
        SocketChannel c = (SocketChannel) key.channel();
        buf.clear();
        int n;
        try {
            n = c.read(buf);
        } catch (IOException e) {
            n = -1;   // reset by the peer: the same as its end
        }
        try {
            if (n < 0) {
                conn.framer.end(conn);
                close(key);
            } else if (n > 0) {
                conn.framer.feed(buf.array(), 0, n, conn);
            }
        } catch (RuntimeException e) {
            // A bug, not the input: the framer takes any bytes. Lose this connection, not the receiver.
            LOG.error("closing the syslog connection from {} after an error", conn.peer.source(), e);
            close(key);
        }
    }

    private void close(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            // Closed either way.
        }
        open--;
    }

    private void closeConnections() {
        try {
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof Connection conn) {
                    conn.framer.end(conn);
                }
                key.channel().close();
            }
            selector.close();
        } catch (IOException | ClosedSelectorException e) {
            // Closing anyway.
        }
    }

    /** Stops accepting and reading; a message a connection had not finished is kept. */
    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            closeConnections();   // when it never started; a no-op after the thread did it
        }
        server.close();
    }
}
