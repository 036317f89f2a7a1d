package dev.dropstream.query;

import dev.dropstream.streams.it.ItPipeline;
import java.nio.file.Path;

/** One {@code dropstream streams} instance of a test run: the application and its query API on a free port. */
final class Instances {
    private Instances() {
    }

    static QueryableApp start(ItPipeline run, String bootstrapServers, Path stateDir, String token) {
        return QueryableApp.start(run.config(bootstrapServers, "mock://" + run.applicationId(), stateDir)
                .with("query.token", token), stateDir);
    }
}
