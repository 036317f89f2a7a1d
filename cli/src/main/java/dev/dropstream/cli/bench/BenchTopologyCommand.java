package dev.dropstream.cli.bench;

import dev.dropstream.broker.BrokerStartException;
import dev.dropstream.broker.EmbeddedKafka;
import dev.dropstream.cli.UserError;
import dev.dropstream.streams.DropstreamApp;
import dev.dropstream.streams.StreamsAppConfig;
import dev.dropstream.streams.TopologySettings;
import dev.dropstream.topics.TopicCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dropstream bench topology}: how fast the full Dropstream topology gets through realistic input, against
 * a minimal stateful topology on the same input, in one run.
 *
 * <ol>
 * <li>Starts an embedded broker in a temporary folder (unless {@code --bootstrap-servers} names one), and has it
 * create its offsets and transaction-state topics.</li>
 * <li>Produces {@code --lines} corpus lines ({@link BenchInput}) into a fresh input topic, and a smaller warm-up
 * input into another, before any timing.</li>
 * <li>Runs each topology once over the warm-up input, untimed, so that the JIT has compiled both.</li>
 * <li>Starts the full topology the way {@code dropstream streams} does ({@link StreamsAppConfig},
 * {@link DropstreamApp}: exactly-once by default), with a fresh application id and state folder, and measures
 * from the start until its consumer group has committed the whole input and read its repartition topics to the
 * end ({@link Completion}); then closes it.</li>
 * <li>Does the same with {@link MinimalTopology}, with the same Kafka Streams settings and the same input.</li>
 * <li>Prints lines/s of each and their ratio; removes every topic, group and folder it created.</li>
 * </ol>
 */
@Command(name = "topology", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures the full Dropstream topology end to end against a minimal windowed count on the same "
                + "input, exactly-once on: produces N realistic lines into a broker first, then times each topology from "
                + "its start until it has processed and committed all of them, and prints lines/s and the ratio.",
            "The table goes to stdout (JSON with --json); progress and the input's make-up go to stderr."})
