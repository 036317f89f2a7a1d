package dev.dropstream.query;

import dev.dropstream.streams.DropstreamApp;
import dev.dropstream.streams.StreamsAppConfig;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application and its query API, started in the order a fleet needs: the server binds its address
 * ({@code query.listen}, {@code query.token}), the application runs with that address as its
 * {@code application.server} unless the settings name one, and then the server answers from it. What
 * {@code dropstream streams} runs; {@link #close} stops both.
 */
public final class QueryableApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueryableApp.class);
    private final QueryServer server;
    private final DropstreamApp app;
    private boolean closed;

    private QueryableApp(QueryServer server, DropstreamApp app) {
        this.server = server;
        this.app = app;
    }

    /**
     * Starts both. Throws {@link IllegalArgumentException} (a setting is wrong) or {@link IllegalStateException}
     * (the address is taken, Kafka cannot be used) with one sentence; nothing is left running then.
     */
    public static QueryableApp start(StreamsAppConfig config, Path defaultStateDir) {
        QuerySettings settings = QuerySettings.of(config.get("query.listen"), config.get("query.token"),
                config.get("application.server"));
        QueryServer server = QueryServer.bind(settings);
        try {
            String self = server.applicationServer();
            if (self == null) {
                LOG.warn("the query API listens on a wildcard address and application.server is not set: queries "
                        + "are answered from this instance alone; set application.server to run several instances");
            }
            StreamsAppConfig withSelf = config.get("application.server").isBlank() && self != null
                    ? config.with("application.server", self) : config;
            DropstreamApp app = DropstreamApp.start(withSelf, defaultStateDir);
            server.serve(app.streams(), null);
            return new QueryableApp(server, app);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public QueryServer server() {
        return server;
    }

    public DropstreamApp app() {
        return app;
    }

    /** Stops answering, then stops the application; a second call does nothing. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            server.close();
            app.close();
        }
    }
}
