package dev.dropstream.cli;

import dev.dropstream.query.QueryServer;
import dev.dropstream.query.QuerySettings;
import dev.dropstream.streams.DropstreamApp;
import dev.dropstream.streams.StreamsAppConfig;
import java.io.PrintWriter;
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
        StreamsAppConfig config = load(flags);
        QuerySettings querySettings;
        try {
            querySettings = QuerySettings.of(config.get("query.listen"), config.get("query.token"),
                    config.get("application.server"));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        QueryServer server;
        try {
            server = QueryServer.bind(querySettings);
        } catch (IllegalStateException e) {
            throw new UserError(e.getMessage(), e);
        }
        // The other instances find this one's stores at its application.server: the API's own address.
        if (config.get("application.server").isBlank() && server.applicationServer() != null) {
            flags.put("application.server", server.applicationServer());
            config = load(flags);
        } else if (server.applicationServer() == null) {
            LOG.warn("the query API listens on a wildcard address and application.server is not set: queries are "
                    + "answered from this instance alone; set application.server to run several instances");
        }
        Path defaultState = DataDirs.defaultDataDir(System.getenv(), System.getProperty("user.home")).resolve("state");
        LOG.info("settings: {}", config.all());
        DropstreamApp app;
        try {
            app = DropstreamApp.start(config, defaultState);
        } catch (IllegalStateException e) {
            server.close();
            throw new UserError(e.getMessage(), e);
        }
        server.serve(app.streams(), null);
        return runUntilStopped(app, server, config);
    }

    private StreamsAppConfig load(Map<String, String> flags) {
        try {
            return StreamsAppConfig.load(configFile, System.getenv(), flags);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private int runUntilStopped(DropstreamApp app, QueryServer server, StreamsAppConfig config) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("dropstream: streams running against " + config.bootstrapServers() + " as "
                + config.get("application.id") + "; Ctrl-C stops it.");
        err.println("dropstream: dashboard at " + server.baseUri() + ", query API at " + server.baseUri() + "api/v1/ "
                + "(described at " + server.baseUri() + "openapi.json).");
        err.flush();
        Foreground.runUntilStopped(() -> {
            server.close();
            app.close();
        }, err, "streams");
        return 0;
    }
}
