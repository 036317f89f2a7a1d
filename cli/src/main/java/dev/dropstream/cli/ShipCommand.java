package dev.dropstream.cli;

import dev.dropstream.ingest.NetworkSettings;
import dev.dropstream.ingest.Shipper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code dropstream ship}: follows log files (paths or globs, {@code tail -F}) or standard input ({@code -}), reads
 * the kernel's own sources, and receives syslog over UDP and TCP, and sends every line to the raw topic, keyed by origin host, resuming after a
 * restart from checkpoints (files) and the spool (network messages).
 */
@Command(name = "ship", mixinStandardHelpOptions = true,
        description = "Sends kernel/syslog lines to Kafka: follows FILEs (paths or quoted globs, tail -F semantics, "
                + "rotation by rename or copytruncate) or standard input ('-'), /dev/kmsg (--kmsg) and journald "
                + "(--journald), and receives syslog over UDP and TCP (RFC 3164 and 5424; RFC 6587 framing), keyed "
                + "by origin host, checkpointed so a restart loses nothing. A broker outage only pauses it; network "
                + "messages wait in memory, then in a spool on disk.")
public final class ShipCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The data directory, once checked. */
    private Path dir;
    /** The shipper runs (guarded by this). */
    private boolean running;
    /** A signal came before it ran, and closed it (guarded by this). */
    private boolean closedEarly;

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Files or globs ('/var/log/kern.log*'); '-' is standard input. None are needed with other "
                    + "sources.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            defaultValue = "${env:DROPSTREAM_BOOTSTRAP_SERVERS}", description = "Kafka (default: $DROPSTREAM_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "netlog.raw", description = "Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the checkpoints live (default: $XDG_DATA_HOME/dropstream, else ~/.local/share/dropstream).")
    Path dataDir;

    @Option(names = "--host", paramLabel = "HOST",
            description = "Key for lines whose syslog header names no host (default: this machine's name).")
    String host;

    @Option(names = "--only-netfilter", description = "Send only lines that can be netfilter or conntrack records.")
    boolean onlyNetfilter;

    @Option(names = "--max-line-bytes", paramLabel = "N", defaultValue = "65536",
            description = "Longer lines are cut there and flagged (default: ${DEFAULT-VALUE}).")
    int maxLineBytes;

    @Option(names = "--once", description = "Read the files to their end, wait until Kafka has every line, and exit "
            + "(no following); for shipping old logs.")
    boolean once;

    @Option(names = "--read-compressed", description = "Also ship the gzip-compressed rotations (*.gz) the FILEs "
            + "name, once each, oldest first (without it they are skipped).")
    boolean readCompressed;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A Kafka producer setting; repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--kmsg", description = "Also ship the kernel ring buffer from /dev/kmsg (root or CAP_SYSLOG).")
    boolean kmsg;

    @Option(names = "--journald", description = "Also ship journald's kernel records (journalctl -k -o json --follow).")
    boolean journald;

    @Option(names = "--listen-udp", paramLabel = "HOST:PORT",
            description = "Receive syslog datagrams there (one message each), e.g. 0.0.0.0:514 or [::]:514.")
    String listenUdp;

    @Option(names = "--listen-tcp", paramLabel = "HOST:PORT",
            description = "Accept syslog connections there (octet-counted or newline-framed messages).")
    String listenTcp;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "" + NetworkSettings.DEFAULT_MAX_CONNECTIONS,
            description = "Most TCP syslog connections open at once; more are closed (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--buffer-bytes", paramLabel = "SIZE", defaultValue = "16MiB", converter = ByteSize.class,
            description = "Memory for network messages until Kafka acknowledges them; beyond it they go to the spool "
                    + "(default: ${DEFAULT-VALUE}; suffixes KiB, MiB, GiB).")
    long bufferBytes;

    @Option(names = "--spool-bytes", paramLabel = "SIZE", defaultValue = "256MiB", converter = ByteSize.class,
            description = "Disk for the spool (DIR/spool); beyond it network messages are dropped and counted "
                    + "(default: ${DEFAULT-VALUE}).")
    long spoolBytes;

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT",
            description = "Serve the counters for Prometheus at http://HOST:PORT/metrics (default: off).")
    String metricsListen;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new UserError("give --bootstrap-servers HOST:PORT or set DROPSTREAM_BOOTSTRAP_SERVERS");
        }
        if (maxLineBytes < 256) {
            throw new UserError("--max-line-bytes must be at least 256, not " + maxLineBytes);
        }
        dir = DataDirs.usable(dataDir != null ? dataDir
                : DataDirs.defaultDataDir(System.getenv(), System.getProperty("user.home")));
        boolean stdin = inputs.equals(List.of("-"));
        NetworkSettings network = network(stdin);
        InetSocketAddress metricsAt = metricsListen == null ? null : address("--metrics-listen", metricsListen);
        Map<String, Object> client = new LinkedHashMap<>(settings);
        client.put("bootstrap.servers", bootstrapServers);
        Shipper.Settings s = new Shipper.Settings(inputs, client, topic, stdin ? null : dir.resolve("ship.checkpoints"),
                host != null ? host : InetAddress.getLocalHost().getHostName(), onlyNetfilter, maxLineBytes,
                Duration.ofMillis(200), Duration.ofSeconds(30), once, readCompressed);
        try {
            if (kmsg) {
                Shipper.requireKmsg();
            }
            if (journald) {
                Shipper.requireJournald();
            }
        } catch (IllegalStateException e) {
            throw new UserError(e.getMessage(), e);
        }
        CountDownLatch closed = new CountDownLatch(1);
        try (Shipper shipper = open(s, network, metricsAt)) {
            // Listening first: a port in use is said at once, and messages are kept while Kafka is awaited.
            shipper.listen();
            if (stdin) {
                Shipper.ensureTopic(client, topic, Duration.ofSeconds(10));
                shipper.runStream(System.in, "stdin");
                return 0;
            }
            List<String> what = new ArrayList<>(inputs);
            if (kmsg) {
                shipper.addKmsg(dir.resolve("ship.kmsg"));
                what.add("/dev/kmsg");
            }
            if (journald) {
                shipper.addJournald(dir.resolve("ship.journald.cursor"));
                what.add("journald");
            }
            what.addAll(listeners(shipper));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopped(shipper, closed), "dropstream-ship-shutdown"));
            Shipper.ensureTopic(client, topic, Duration.ofSeconds(10));
            synchronized (this) {
                if (closedEarly) {
                    return 0;
                }
                running = true;
            }
            spec.commandLine().getErr().println("dropstream: shipping " + what + " to " + topic + " on "
                    + bootstrapServers + "; Ctrl-C stops it.");
            spec.commandLine().getErr().flush();
            shipper.run();
        } catch (IllegalStateException e) {
            throw new UserError(e.getMessage(), e);
        } finally {
            closed.countDown();
        }
        return 0;
    }

    /**
     * Ctrl-C or SIGTERM. Before the run, while Kafka is still awaited, the shipper is closed here (what the
     * listeners received goes to the spool); after, it is asked to stop and this waits for its close in
     * {@link #call()}, not for that thread, which System.exit blocks for good once a signal arrived.
     */
    private void stopped(Shipper shipper, CountDownLatch closed) {
        synchronized (this) {
            if (!running) {
                closedEarly = true;
                shipper.close();
                return;
            }
        }
        shipper.stop();
        try {
            closed.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The syslog receivers asked for, or null; says in one sentence which sources do not go together. */
    private NetworkSettings network(boolean stdin) {
        boolean listening = listenUdp != null || listenTcp != null;
        if (inputs.isEmpty() && !kmsg && !journald && !listening) {
            throw new UserError("give FILEs, '-' (standard input), --kmsg, --journald, --listen-udp or --listen-tcp");
        }
        if (stdin && (kmsg || journald || listening)) {
            throw new UserError("'-' (standard input) cannot be mixed with --kmsg, --journald, --listen-udp or "
                    + "--listen-tcp");
        }
        if (!stdin && inputs.contains("-")) {
            throw new UserError("'-' (standard input) cannot be mixed with files");
        }
        if (once && listening) {
            throw new UserError("--once reads files to their end and stops; it cannot be used with --listen-udp "
                    + "or --listen-tcp");
        }
        if (maxConnections < 1) {
            throw new UserError("--max-connections must be at least 1, not " + maxConnections);
        }
        if (!listening) {
            return null;
        }
        return new NetworkSettings(listenUdp == null ? null : address("--listen-udp", listenUdp),
                listenTcp == null ? null : address("--listen-tcp", listenTcp), maxConnections, bufferBytes,
                dir.resolve("spool"), spoolBytes);
    }

    private static InetSocketAddress address(String flag, String value) {
        try {
            return NetworkSettings.address(value);
        } catch (IllegalArgumentException e) {
            throw new UserError(flag + ": " + e.getMessage(), e);
        }
    }

    private static Shipper open(Shipper.Settings s, NetworkSettings network, InetSocketAddress metricsAt) {
        try {
            return new Shipper(s, network, metricsAt);
        } catch (IllegalStateException | UncheckedIOException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    private static List<String> listeners(Shipper shipper) {
        List<String> listeners = new ArrayList<>();
        if (shipper.udpAddress() != null) {
            listeners.add("syslog on UDP " + hostPort(shipper.udpAddress()));
        }
        if (shipper.tcpAddress() != null) {
            listeners.add("syslog on TCP " + hostPort(shipper.tcpAddress()));
        }
        return listeners;
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }

    /** {@code 1048576}, {@code 512KiB}, {@code 16MiB}, {@code 1GiB} (also {@code k}, {@code m}, {@code g}). */
    static final class ByteSize implements ITypeConverter<Long> {
        private static final Pattern SIZE = Pattern.compile("(\\d{1,19})\\s*([kKmMgG](?:i?[bB])?)?");

        @Override
        public Long convert(String value) {
            Matcher m = SIZE.matcher(value.strip());
            if (!m.matches()) {
                throw new TypeConversionException("'" + value + "' is not a size (like 16MiB or 1048576)");
            }
            int shift = m.group(2) == null ? 0 : switch (Character.toLowerCase(m.group(2).charAt(0))) {
                case 'k' -> 10;
                case 'm' -> 20;
                default -> 30;
            };
            try {
                long n = Long.parseLong(m.group(1));
                if (n > Long.MAX_VALUE >> shift) {
                    throw new NumberFormatException(value);
                }
                return n << shift;
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is too large");
            }
        }
    }
}
