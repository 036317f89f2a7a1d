package dev.dropstream.cli;

import dev.dropstream.cli.demo.DemoFeed;
import dev.dropstream.ingest.Shipper;
import dev.dropstream.query.QuerySettings;
import dev.dropstream.streams.StreamsAppConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * {@code dropstream up}: the whole job in one process, in one data directory: the embedded Kafka broker
 * ({@code DIR/kafka}, its log in {@code DIR/logs}), the topology ({@code DIR/state}), the query API and dashboard,
 * and a shipper ({@code DIR/ship.checkpoints}) on the given files, the usual kernel logs, the journal, or the
 * demo's traffic ({@code DIR/demo/fleet.log}). Prints the dashboard's URL to stdout; Ctrl-C stops it all in order,
 * and the next start goes on from there. The pieces start and stop in {@link UpStack}.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Runs everything on this machine: a Kafka broker, the topology, the query API and dashboard, and a "
                + "shipper on FILEs (default: the readable ones of /var/log/kern.log, /var/log/ufw.log, /var/log/syslog, "
                + "/var/log/messages, else the journal). Prints the dashboard's URL; Ctrl-C stops it; the next start "
                + "goes on where it stopped.")
public final class UpCommand implements Callable<Integer> {
    static final String DEFAULT_LISTEN = "127.0.0.1:7070";

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Log files or quoted globs to follow (tail -F); default: the usual kernel logs, else the journal.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the broker's data, the state, the checkpoints and the logs live (default: "
                    + "$XDG_DATA_HOME/dropstream, else ~/.local/share/dropstream).")
    Path dataDir;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = DEFAULT_LISTEN,
            description = "Where the dashboard and the query API answer (default: ${DEFAULT-VALUE}; :0 picks a free port).")
    String listen;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:DROPSTREAM_QUERY_TOKEN}",
            description = "Require 'Authorization: Bearer TOKEN' on /api (default: $DROPSTREAM_QUERY_TOKEN, else none).")
    String token;

    @Option(names = "--broker-port", paramLabel = "N", defaultValue = "0",
            description = "The port of the embedded Kafka broker on 127.0.0.1, for other shippers (default: a free one).")
    int brokerPort;

    @Option(names = "--demo", description = "Also feed made-up traffic of a fleet (many hosts, scans, UFW and nftables, "
            + "IPv6, conntrack reasons, table-full bursts); with no FILEs, only that.")
    boolean demo;

    @Option(names = "--demo-rate", paramLabel = "N", defaultValue = "50",
            description = "Lines per second of the demo (default: ${DEFAULT-VALUE}).")
    int demoRate;

    @Option(names = "--demo-hosts", paramLabel = "N", defaultValue = "24",
            description = "Hosts in the demo's fleet (default: ${DEFAULT-VALUE}).")
    int demoHosts;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A setting of the topology (see 'dropstream streams'); repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Override
    @SuppressWarnings("try") // the lock is held, not used, for as long as everything runs
    public Integer call() throws IOException {
        if (brokerPort < 0 || brokerPort > 65_535) {
            throw new UserError("--broker-port must be between 0 and 65535, not " + brokerPort);
        }
        if (demoRate < 1 || demoRate > 100_000) {
            throw new UserError("--demo-rate must be between 1 and 100000 lines per second, not " + demoRate);
        }
        if (demoHosts < 1 || demoHosts > 10_000) {
            throw new UserError("--demo-hosts must be between 1 and 10000, not " + demoHosts);
        }
        QuerySettings querySettings;
        try {
            querySettings = QuerySettings.of(listen, token, "");
        } catch (IllegalArgumentException e) {
            throw new UserError("--listen: " + e.getMessage(), e);
        }
        UpSources sources = UpSources.choose(inputs, demo, UpSources.USUAL_LOGS, hasJournalctl());
        // Every setting is checked before anything starts; the broker's address is only known once it runs.
        config("127.0.0.1:" + Math.max(brokerPort, 1), Path.of("state"), "mock://check", null);
        Path dir = DataDirs.usable(dataDir != null ? dataDir
                : DataDirs.defaultDataDir(System.getenv(), System.getProperty("user.home")));
        try (FileChannel lockFile = FileChannel.open(dir.resolve("broker.lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                FileLock lock = BrokerCommand.exclusive(lockFile, dir)) {
            UpStack stack = new UpStack(dir);
            try {
                String applicationServer = stack.bindQuery(querySettings);
                stack.startBroker(brokerPort);
                String registry = UpRegistry.prepare(dir);
                StreamsAppConfig config = config(stack.bootstrapServers(), dir.resolve("state"), registry,
                        applicationServer);
                stack.startStreams(config, dir.resolve("state"));
                stack.serveQuery();
                List<String> files = new ArrayList<>(sources.files());
                List<String> what = new ArrayList<>(sources.described());
                if (demo) {
                    DemoFeed feed = stack.startDemo(dir.resolve("demo").resolve("fleet.log"), demoRate, demoHosts);
                    files.add(feed.file().toString());
                    what.add("the demo (" + demoRate + " lines/s from " + demoHosts + " hosts)");
                }
                stack.startShipper(files, sources.journald(), config.get("topics.raw"));
                announce(stack, dir, what);
                Foreground.runUntilStopped(stack::close, spec.commandLine().getErr(),
                        "the shipper, the query API, the topology and the broker");
                stack.rethrowFailure();
                return 0;
            } finally {
                stack.close();
            }
        }
    }

    private StreamsAppConfig config(String bootstrapServers, Path stateDir, String registry, String applicationServer) {
        Map<String, String> flags = new LinkedHashMap<>();
        if (applicationServer != null) {
            flags.put("application.server", applicationServer);
        }
        flags.put("schema.registry.url", registry);
        flags.put("state.dir", stateDir.toString());
        flags.putAll(settings);
        flags.put("bootstrap.servers", bootstrapServers);
        try {
            return StreamsAppConfig.load(null, System.getenv(), flags);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    private static boolean hasJournalctl() {
        try {
            Shipper.requireJournald();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private void announce(UpStack stack, Path dir, List<String> what) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(stack.dashboardUrl());
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        err.println("dropstream: up: dashboard and API on " + stack.dashboardUrl() + ", Kafka on "
                + stack.bootstrapServers() + ", shipping " + String.join(", ", what) + "; data in " + dir
                + "; Ctrl-C stops it.");
        err.flush();
    }
}
