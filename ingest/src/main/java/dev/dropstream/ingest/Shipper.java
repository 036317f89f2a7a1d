package dev.dropstream.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code dropstream ship}: follows files (or reads standard input) and receives syslog over UDP and TCP, and
 * sends every line to the raw topic, checkpointing each file's acknowledged position. A restart, also after
 * {@code kill -9}, resumes from the checkpoints: no line is lost, and only lines that were in flight are sent
 * twice (with the same {@value KafkaLineSink#LINE} header). A broker outage only pauses it; network messages wait
 * in memory and then in the spool meanwhile ({@link NetworkSources}). Optionally serves its counters for
 * Prometheus ({@link ShipperMetrics}).
 */
public final class Shipper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Shipper.class);
    /** How long a stop waits for Kafka's acknowledgements, at most. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

    /**
     * What to ship and where; {@code once}: read the files to their end, then stop (no following);
     * {@code readCompressed}: also read the {@code *.gz} rotations the paths name, once each.
     */
    public record Settings(List<String> paths, Map<String, Object> clientConfig, String topic, Path checkpointFile,
            String host, boolean onlyNetfilter, int maxLineBytes, Duration poll, Duration statsEvery, boolean once,
            boolean readCompressed) {
        public Settings {
            Objects.requireNonNull(paths, "paths");
            Objects.requireNonNull(topic, "topic");
            if (maxLineBytes < 256) {
                throw new IllegalArgumentException("the line limit must be at least 256 bytes");
            }
        }

        /** Compressed rotations skipped. */
        public Settings(List<String> paths, Map<String, Object> clientConfig, String topic, Path checkpointFile,
                String host, boolean onlyNetfilter, int maxLineBytes, Duration poll, Duration statsEvery, boolean once) {
            this(paths, clientConfig, topic, checkpointFile, host, onlyNetfilter, maxLineBytes, poll, statsEvery, once,
                    false);
        }
    }

    private final Settings settings;
    private final Counters counters = new Counters();
    private final Checkpoints checkpoints;
    private final KafkaLineSink sink;
    private final NetworkSources network;
    private final InetSocketAddress metricsAt;
    private ShipperMetrics metrics;
    private boolean listening;
    /** When a stop gives up waiting for acknowledgements (0: not stopping). */
    private long finishBy;
    private boolean closed;
    private volatile boolean running = true;
    private volatile boolean abandoned;
    private final KernelSources kernel = new KernelSources();

    public Shipper(Settings settings) {
        this(settings, null, null);
    }

    /**
     * A shipper that also receives syslog ({@code network}, or null) and serves {@code /metrics} on
     * {@code metricsAt} (or null); both start with {@link #listen()}. Opens the spool, which a second process
     * cannot use at the same time.
     */
    public Shipper(Settings settings, NetworkSettings network, InetSocketAddress metricsAt) {
        this.settings = settings;
        this.checkpoints = settings.checkpointFile() == null ? Checkpoints.none()
                : Checkpoints.load(settings.checkpointFile());
        this.metricsAt = metricsAt;
        this.network = network == null ? null : new NetworkSources(network, settings.maxLineBytes(), counters);
        try {
            this.sink = new KafkaLineSink(settings.clientConfig(), settings.topic(), settings.host(),
                    settings.onlyNetfilter(), counters);
        } catch (RuntimeException e) {
            if (this.network != null) {
                this.network.close();
            }
            throw e;
        }
    }

    /**
     * Checks that the topic exists (creating it when it does not), waiting for the broker as long as it takes.
     * Throws {@link IllegalStateException} with one sentence when the topic is missing and may not be created.
     */
    public static void ensureTopic(Map<String, Object> clientConfig, String topic, Duration waitLogEvery) {
        Map<String, Object> admin = new java.util.HashMap<>(clientConfig);
        admin.keySet().retainAll(AdminClientConfig.configNames());
        long next = 0;
        try (Admin a = Admin.create(admin)) {
            while (true) {
                try {
                    a.describeTopics(Set.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        create(a, topic);
                        return;
                    }
                    if (e.getCause() instanceof AuthorizationException) {
                        throw new IllegalStateException("this user may not see the topic " + topic + " ("
                                + e.getCause().getMessage() + ")", e);
                    }
                } catch (java.util.concurrent.TimeoutException e) {
                    // Kafka is not there (yet): keep waiting, a shipper never gives up on an outage.
                }
                if (System.currentTimeMillis() >= next) {
                    LOG.warn("Kafka at {} does not answer; waiting", clientConfig.get("bootstrap.servers"));
                    next = System.currentTimeMillis() + waitLogEvery.toMillis();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    private static void create(Admin a, String topic) throws InterruptedException {
        try {
            a.createTopics(List.of(new NewTopic(topic, java.util.Optional.empty(), java.util.Optional.empty())))
                    .all().get(30, TimeUnit.SECONDS);
            LOG.info("created the topic {}", topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return;
            }
            if (e.getCause() instanceof AuthorizationException) {
                throw new IllegalStateException("the topic " + topic + " does not exist and this user may not create it", e);
            }
            throw new IllegalStateException("cannot create the topic " + topic + ": " + e.getCause().getMessage(), e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not create the topic " + topic + " in time", e);
        }
    }

    /**
     * Starts the syslog receivers (they queue what arrives until Kafka takes it, also before the run loop starts)
     * and the metrics endpoint. Idempotent; the run methods call it. Throws {@link IllegalStateException} with one
     * sentence when an address cannot be listened on (in use, not this machine's, not permitted).
     */
    public synchronized void listen() {
        if (listening) {
            return;
        }
        listening = true;
        if (metricsAt != null) {
            metrics = new ShipperMetrics(counters);
            try {
                metrics.serve(metricsAt);
            } catch (IOException e) {
                throw new IllegalStateException("cannot serve metrics on " + metricsAt.getHostString() + ":"
                        + metricsAt.getPort() + " (" + e.getMessage() + ")", e);
            }
            LOG.info("serving metrics on http://{}:{}/metrics", metricsAt.getHostString(), metrics.address().getPort());
        }
        if (network != null) {
            network.start(sink);
        }
    }

    /**
     * Follows the files (there may be none) and keeps the syslog receivers running until {@link #stop()};
     * checkpoints are saved every second and on the way out.
     */
    public void runFiles() throws IOException, InterruptedException {
        listen();
        long nextSave = 0;
        long nextStats = System.currentTimeMillis() + settings.statsEvery().toMillis();
        long backoff = settings.poll().toMillis();
        try (FileFollower follower = new FileFollower(settings.paths(), settings.maxLineBytes(),
                settings.readCompressed(), checkpoints, counters)) {
            while (running) {
                failOnFatal();
                boolean ok = follower.poll(sink);
                if (settings.once() && ok && follower.behind() == 0) {
                    // --once: everything there was has been read; wait for its acknowledgement and stop.
                    sink.flush();
                    failOnFatal();
                    running = false;
                    break;
                }
                long now = System.currentTimeMillis();
                if (now >= nextSave) {
                    checkpoints.save();
                    counters.behindByFile = follower.behindByFile();
                    nextSave = now + 1000;
                }
                if (now >= nextStats) {
                    LOG.info("{}", counters.summary(follower.behind(), network != null));
                    nextStats = now + settings.statsEvery().toMillis();
                }
                // Kafka refused a line (away, or a full buffer): wait longer each time, up to 5 s.
                backoff = ok ? settings.poll().toMillis() : Math.min(5000, backoff * 2);
                Thread.sleep(backoff);
            }
            if (abandoned) {
                return;
            }
            if (network != null) {
                network.stop();
            }
            awaitSent();
            long unanswered = follower.awaitAnswers(finishBy());
            if (unanswered > 0) {
                LOG.info("{} lines of files were not acknowledged before the shutdown; they will be read again",
                        unanswered);
            }
            checkpoints.save();
            LOG.info("{}", counters.summary(follower.behind(), network != null));
        }
    }

    /** The producer settings the shipper uses (its defaults, then {@code clientConfig}), for comparisons. */
    public static java.util.Properties producerSettings(Map<String, Object> clientConfig) {
        return KafkaLineSink.producerConfig(clientConfig);
    }

    /** Lines Kafka has acknowledged so far. */
    public long acknowledged() {
        return counters.acked.sum();
    }

    /** Sends standard input line by line until its end, then waits for every acknowledgement. */
    public void runStream(InputStream in, String source) throws IOException, InterruptedException {
        listen();
        StreamLines lines = new StreamLines(in, settings.maxLineBytes(), counters);
        while (running && lines.next()) {
            while (!sink.offer(lines.bytes(), 0, lines.length(), source, null, lines.cut(), () -> { })) {
                failOnFatal();
                Thread.sleep(200);
            }
            counters.read.increment();
        }
        sink.flush();
        failOnFatal();
        LOG.info("{}", counters.summary(0, network != null));
    }

    /** Throws an {@link IllegalStateException} with one sentence where {@code --kmsg} cannot read /dev/kmsg. */
    public static void requireKmsg() {
        KmsgSource.requireReadable();
    }

    /** Throws an {@link IllegalStateException} with one sentence where {@code --journald} has no journalctl. */
    public static void requireJournald() {
        JournaldSource.requireJournalctl();
    }

    /** Also ships /dev/kmsg (see {@link KmsgSource}), its checkpoint in {@code checkpointFile}; before {@link #run()}. */
    public void addKmsg(Path checkpointFile) {
        kernel.add(KmsgSource.open(checkpointFile, settings.host(), settings.maxLineBytes(), counters));
    }

    /** Also ships journald's kernel records (see {@link JournaldSource}), its cursor in {@code cursorFile}. */
    public void addJournald(Path cursorFile) {
        kernel.add(JournaldSource.open(cursorFile, settings.host(), settings.maxLineBytes(), counters));
    }

    void addKernelSource(KernelSource source) {
        kernel.add(source);
    }

    /**
     * Runs the kernel sources, each in its own thread, beside the files ({@link #runFiles()}) until {@link #stop()};
     * then stops them, waits for every acknowledgement and saves their checkpoints. A kernel source that fails
     * (Kafka refused the shipper) stops the shipper, and its error is thrown here.
     */
    public void run() throws IOException, InterruptedException {
        listen();
        kernel.start(sink, this::stop);
        boolean done = false;
        try {
            runFiles();
            done = true;
        } finally {
            kernel.stop();
            if (network != null) {
                network.stop();
            }
            if (!abandoned) {
                if (done) {
                    awaitSent();
                }
                kernel.save();
            }
        }
        if (kernel.failure() != null) {
            throw kernel.failure();
        }
    }

    /**
     * Waits for Kafka to acknowledge what the producer holds, ten seconds at most over the whole shutdown: while
     * Kafka is away a stop must not hang. What is not acknowledged by then is read again (files, kernel sources,
     * from their checkpoints) or kept in the spool (network messages) by {@link #close()}.
     */
    private void awaitSent() throws InterruptedException {
        sink.awaitSent(finishBy());
    }

    private synchronized long finishBy() {
        if (finishBy == 0) {
            finishBy = System.currentTimeMillis() + SHUTDOWN_WAIT.toMillis();
        }
        return finishBy;
    }

    private void failOnFatal() {
        RuntimeException f = sink.fatal();
        if (f == null && network != null) {
            f = network.fatal();
        }
        if (f != null) {
            throw f;
        }
    }

    public void stop() {
        running = false;
    }

    /** For tests of a crash: the loop stops with no last checkpoint and the producer drops what it holds. */
    void abandon() {
        running = false;
        abandoned = true;
    }

    Counters counters() {
        return counters;
    }

    /** Where the syslog receivers listen (the port chosen when 0 was asked for); null for one not configured. */
    public InetSocketAddress udpAddress() {
        return network == null ? null : network.udpAddress();
    }

    public InetSocketAddress tcpAddress() {
        return network == null ? null : network.tcpAddress();
    }

    public InetSocketAddress metricsAddress() {
        return metrics == null ? null : metrics.address();
    }

    /**
     * Stops every source, closes the producer (waiting for acknowledgements until the shutdown's ten seconds are
     * up), keeps in the spool what network sources still held in memory, and stops serving metrics. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (network != null) {
            network.stop();
        }
        try {
            kernel.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (abandoned) {
            sink.closeNow();
        } else {
            sink.close(Duration.ofMillis(Math.max(0, finishBy() - System.currentTimeMillis())));
        }
        if (network != null) {
            if (!abandoned) {
                network.spill();
            }
            network.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }
}