public final class BenchTopologyCommand implements Callable<Integer> {
    /** A run that commits nothing new for this long has failed. */
    private static final Duration STALL = Duration.ofSeconds(120);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);
    private static final long DEFAULT_WARM_UP = 50_000;
    private static final CloseOptions LEAVE_GROUP = CloseOptions
            .groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30));

    @Spec
    CommandSpec spec;

    @Option(names = "--lines", paramLabel = "N", defaultValue = "1000000",
            description = "Lines to produce and process (default: ${DEFAULT-VALUE}).")
    long lines;

    @Option(names = "--hosts", paramLabel = "H", defaultValue = "50",
            description = "Hosts the lines come from; each line is keyed by its host (default: ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "--partitions", paramLabel = "P", defaultValue = "2",
            description = "Partitions of the input topic, and so of every topic and task (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "A Kafka cluster to use (default: an embedded broker in a temporary folder, removed afterwards).")
    String bootstrapServers;

    @Option(names = "--unbalanced",
            description = "Name the hosts host-01 to host-H whatever partition they hash to, instead of spreading them "
                    + "evenly over the partitions (at 2 partitions, 17 and 33 of 50).")
    boolean unbalanced;

    @Option(names = "--corpus", paramLabel = "DIR", defaultValue = "../shared/corpus",
            description = "The folder of real lines (*.log); a relative path is also tried from each folder above the "
                    + "working directory (default: ${DEFAULT-VALUE}).")
    String corpus;

    @Option(names = "--non-netfilter-percent", paramLabel = "PCT", defaultValue = "10",
            description = "Share of lines that are other kernel or daemon messages, which the full topology parses and "
                    + "drops (default: ${DEFAULT-VALUE}).")
    int nonNetfilterPercent;

    @Option(names = "--event-rate", paramLabel = "LINES", defaultValue = "1000",
            description = "Lines per second of event time across the fleet; the input spans lines / rate seconds "
                    + "(default: ${DEFAULT-VALUE}).")
    int eventRate;

    @Option(names = "--warm-up", paramLabel = "LINES",
            description = "Lines each topology processes once, untimed, before the measured runs, so that JIT "
                    + "compilation is not measured; 0 for none (default: the smaller of 50000 and --lines).")
    Long warmUp;

    /** The warm-up asked for, else the default. */
    private long warmUpLines;

    @Option(names = "--runs", paramLabel = "R", defaultValue = "1",
            description = "Measure each topology R times, alternating (full, minimal, full, ...); the ratio uses medians "
                    + "(default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A properties file of settings for both topologies, as for 'dropstream streams'.")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Any setting for both topologies, Dropstream's or Kafka's; repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print the results as JSON instead of a table.")
    boolean json;

    private PrintWriter err;

    @Override
    public Integer call() throws Exception {
        validate();
        Path corpusRoot = BenchInput.locate(corpus).orElseThrow(() -> new UserError("the corpus folder " + corpus
                + " was not found from " + Path.of("").toAbsolutePath() + " or any folder above it; give --corpus DIR"));
        BenchInput input = BenchInput.load(corpusRoot);
        if (input.lines() == 0) {
            throw new UserError("the corpus folder " + corpusRoot + " has no lines in *.log files");
        }
        if (configFile != null && !Files.isReadable(configFile)) {
            throw new UserError("the configuration file " + configFile + " cannot be read");
        }
        err = spec.commandLine().getErr();
        String base = "dropstream-bench-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Path work = Files.createTempDirectory("dropstream-bench-");
        EmbeddedKafka kafka = null;
        List<String> appIds = new ArrayList<>();
        Admin admin = null;
        Session session = null;
        QuietLoggers quietBroker = null;
        try {
            String bootstrap = bootstrapServers;
            if (bootstrap == null) {
                quietBroker = QuietLoggers.atWarn("kafka", "state.change.logger");
                kafka = EmbeddedKafka.builder(work.resolve("kafka")).build();
                try {
                    kafka.start();
                } catch (BrokerStartException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                bootstrap = kafka.bootstrapServers();
                say("embedded Kafka broker on %s (data in %s)", bootstrap, work.resolve("kafka"));
            }
            session = new Session(base, bootstrap, work, appIds);
            admin = Admin.create(session.clientProperties(AdminClientConfig.configNames(), "admin."));
            BenchReport report = session.measure(admin, input);
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? report.json() : report.table());
            out.flush();
            return 0;
        } finally {
            if (admin != null) {
                if (kafka == null && session != null) {
                    session.deleteWhatWasCreated(admin);
                }
                admin.close(Duration.ofSeconds(10));
            }
            if (kafka != null) {
                kafka.stop();
            }
            if (quietBroker != null) {
                quietBroker.close();
            }
            deleteTree(work);
        }
    }

    private void validate() {
        if (lines < 1) {
            throw new ParameterException(spec.commandLine(), "--lines must be at least 1, not " + lines);
        }
        if (hosts < 1) {
            throw new ParameterException(spec.commandLine(), "--hosts must be at least 1, not " + hosts);
        }
        if (partitions < 1) {
            throw new ParameterException(spec.commandLine(), "--partitions must be at least 1, not " + partitions);
        }
        if (warmUp != null && warmUp < 0) {
            throw new ParameterException(spec.commandLine(), "--warm-up must not be negative, not " + warmUp);
        }
        warmUpLines = warmUp != null ? warmUp : Math.min(DEFAULT_WARM_UP, lines);
        if (runs < 1) {
            throw new ParameterException(spec.commandLine(), "--runs must be at least 1, not " + runs);
        }
        if (eventRate < 1 || eventRate > 1_000_000) {
            throw new ParameterException(spec.commandLine(), "--event-rate must be between 1 and 1000000, not "
                    + eventRate);
        }
        if (nonNetfilterPercent < 0 || nonNetfilterPercent > 100) {
            throw new ParameterException(spec.commandLine(), "--non-netfilter-percent must be between 0 and 100, not "
                    + nonNetfilterPercent);
        }
    }

    private void say(String format, Object... args) {
        err.println("dropstream bench: " + String.format(Locale.ROOT, format, args));
        err.flush();
    }

    /** One invocation of the benchmark: its names, its configuration and what it created. */
    private final class Session {
        private final String base;
        private final String bootstrap;
        private final Path work;
        private final List<String> appIds;
        private final Map<String, String> flags = new LinkedHashMap<>();
        private final StreamsAppConfig config;
        private final TopicCatalog topics;
        private final String minimalOutput;
        private final String brokerWarmUp;
        private final String warmUpInput;

        Session(String base, String bootstrap, Path work, List<String> appIds) {
            this.base = base;
            this.bootstrap = bootstrap;
            this.work = work;
            this.appIds = appIds;
            flags.putAll(settings);
            // The bench's own names win over every other source, so it never touches an existing deployment's topics.
            flags.put("bootstrap.servers", bootstrap);
            flags.put("schema.registry.url", "mock://" + base);
            TopicCatalog.NAME_KEYS.forEach((key, name) -> flags.put(key, base + "." + name));
            this.config = load(base + "-check", work.resolve("state"), base + "." + TopicCatalog.NAME_KEYS.get("topics.raw"));
            this.topics = TopicCatalog.create(config.serdeConfig());
            this.minimalOutput = base + ".minimal.counts";
            this.brokerWarmUp = base + ".broker-warm-up";
            this.warmUpInput = base + ".warm-up.raw";
        }

        private StreamsAppConfig load(String applicationId, Path stateDir, String input) {
            Map<String, String> f = new LinkedHashMap<>(flags);
            f.put("topics.raw", input);
            f.put("application.id", applicationId);
            f.put("state.dir", stateDir.toString());
            try {
                return StreamsAppConfig.load(configFile, System.getenv(), f);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage(), e);
            }
        }

        /** The client settings of the configuration (security and the like) for an admin client or a producer. */
        Map<String, Object> clientProperties(Set<String> names, String prefix) {
            Map<String, Object> m = new HashMap<>();
            config.streamsProperties(work).forEach((k, v) -> {
                String key = k.toString();
                if (names.contains(key)) {
                    m.put(key, v);
                } else if (key.startsWith(prefix)) {
                    m.put(key.substring(prefix.length()), v);
                }
            });
            m.put("bootstrap.servers", bootstrap);
            return m;
        }

        BenchReport measure(Admin admin, BenchInput input) throws Exception {
            say("corpus %s: %d files, %,d lines", input.root(), input.files(), input.lines());
            createTopics(admin);
            warmUpBroker(admin);
            Source measured = produce(admin, input, topics.raw().name(), lines);
            Source warm = warmUpLines > 0 ? produce(admin, input, warmUpInput, warmUpLines) : null;
            Properties sample = config.streamsProperties(work);
            StreamsConfig effective = new StreamsConfig(sample);
            BenchReport.Settings s = new BenchReport.Settings(effective.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG),
                    effective.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG),
                    effective.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG),
                    effective.getLong(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG), warmUpLines);
            say("both topologies: processing.guarantee %s, commit.interval.ms %d%s, %d stream thread(s), "
                    + "statestore.cache.max.bytes %d, rocksdb.memory.bytes %s", s.processingGuarantee(),
                    s.commitIntervalMs(), sample.containsKey(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG) ? ""
                            : " (Kafka Streams' default" + (s.processingGuarantee().startsWith("exactly_once")
                                    ? " under exactly-once)" : ")"),
                    s.streamThreads(), s.cacheMaxBytes(), config.get("rocksdb.memory.bytes"));
            if (warm != null) {
                // Untimed: the JIT compiles the hot paths of both topologies (and of Kafka Streams itself) here, so
                // that neither measured run pays for it, whichever goes first.
                full(admin, warm, "warm-up");
                minimal(admin, warm, "warm-up");
            }
            BenchReport report = new BenchReport(measured.input(), s);
            for (int r = 1; r <= runs; r++) {
                report.add(full(admin, measured, Integer.toString(r)));
                report.add(minimal(admin, measured, Integer.toString(r)));
            }
            return report;
        }

        private void createTopics(Admin admin) throws Exception {
            Optional<Short> rf = config.replicationFactor() > 0 ? Optional.of(config.replicationFactor()) : Optional.empty();
            List<NewTopic> create = new ArrayList<>();
            create.add(new NewTopic(topics.raw().name(), Optional.of(partitions), rf));
            if (warmUpLines > 0) {
                create.add(new NewTopic(warmUpInput, Optional.of(partitions), rf));
            }
            // The full topology's outputs and the minimal one's, made now so that neither start is charged for it.
            topics.outputs().forEach(t -> create.add(new NewTopic(t.name(), Optional.of(partitions), rf)));
            create.add(new NewTopic(minimalOutput, Optional.of(partitions), rf));
            create.add(new NewTopic(brokerWarmUp, Optional.of(1), rf));
            admin.createTopics(create).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }

        /**
         * Has the broker create its offsets and transaction-state topics now (one transaction, one committed
         * offset), so that the first application started on a fresh broker is not charged for them.
         */
        private void warmUpBroker(Admin admin) throws Exception {
            Map<String, Object> props = clientProperties(ProducerConfig.configNames(), "producer.");
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, base + "-broker-warm-up");
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                    new ByteArraySerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(brokerWarmUp, "warm-up", new byte[0]));
                producer.commitTransaction();
            }
            String group = base + "-broker-warm-up";
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(brokerWarmUp, 0), new OffsetAndMetadata(1)))
                    .all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            admin.deleteConsumerGroups(List.of(group)).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** An input topic as produced: its end offsets, and what the lines are. */
        private record Source(String topic, long lines, Map<TopicPartition, Long> ends, BenchReport.Input input) {
        }

        private Source produce(Admin admin, BenchInput input, String topic, long count) throws Exception {
            TopologySettings ts = config.topologySettings();
            long last = Instant.now().minus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toEpochMilli() * 1000;
            BenchInput.Generator gen = input.generator(count, BenchInput.hostNames(hosts, unbalanced ? 0 : partitions),
                    nonNetfilterPercent, eventRate, last,
                    ZoneId.of(config.get("parser.zone")));
            InputMix mix = new InputMix(ts.parser());
            Map<String, Object> props = clientProperties(ProducerConfig.configNames(), "producer.");
            props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
            props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            AtomicReference<Exception> failure = new AtomicReference<>();
            long t0 = System.nanoTime();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                    new ByteArraySerializer())) {
                while (gen.hasNext() && failure.get() == null) {
                    BenchInput.Line l = gen.next();
                    mix.add(l.host(), l.value());
                    producer.send(new ProducerRecord<>(topic, null, l.timestampMs(), l.host(), l.value()), (md, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
                }
                producer.flush();
            }
            if (failure.get() != null) {
                throw new IllegalStateException("cannot produce the input to " + topic + ": " + failure.get().getMessage(),
                        failure.get());
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long span = (last - gen.firstEventMicros()) / 1_000_000L;
            Map<TopicPartition, Long> ends = ends(admin, topic);
            long total = ends.values().stream().mapToLong(Long::longValue).sum();
            if (total != count) {
                throw new IllegalStateException("the input topic " + topic + " holds " + total + " records, not " + count);
            }
            say("input %s: %,d lines from %d hosts (%s) over %d partitions, made and produced in %.1f s (lz4); "
                    + "%,d LOG, %,d conntrack, %,d not netfilter, %,d dead letters, %,d to re-key; event time %s to %s "
                    + "(%,d s at %,d lines/s)", topic, count, hosts, unbalanced ? "as they hash" : "spread evenly", partitions,
                    seconds, mix.packets(), mix.conntrack(),
                    mix.skipped(), mix.errors(), mix.rekeyed(), Instant.ofEpochMilli(gen.firstEventMicros() / 1000),
                    Instant.ofEpochMilli(last / 1000), span, eventRate);
            return new Source(topic, count, ends, new BenchReport.Input(count, hosts, partitions, nonNetfilterPercent,
                    eventRate, mix.packets(), mix.conntrack(), mix.skipped(), mix.errors(), mix.rekeyed(), seconds, span));
        }

        private Map<TopicPartition, Long> ends(Admin admin, String topic) throws Exception {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        }

        private BenchReport.Run full(Admin admin, Source src, String label) throws Exception {
            String appId = base + "-full-" + label;
            appIds.add(appId);
            Path state = work.resolve("state").resolve(appId);
            StreamsAppConfig c = load(appId, state, src.topic());
            say("full %s: starting %s on %s", label, appId, src.topic());
            long t0 = System.nanoTime();
            DropstreamApp app = DropstreamApp.start(c, state);
            try {
                Completion.Timing t = new Completion(admin, appId, src.topic(), src.ends(), src.lines())
                        .await(app.streams(), t0, STALL, progress("full " + label, src.lines(), t0));
                long parsed = metric(app.streams(), "stream-dropstream-metrics", "lines-parsed-total");
                long skipped = metric(app.streams(), "stream-dropstream-metrics", "lines-skipped-total");
                long deadLetters = metric(app.streams(), "stream-dropstream-metrics", "lines-dead-lettered-total");
                long dropped = dropped(app.streams());
                double cpu = cpuSeconds(appId);
                BenchReport.Input in = src.input();
                boolean same = parsed == in.packets() + in.conntrack() && skipped == in.skipped()
                        && deadLetters == in.errors();
                long late = metric(app.streams(), "stream-dropstream-metrics", "late-drop-records-total");
                say("full %s: %.2f s, %.2f s CPU; the topology counted %,d lines parsed, %,d not netfilter, %,d dead "
                        + "letters (%s); left out: %,d records by Kafka Streams, %,d late drop tallies", label,
                        t.seconds(), cpu, parsed, skipped, deadLetters, same ? "as in the input"
                                : String.format(Locale.ROOT, "the input has %,d, %,d and %,d",
                                        in.packets() + in.conntrack(), in.skipped(), in.errors()),
                        dropped - late, late);
                return new BenchReport.Run(BenchReport.FULL, label, src.lines(), t.seconds(), t.startupSeconds(), cpu,
                        dropped);
            } finally {
                // Leave the group on the way out, so that it can be deleted afterwards; then DropstreamApp's own close.
                app.streams().close(LEAVE_GROUP);
                app.close();
            }
        }

        private BenchReport.Run minimal(Admin admin, Source src, String label) throws Exception {
            String appId = base + "-minimal-" + label;
            appIds.add(appId);
            Path state = work.resolve("state").resolve(appId);
            StreamsAppConfig c = load(appId, state, src.topic());
            TopologySettings ts = c.topologySettings();
            Properties props = c.streamsProperties(state);
            say("minimal %s: starting %s on %s", label, appId, src.topic());
            long t0 = System.nanoTime();
            KafkaStreams streams = new KafkaStreams(MinimalTopology.build(src.topic(), minimalOutput,
                    ts.minuteWindow(), ts.minuteGrace(), ts.minuteRetention()), props);
            // As DropstreamApp does.
            streams.setUncaughtExceptionHandler(e ->
                    StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD);
            try {
                streams.start();
                Completion.Timing t = new Completion(admin, appId, src.topic(), src.ends(), src.lines())
                        .await(streams, t0, STALL, progress("minimal " + label, src.lines(), t0));
                long dropped = dropped(streams);
                double cpu = cpuSeconds(appId);
                say("minimal %s: %.2f s, %.2f s CPU; Kafka Streams dropped %,d records", label, t.seconds(), cpu,
                        dropped);
                return new BenchReport.Run(BenchReport.MINIMAL, label, src.lines(), t.seconds(), t.startupSeconds(),
                        cpu, dropped);
            } finally {
                streams.close(LEAVE_GROUP);
            }
        }

        private Consumer<Long> progress(String what, long total, long t0) {
            return done -> say("%s: %,d of %,d lines committed after %.0f s", what, done, total,
                    (System.nanoTime() - t0) / 1e9);
        }

        /** A metric of the application summed over its threads and tasks (task metrics go when the tasks close). */
        private static long metric(KafkaStreams streams, String group, String name) {
            long sum = 0;
            for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
                MetricName n = e.getKey();
                if (n.group().equals(group) && n.name().equals(name) && e.getValue().metricValue() instanceof Number v) {
                    sum += (long) v.doubleValue();
                }
            }
            return sum;
        }

        /**
         * CPU seconds of the application's own threads (stream threads, their producers' network threads; not the
         * broker's, which may run in this JVM too), read while they are alive.
         */
        private static double cpuSeconds(String appId) {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long nanos = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().contains(appId + "-")) {
                    long cpu = mx.getThreadCpuTime(t.getId());
                    nanos += Math.max(cpu, 0);
                }
            }
            return nanos / 1e9;
        }

        /**
         * Records left out: by Kafka Streams (late for their window, or failed and skipped by a handler), and the
         * drop tallies that came after their window had closed (Dropstream's own windows count those).
         */
        private static long dropped(KafkaStreams streams) {
            return metric(streams, "stream-task-metrics", "dropped-records-total")
                    + metric(streams, "stream-dropstream-metrics", "late-drop-records-total");
        }

        /** With an external cluster: the topics and consumer groups of this run. */
        void deleteWhatWasCreated(Admin admin) {
            try {
                List<String> mine = admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(),
                        TimeUnit.MILLISECONDS).stream()
                        .filter(t -> t.startsWith(base + ".") || appIds.stream().anyMatch(a -> t.startsWith(a + "-")))
                        .toList();
                if (!mine.isEmpty()) {
                    admin.deleteTopics(mine).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
                if (!appIds.isEmpty()) {
                    admin.deleteConsumerGroups(appIds).all().get(ADMIN_TIMEOUT.toMillis(),
                            TimeUnit.MILLISECONDS);
                }
                say("deleted %d topics and %d consumer groups of this run", mine.size(), appIds.size());
            } catch (ExecutionException | TimeoutException e) {
                say("could not delete everything this run created (%s); topics and groups start with %s",
                        e.getCause() != null ? e.getCause().getMessage() : e.toString(), base);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Best effort: a folder that cannot be removed is named, not an error that hides the run's own. */
    private void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            spec.commandLine().getErr().println("dropstream bench: could not remove the temporary folder " + root
                    + " (" + e.getMessage() + ")");
        }
    }
}
