package dev.dropstream.cli;

import dev.dropstream.ingest.Shipper;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dropstream ship}: follows log files (paths or globs, {@code tail -F}) or standard input ({@code -})
 * and sends every line to the raw topic, keyed by origin host, resuming after a restart from checkpoints.
 */
@Command(name = "ship", mixinStandardHelpOptions = true,
        description = "Sends kernel/syslog lines to Kafka: follows FILEs (paths or quoted globs, tail -F semantics, "
                + "rotation by rename or copytruncate) or standard input ('-'), /dev/kmsg (--kmsg) and journald "
                + "(--journald), keyed by origin host, checkpointed "
                + "so a restart loses nothing. A broker outage only pauses it.")
public final class ShipCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Files or globs ('/var/log/kern.log*'); '-' is standard input.")
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

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A Kafka producer setting; repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--kmsg", description = "Also ship the kernel ring buffer from /dev/kmsg (root or CAP_SYSLOG).")
    boolean kmsg;

    @Option(names = "--journald", description = "Also ship journald's kernel records (journalctl -k -o json --follow).")
    boolean journald;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new UserError("give --bootstrap-servers HOST:PORT or set DROPSTREAM_BOOTSTRAP_SERVERS");
        }
        if (maxLineBytes < 256) {
            throw new UserError("--max-line-bytes must be at least 256, not " + maxLineBytes);
        }
        if (inputs.isEmpty() && !kmsg && !journald) {
            throw new UserError("give FILEs, '-' (standard input), --kmsg or --journald");
        }
        boolean stdin = inputs.equals(List.of("-"));
        if (stdin && (kmsg || journald)) {
            throw new UserError("'-' (standard input) cannot be mixed with --kmsg or --journald");
        }
        if (!stdin && inputs.contains("-")) {
            throw new UserError("'-' (standard input) cannot be mixed with files");
        }
        Map<String, Object> client = new LinkedHashMap<>(settings);
        client.put("bootstrap.servers", bootstrapServers);
        Path dir = DataDirs.usable(dataDir != null ? dataDir
                : DataDirs.defaultDataDir(System.getenv(), System.getProperty("user.home")));
        Shipper.Settings s = new Shipper.Settings(inputs, client, topic, stdin ? null : dir.resolve("ship.checkpoints"),
                host != null ? host : InetAddress.getLocalHost().getHostName(), onlyNetfilter, maxLineBytes,
                Duration.ofMillis(200), Duration.ofSeconds(30), once);
        try {
            if (kmsg) {
                Shipper.requireKmsg();
            }
            if (journald) {
                Shipper.requireJournald();
            }
            Shipper.ensureTopic(client, topic, Duration.ofSeconds(10));
        } catch (IllegalStateException e) {
            throw new UserError(e.getMessage(), e);
        }
        try (Shipper shipper = new Shipper(s)) {
            if (stdin) {
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
            Thread worker = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                shipper.stop();
                try {
                    worker.join(15_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "dropstream-ship-shutdown"));
            spec.commandLine().getErr().println("dropstream: shipping " + what + " to " + topic + " on "
                    + bootstrapServers + "; Ctrl-C stops it.");
            spec.commandLine().getErr().flush();
            shipper.run();
        } catch (IllegalStateException e) {
            throw new UserError(e.getMessage(), e);
        }
        return 0;
    }
}
