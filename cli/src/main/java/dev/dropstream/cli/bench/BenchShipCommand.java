package dev.dropstream.cli.bench;

import dev.dropstream.broker.EmbeddedKafka;
import dev.dropstream.cli.UserError;
import dev.dropstream.ingest.Shipper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dropstream bench ship}: writes a file of realistic lines, ships it with the shipper ({@code --once},
 * in this JVM, timed from start until Kafka acknowledged the last line), and sends the same records with a
 * bare {@link KafkaProducer} under the same client settings (same keys, values and headers), for the ratio;
 * each once untimed first, then {@code --runs} timed rounds of each, alternating, reported as medians.
 * Then the shipper runs once more as its own {@code dropstream ship} process with the launcher's options for
 * {@code ship} ({@link ShipProcess}), to report its peak resident memory. Not a test: it reports, it asserts nothing.
 */
@Command(name = "ship", mixinStandardHelpOptions = true,
        description = "Measures dropstream ship against Kafka's own producer on the same lines and settings, "
                + "and the shipper's peak resident memory.")
public final class BenchShipCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--lines", paramLabel = "N", defaultValue = "1000000", description = "Lines (default ${DEFAULT-VALUE}).")
    long lines;

    @Option(names = "--hosts", paramLabel = "H", defaultValue = "50", description = "Hosts (default ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "--partitions", paramLabel = "P", defaultValue = "2", description = "Partitions (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka to use (default: an embedded broker in a temporary folder).")
    String bootstrapServers;

    @Option(names = "--corpus", paramLabel = "DIR", defaultValue = "../shared/corpus", description = "Real lines to cycle.")
    String corpus;

    @Option(names = "--runs", paramLabel = "R", defaultValue = "5",
            description = "Timed rounds of each sender, alternating; the figures are their medians (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--max-heap", paramLabel = "SIZE",
            description = "-Xmx of the separate shipper process whose memory is reported (default: the launcher's "
                    + "for ship, in ship.jvm-options).")
    String maxHeap;

    @Override
    public Integer call() throws Exception {
        if (lines < 1 || hosts < 1 || partitions < 1 || runs < 1) {
            throw new UserError("--lines, --hosts, --partitions and --runs must be positive");
        }
        Path root = BenchInput.locate(corpus).orElseThrow(() -> new UserError("the corpus folder " + corpus
                + " was not found; give --corpus DIR"));
        BenchInput input = BenchInput.load(root);
        Path work = Files.createTempDirectory("dropstream-bench-ship-");
        EmbeddedKafka kafka = null;
        try {
            String bootstrap = bootstrapServers;
            if (bootstrap == null) {
                kafka = EmbeddedKafka.builder(work.resolve("kafka")).build().start();
                bootstrap = kafka.bootstrapServers();
            }
            Path file = work.resolve("lines.log");
            List<BenchInput.Line> generated = write(input, file);
            long bytes = Files.size(file);
            Map<String, Object> client = new HashMap<>();
            client.put("bootstrap.servers", bootstrap);
            String suffix = Long.toHexString(System.nanoTime());
            List<String> topics = new ArrayList<>(List.of("bench-rss-" + suffix, "bench-ship-w" + suffix,
                    "bench-producer-w" + suffix));
            for (int r = 0; r < runs; r++) {
                topics.add("bench-ship-" + r + "-" + suffix);
                topics.add("bench-producer-" + r + "-" + suffix);
            }
            createTopics(client, topics);
            // An untimed round of each first, so that neither pays for the JIT, the broker's first segments or
            // the page cache alone; then the timed rounds, alternating, each on topics of its own. One round of a
            // million lines takes a second or two, which a busy neighbour can stretch either way: hence medians.
            bareProducer(client, "bench-producer-w" + suffix, generated, file);
            shipper(client, "bench-ship-w" + suffix, file, work.resolve("ship-state-warm-up"));
            double[] producerSeconds = new double[runs];
            double[] shipperSeconds = new double[runs];
            for (int r = 0; r < runs; r++) {
                producerSeconds[r] = bareProducer(client, "bench-producer-" + r + "-" + suffix, generated, file);
                shipperSeconds[r] = shipper(client, "bench-ship-" + r + "-" + suffix, file, work.resolve("ship-state-" + r));
            }
            ShipProcess.Result own = ShipProcess.run(ShipProcess.jvmOptions(maxHeap), bootstrap, "bench-rss-" + suffix,
                    file, work.resolve("rss-state"));
            report(bytes, producerSeconds, shipperSeconds, own);
            return 0;
        } finally {
            if (kafka != null) {
                kafka.close();
            }
            deleteRecursively(work);
        }
    }

    private List<BenchInput.Line> write(BenchInput input, Path file) throws IOException {
        List<String> names = BenchInput.hostNames(hosts, partitions);
        long last = System.currentTimeMillis() * 1000L;
        BenchInput.Generator g = input.generator(lines, names, 10, 1000, last, ZoneOffset.UTC);
        List<BenchInput.Line> all = new ArrayList<>((int) Math.min(lines, Integer.MAX_VALUE));
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            while (g.hasNext()) {
                BenchInput.Line l = g.next();
                all.add(l);
                out.write(l.value());
                out.write('\n');
            }
        }
        return all;
    }

    private static void createTopics(Map<String, Object> client, List<String> names) throws Exception {
        try (Admin admin = Admin.create(client)) {
            List<NewTopic> topics = new ArrayList<>();
            for (String n : names) {
                topics.add(new NewTopic(n, Optional.empty(), Optional.empty()));
            }
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** Kafka's producer with the shipper's settings, the same keys, values and (equally long) headers. */
    private double bareProducer(Map<String, Object> client, String topic, List<BenchInput.Line> generated, Path file)
            throws Exception {
        Properties p = Shipper.producerSettings(client);
        byte[] source = ("file:" + file).getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            long offset = 0;
            for (BenchInput.Line l : generated) {
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, l.host(), l.value());
                r.headers().add("dropstream.source", source);
                r.headers().add("dropstream.line", ("2049:123456:1a2b3c4d:" + offset).getBytes(StandardCharsets.UTF_8));
                producer.send(r);
                offset += l.value().length + 1;
            }
            producer.flush();
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /** The shipper on the file with --once, in this JVM: from start until every line is acknowledged. */
    private double shipper(Map<String, Object> client, String topic, Path file, Path state) throws Exception {
        Files.createDirectories(state);
        Shipper.Settings s = new Shipper.Settings(List.of(file.toString()), client, topic, state.resolve("checkpoints"),
                "bench", false, 65_536, Duration.ofMillis(20), Duration.ofMinutes(10), true);
        long start = System.nanoTime();
        try (Shipper shipper = new Shipper(s)) {
            shipper.runFiles();
            if (shipper.acknowledged() < lines) {
                throw new IllegalStateException("the shipper stopped after " + shipper.acknowledged() + " of " + lines + " lines");
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private void report(long bytes, double[] producerRuns, double[] shipperRuns, ShipProcess.Result own) {
        PrintWriter out = spec.commandLine().getOut();
        double producerSeconds = median(producerRuns);
        double shipperSeconds = median(shipperRuns);
        double[] ratios = new double[producerRuns.length];
        StringBuilder each = new StringBuilder();
        for (int r = 0; r < ratios.length; r++) {
            ratios[r] = producerRuns[r] / shipperRuns[r];
            each.append(r == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", ratios[r]));
        }
        out.printf(Locale.ROOT, "%-9s %12s %9s %12s %9s%n", "sender", "lines", "seconds", "lines/s", "MB/s");
        out.printf(Locale.ROOT, "%-9s %,12d %9.2f %,12.0f %9.1f%n", "shipper", lines, shipperSeconds,
                lines / shipperSeconds, bytes / shipperSeconds / 1e6);
        out.printf(Locale.ROOT, "%-9s %,12d %9.2f %,12.0f %9.1f%n", "producer", lines, producerSeconds,
                lines / producerSeconds, bytes / producerSeconds / 1e6);
        out.printf(Locale.ROOT, "shipper/producer: %.2f (%s; goal 0.90 or better)%n", median(ratios),
                ratios.length == 1 ? "one run" : "median of " + ratios.length + " runs: " + each);
        out.printf(Locale.ROOT, "shipper process (dropstream ship --once, own JVM): peak RSS %d MiB (goal under 256 MiB), "
                + "%.2f s with JVM start and topic check (%,.0f lines/s); JVM options: %s%n", own.peakRssBytes() >> 20,
                own.seconds(), lines / own.seconds(), String.join(" ", own.jvmOptions()));
        out.flush();
    }

    /** The median (the mean of the middle two for an even count); the seconds rows are medians too. */
    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
