package dev.dropstream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.query.QueryServer;
import dev.dropstream.query.QuerySettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The built page as the query server serves it from this module's jar: {@code /} is the page, and every file
 * it names is there with the type a browser needs, none fetched from elsewhere. Needs neither Kafka nor a
 * browser, so it runs where the browser test is skipped.
 */
class DashboardFilesTest {
    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"([^\"]+)\"");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theServerServesThePageAndEveryFileItNames() throws Exception {
        try (QueryServer server = QueryServer.bind(QuerySettings.of("127.0.0.1:0", "", ""))) {
            HttpResponse<String> page = get(server.baseUri());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.body()).contains("<title>Dropstream</title>", "id=\"top-ports\"", "id=\"drops-chart\"");

            Matcher m = ASSET.matcher(page.body());
            List<String> assets = m.results().map(r -> r.group(1)).toList();
            assertThat(assets).as("the files the page names, all beside it").containsExactlyInAnyOrder("app.css", "app.js");
            HttpResponse<String> script = get(server.baseUri().resolve("app.js"));
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
            assertThat(script.body()).as("uPlot is bundled, nothing is loaded from elsewhere").contains("u-legend")
                    .doesNotContain("http://", "https://");
            HttpResponse<String> styles = get(server.baseUri().resolve("app.css"));
            assertThat(styles.statusCode()).isEqualTo(200);
            assertThat(styles.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
            assertThat(styles.body()).as("uPlot's styles are bundled with ours").contains(".u-legend", ".num");
        }
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
