package dev.dropstream.query;

import dev.dropstream.streams.DropstreamApp;
import dev.dropstream.streams.StreamsAppConfig;
import dev.dropstream.streams.it.ItPipeline;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * One {@code dropstream streams} instance in a test, wired as the command wires it: the query server binds a
 * free port first, the application runs with that address as its {@code application.server}, then the server
 * answers from it.
 */
final class Instance implements AutoCloseable {
    private final QueryServer server;
    private final DropstreamApp app;
    private boolean closed;

    private Instance(QueryServer server, DropstreamApp app) {
        this.server = server;
        this.app = app;
    }

    static Instance start(ItPipeline run, String bootstrapServers, Path stateDir, String token) {
        QueryServer server = QueryServer.bind(QuerySettings.of("127.0.0.1:0", token, ""));
        try {
            Map<String, String> flags = new TreeMap<>(run.settings());
            flags.put("bootstrap.servers", bootstrapServers);
            flags.put("schema.registry.url", "mock://" + run.applicationId());
            flags.put("state.dir", stateDir.toString());
            flags.put("application.server", server.applicationServer());
            DropstreamApp app = DropstreamApp.start(StreamsAppConfig.load(null, Map.of(), flags), stateDir);
            server.serve(app.streams(), null);
            return new Instance(server, app);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    URI base() {
        return server.baseUri();
    }

    DropstreamApp app() {
        return app;
    }

    /** Stops the server and the application; a second call does nothing. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            server.close();
            app.close();
        }
    }
}
