package dev.dropstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server before an application is handed to it (as while Kafka Streams starts): health, readiness, the
 * token, errors as one JSON sentence, the OpenAPI description of exactly the served paths, the dashboard files.
 */
class QueryServerTest {
    private static final String TOKEN = "s3cret";
    private QueryServer server;

    @BeforeEach
    void bind() {
        server = QueryServer.bind(QuerySettings.of("127.0.0.1:0", TOKEN, ""));
    }

    @AfterEach
    void close() {
        server.close();
    }

    private Http get(String path, boolean withToken) {
        HttpRequest.Builder r = HttpRequest.newBuilder(server.baseUri().resolve(path)).GET();
        if (withToken) {
            r.header("Authorization", "Bearer " + TOKEN);
        }
        return Http.send(r);
    }

    @Test
    void healthNeedsNoTokenAndReadinessWaitsForTheApplication() {
        Http health = get("health", false);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.contentType()).isEqualTo("application/json; charset=utf-8");
        assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
        Http ready = get("health/ready", false);
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.body()).isEqualTo("{\"status\":\"STARTING\"}");
        assertThat(server.address().getPort()).isPositive();
        assertThat(server.applicationServer()).isEqualTo("127.0.0.1:" + server.address().getPort());
    }

    @Test
    void theApiAndTheMetricsNeedTheTokenAndAnswer503WhileStarting() {
        Http none = get("api/v1/drops", false);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("error").asText()).isEqualTo("this server needs Authorization: Bearer <token>.");
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        Http wrong = Http.send(HttpRequest.newBuilder(server.baseUri().resolve("metrics")).GET()
                .header("Authorization", "Bearer guess"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("error").asText()).isEqualTo("the bearer token is not this server's.");

        Http starting = get("api/v1/top/ports", true);
        assertThat(starting.status()).isEqualTo(503);
        assertThat(starting.headers().firstValue("Retry-After")).contains("1");
        assertThat(starting.json().get("error").asText()).isEqualTo("the application is starting.");
        assertThat(get("metrics", true).status()).isEqualTo(503);
    }

    @Test
    void unknownPathsAndMethodsAreOneSentence() {
        Http unknown = get("api/v2/drops", true);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText())
                .isEqualTo("there is no /api/v2/drops; the API's paths are in /openapi.json.");
        Http post = Http.send(HttpRequest.newBuilder(server.baseUri().resolve("health"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.json().get("error").asText()).isEqualTo("only GET and HEAD are answered, not POST.");
        Http head = Http.send(HttpRequest.newBuilder(server.baseUri().resolve("health"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void theOpenApiDescriptionNamesExactlyThePathsTheServerAnswers() {
        Http r = get("openapi.json", false);
        assertThat(r.status()).isEqualTo(200);
        JsonNode spec = r.json();
        assertThat(spec.get("openapi").asText()).isEqualTo("3.1.0");
        List<String> described = new ArrayList<>();
        spec.get("paths").fieldNames().forEachRemaining(described::add);
        List<String> served = new ArrayList<>(Api.PATHS);
        served.addAll(QueryServer.OTHER_PATHS);
        assertThat(new TreeSet<>(described)).isEqualTo(new TreeSet<>(served));
        for (String path : served) {
            Http answer = get(path.replace("{dimension}", "ports").substring(1), true);
            assertThat(answer.body()).as(path).doesNotContain("there is no");
        }
    }

    @Test
    void withoutABuiltDashboardTheRootSaysSo() {
        Http root = get("", false);
        assertThat(root.status()).isEqualTo(404);
        assertThat(root.json().get("error").asText()).startsWith("the dashboard was not built into this program");
    }

    @Test
    void theDashboardsFilesComeWithTheirContentTypes(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve(StaticFiles.ROOT));
        Files.writeString(root.resolve("index.html"), "<!doctype html><title>Dropstream</title>");
        Files.createDirectories(root.resolve("assets"));
        Files.writeString(root.resolve("assets/app.js"), "console.log(1)");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            StaticFiles files = new StaticFiles(loader);
            assertThat(files.get("/").contentType()).isEqualTo("text/html; charset=utf-8");
            assertThat(new String(files.get("/").bytes())).contains("<title>Dropstream</title>");
            assertThat(files.get("/assets/app.js").contentType()).isEqualTo("text/javascript; charset=utf-8");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> files.get("/assets/../../secret"))
                    .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(404));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> files.get("/missing.css"))
                    .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.getMessage())
                            .isEqualTo("there is no /missing.css; the API's paths are in /openapi.json."));
        }
    }
}
