package dev.dropstream.cli;

import dev.dropstream.broker.BrokerStartException;
import dev.dropstream.broker.EmbeddedKafka;
import dev.dropstream.cli.demo.DemoFeed;
import dev.dropstream.ingest.Shipper;
import dev.dropstream.query.QueryServer;
import dev.dropstream.query.QuerySettings;
import dev.dropstream.streams.DropstreamApp;
import dev.dropstream.streams.StreamsAppConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pieces of {@code dropstream up}, started one after the other and stopped in the reverse order: the demo
 * stops writing, the shipper sends what it read and saves its checkpoints, the query server stops answering, the
 * topology commits and closes, and the broker stops last. A piece that fails to start stops those already running.
 */
final class UpStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UpStack.class);
    private static final Duration SHIPPER_STOP_WAIT = Duration.ofSeconds(30);

    private final Path dir;
    private final Thread owner = Thread.currentThread();
    private BrokerLog brokerLog;
    private EmbeddedKafka kafka;
    private DropstreamApp app;
    private QueryServer query;
    private DemoFeed demo;
    private Shipper shipper;
    private Thread shipperThread;
    private volatile Exception failure;
    private boolean closed;

    UpStack(Path dir) {
        this.dir = dir;
    }

    /** The broker on 127.0.0.1 (port 0: a free one), its data in {@code DIR/kafka}, its log in {@code DIR/logs}. */
    void startBroker(int port) {
        brokerLog = BrokerLog.into(DataDirs.usable(dir.resolve("logs")));
        kafka = EmbeddedKafka.builder(dir.resolve("kafka")).listenAddress("127.0.0.1").port(port).build();
        FatalBrokerExit.install(brokerLog.file());
        try {
            kafka.start();
        } catch (BrokerStartException e) {
            throw new UserError(e.getMessage() + " (broker log: " + brokerLog.file() + ")", e);
        }
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Creates the input topic when it is new, then starts the topology. */
    void startStreams(StreamsAppConfig config, Path stateDir) {
        try {
            Shipper.ensureTopic(Map.of("bootstrap.servers", bootstrapServers()), config.get("topics.raw"),
                    Duration.ofSeconds(10));
            app = DropstreamApp.start(config, stateDir);
        } catch (IllegalStateException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /**
     * Binds the query API's address first of all, so that a taken port is said before anything else starts;
     * returns the {@code application.server} the topology must run with (null: a wildcard, a fleet of one).
     */
    String bindQuery(QuerySettings settings) {
        try {
            query = QueryServer.bind(settings);
        } catch (IllegalStateException e) {
            throw new UserError(e.getMessage() + "; give another --listen HOST:PORT, or :0 for any free port", e);
        }
        return query.applicationServer();
    }

    /** The API answers from the topology's stores from now on (503 until then). */
    void serveQuery() {
        query.serve(app.streams(), null);
    }

    URI dashboardUrl() {
        return query.baseUri();
    }

    DemoFeed startDemo(Path file, int linesPerSecond, int hosts) {
        try {
            demo = DemoFeed.start(file, linesPerSecond, hosts);
            return demo;
        } catch (UncheckedIOException e) {
            throw new UserError(e.getMessage() + " (" + e.getCause().getMessage() + ")", e);
        }
    }

    /**
     * Follows {@code files} (and the journal) on a thread of its own; when the shipper fails, the thread that
     * started it is interrupted, which stops everything, and {@link #rethrowFailure} says why.
     */
    void startShipper(List<String> files, boolean journald, String topic) throws IOException {
        Shipper.Settings s = new Shipper.Settings(files, Map.of("bootstrap.servers", bootstrapServers()), topic,
                dir.resolve("ship.checkpoints"), InetAddress.getLocalHost().getHostName(), true, 65_536,
                Duration.ofMillis(200), Duration.ofMinutes(5), false);
        try {
            shipper = new Shipper(s);
            if (journald) {
                shipper.addJournald(dir.resolve("ship.journald.cursor"));
            }
        } catch (IllegalStateException | UncheckedIOException e) {
            throw new UserError(e.getMessage(), e);
        }
        shipperThread = new Thread(() -> {
            try {
                shipper.run();
            } catch (IOException | RuntimeException e) {
                failure = e;
                owner.interrupt();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "dropstream-up-shipper");
        shipperThread.start();
    }

    /** Throws, as one sentence, what stopped the shipper, if it was not Ctrl-C. */
    void rethrowFailure() {
        Exception f = failure;
        if (f != null) {
            throw new UserError("the shipper stopped: " + f.getMessage(), f);
        }
    }

    /** Stops what runs, in order; idempotent (Ctrl-C's hook and the command's own exit both call it). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (demo != null) {
            demo.close();
        }
        if (shipper != null) {
            stopShipper();
        }
        if (query != null) {
            query.close();
        }
        if (app != null) {
            app.close();   // leaves the group, so the next start takes its partitions at once
        }
        if (kafka != null) {
            kafka.stop();
            FatalBrokerExit.uninstall();
        }
        if (brokerLog != null) {
            brokerLog.close();
        }
    }

    private void stopShipper() {
        shipper.stop();
        try {
            shipperThread.join(SHIPPER_STOP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (shipperThread.isAlive()) {
            LOG.warn("the shipper did not stop within {} s; what it did not save is read again on the next start",
                    SHIPPER_STOP_WAIT.toSeconds());
        }
        shipper.close();
    }
}
