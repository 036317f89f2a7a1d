package dev.dropstream.cli;

import dev.dropstream.query.QueryableApp;
import dev.dropstream.streams.StreamsAppConfig;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dropstream streams}: runs the Kafka Streams topology against a cluster until Ctrl-C. Settings come
 * from defaults, then {@code --config FILE}, then {@code DROPSTREAM_*} environment variables, then flags.
 */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "Runs the Dropstream topology: parses netlog.raw, routes packets, conntrack events and dead "
                + "letters, aggregates drops per rule and port, joins conntrack reasons to packets. Ctrl-C stops it. "
                + "Precedence: defaults < --config file < DROPSTREAM_* environment < flags.")
public final class StreamsCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", description = "Kafka to connect to.")
    String bootstrapServers;

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file of settings (see README).")
    Path configFile;

    @Option(names = "--application-id", paramLabel = "ID", description = "Kafka Streams application id (default dropstream).")
    String applicationId;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "mock://<scope> (this process only, the default) or http(s)://host:port.")
    String registryUrl;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where state stores live (default: $XDG_DATA_HOME/dropstream/state).")
    Path stateDir;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Where the query API and dashboard listen (default 127.0.0.1:7070; :0 for any free port).")
    String listen;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Require Authorization: Bearer TOKEN on /api/* and /metrics (also DROPSTREAM_QUERY_TOKEN).")
    String token;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any setting, Dropstream's or Kafka's; repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Override
    public Integer call() {
        if (configFile != null && !Files.isReadable(configFile)) {
            throw new UserError("the configuration file " + configFile + " cannot be read");
        }
        Map<String, String> flags = new LinkedHashMap<>(settings);
        put(flags, "bootstrap.servers", bootstrapServers);
        put(flags, "application.id", applicationId);
        put(flags, "schema.registry.url", registryUrl);
        put(flags, "state.dir", stateDir == null ? null : stateDir.toString());
        put(flags, "query.listen", listen);
        put(flags, "query.token", token);
        StreamsAppConfig config;
        try {
            config = StreamsAppConfig.load(configFile, System.getenv(), flags);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        Path defaultState = DataDirs.defaultDataDir(System.getenv(), System.getProperty("user.home")).resolve("state");
        LOG.info("settings: {}", config.all());
        QueryableApp running;
        try {
            running = QueryableApp.start(config, defaultState);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UserError(e.getMessage(), e);
        }
        return runUntilStopped(running, config);
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private int runUntilStopped(QueryableApp running, StreamsAppConfig config) {
        URI base = running.server().baseUri();
        PrintWriter err = spec.commandLine().getErr();
        err.println("dropstream: streams running against " + config.bootstrapServers() + " as "
                + config.get("application.id") + "; Ctrl-C stops it.");
        err.println("dropstream: dashboard at " + base + ", query API at " + base + "api/v1/ (described at " + base
                + "openapi.json).");
        err.flush();
        Foreground.runUntilStopped(running::close, err, "streams");
        return 0;
    }
}
