package dev.dropstream.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft, combined broker and controller) running inside this JVM through
 * Kafka's own {@link KafkaRaftServer}. It reads and writes only its data directory: the storage is
 * formatted there on the first start and reused on every later one, so topics, records and committed
 * offsets survive {@link #stop()} / {@link #start()} and a restart of the process.
 *
 * <p>The ports are chosen on the first start (free loopback ports unless given) and kept for the life
 * of this object, so clients configured with {@link #bootstrapServers()} reconnect after a
 * {@link #restart()}. Start, stop and restart are synchronized, so a shutdown hook may stop it safely.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    /** How long {@link #start()} waits for the broker to accept requests. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final String listenAddress;
    private final String advertisedHostAsked;
    private String advertisedHost;
    private final Map<String, String> overrides;
    private int port;
    private int controllerPort;
    private KafkaRaftServer server;

    private EmbeddedKafka(Builder b) {
        this.dataDir = b.dataDir.toAbsolutePath();
        this.listenAddress = b.listenAddress;
        this.advertisedHostAsked = b.advertisedHost;
        this.overrides = Map.copyOf(b.overrides);
        this.port = b.port;
        this.controllerPort = b.controllerPort;
    }

    /** A broker whose Kafka log directory (records, metadata log, meta.properties) is {@code dataDir}. */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /**
     * Formats the data directory if it has never been formatted, then starts the broker and returns
     * once it answers requests on {@link #bootstrapServers()}.
     *
     * @throws BrokerStartException when the directory is unusable, a port is taken or the broker fails
     */
    public synchronized EmbeddedKafka start() {
        if (server != null) {
            return this;
        }
        prepareDataDir();
        if (advertisedHost == null) {
            advertisedHost = advertisedHostAsked != null ? advertisedHostAsked : Listeners.advertisedHost(listenAddress);
        }
        port = Listeners.bindable(listenAddress, port);
        controllerPort = Listeners.bindable(Listeners.LOOPBACK, controllerPort);
        Properties props = BrokerProperties.of(dataDir, listenAddress, advertisedHost, port, controllerPort, overrides);
        if (!KraftStorage.isFormatted(dataDir)) {
            KraftStorage.format(dataDir, props);
        }
        KafkaRaftServer s = null;
        try {
            s = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
            s.startup();
        } catch (RuntimeException e) {
            if (s != null) {
                // Whatever part of the server did start holds threads and the directory lock.
                s.shutdown();
            }
            throw new BrokerStartException("the Kafka broker in " + dataDir + " did not start: " + rootMessage(e), e);
        }
        server = s;
        try {
            Readiness.await(bootstrapServers(), READY_TIMEOUT);
        } catch (RuntimeException e) {
            stop();
            throw new BrokerStartException("the Kafka broker in " + dataDir + " did not become ready within "
                    + READY_TIMEOUT.toSeconds() + " s", e);
        }
        LOG.info("Kafka broker ready on {} (data in {})", bootstrapServers(), dataDir);
        return this;
    }

    /** Shuts the broker down cleanly (its log is flushed) and waits for it; does nothing if stopped. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        KafkaRaftServer s = server;
        server = null;
        s.shutdown();
        s.awaitShutdown();
        LOG.info("Kafka broker on {} stopped", bootstrapServers());
    }

    /** Stops and starts again with the same data directory and the same ports. */
    public synchronized void restart() {
        stop();
        start();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * The {@code host:port} clients connect to. Known once the broker has started; it stays the same
     * across restarts of this object.
     */
    public synchronized String bootstrapServers() {
        if (port == 0) {
            throw new IllegalStateException("the broker has not been started yet");
        }
        return Listeners.hostPort(advertisedHost, port);
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        stop();
    }

    private void prepareDataDir() {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new BrokerStartException("cannot create the broker data directory " + dataDir + ": "
                    + rootMessage(e), e);
        }
        if (!Files.isDirectory(dataDir) || !Files.isWritable(dataDir)) {
            throw new BrokerStartException("the broker data directory " + dataDir + " is not a writable directory");
        }
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    /** What to start; {@link #build()} starts nothing. */
    public static final class Builder {
        private final Path dataDir;
        private String listenAddress = Listeners.LOOPBACK;
        private String advertisedHost;
        private int port;
        private int controllerPort;
        private final Map<String, String> overrides = new HashMap<>();

        private Builder(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        }

        /** The address the client listener binds to; loopback by default. The controller stays on loopback. */
        public Builder listenAddress(String address) {
            this.listenAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The host name clients are told to connect to; the listen address (or this host's name for a wildcard) by default. */
        public Builder advertisedHost(String host) {
            this.advertisedHost = host;
            return this;
        }

        /** The client port; 0 (the default) picks a free one on the first start. */
        public Builder port(int port) {
            this.port = Listeners.checkPort(port);
            return this;
        }

        /** The controller's port; 0 (the default) picks a free one on the first start. */
        public Builder controllerPort(int port) {
            this.controllerPort = Listeners.checkPort(port);
            return this;
        }

        /** Any broker setting, applied over Dropstream's defaults (see {@link BrokerProperties}). */
        public Builder property(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public EmbeddedKafka build() {
            return new EmbeddedKafka(this);
        }
    }
}
