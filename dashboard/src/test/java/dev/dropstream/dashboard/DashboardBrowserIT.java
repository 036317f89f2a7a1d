package dev.dropstream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.query.QueryServer;
import dev.dropstream.query.QuerySettings;
import dev.dropstream.streams.DropstreamApp;
import dev.dropstream.streams.StreamsAppConfig;
import dev.dropstream.streams.it.ItClients;
import dev.dropstream.streams.it.ItPipeline;
import dev.dropstream.testkit.KafkaBroker;
import dev.dropstream.testkit.KafkaTest;
import dev.dropstream.testkit.StreamsAwait;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard in a real browser on data that flowed through the whole pipeline: real corpus lines, re-dated to
 * recent minutes ({@link RecentLines}), produced to the raw topic on the testkit broker, through the topology and
 * the query server, and shown by the page in the system's headless Chromium. The test checks what a person would:
 * the most dropped port and its count, the chart's lines per prefix, the range picker, the conntrack reasons and
 * table-full events, the hosts, the invalid drops, and the token prompt of a server that needs one.
 *
 * <p>Leaves a screenshot of the page at {@code dashboard/target/dashboard-screenshot.png} (also when an assertion
 * fails), and of the token prompt at {@code dashboard/target/dashboard-token-prompt.png}.
 */
@KafkaTest
@EnabledIf(value = "dev.dropstream.dashboard.Chromium#installed", disabledReason = "the browser test needs Chromium "
        + "and chromedriver (Debian: apt-get install -y chromium chromium-driver; other paths: -Ddropstream.chromium, "
        + "-Ddropstream.chromedriver)")
class DashboardBrowserIT {
    private static final Path SCREENSHOT = Path.of("target", "dashboard-screenshot.png");
    private static final Path TOKEN_SCREENSHOT = Path.of("target", "dashboard-token-prompt.png");
    /** The page refreshes every 5 s; the pipeline needs a while for thousands of lines on a shared 2-core machine. */
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final String TABLE_FULL = "table full, dropping packet";
    private static final String INVALID_FLAGS = "invalid tcp flag combination";

    @TempDir
    static Path stateDir;

    private static Instant now;
    private static RecentLines data;
    private static DropstreamApp app;
    private static QueryServer server;
    private ChromeDriver browser;

    @BeforeAll
    static void runThePipeline(KafkaBroker kafka) throws Exception {
        now = Instant.now();
        // UFW's lines over the last 10 minutes, the kernel lab's and the conntrack lines closer together (a reason
        // and the LOG line of its packet must stay within the join window), a scan three hours ago that only the
        // wider ranges show.
        data = new RecentLines()
                .add("psad/syn_scan_1000_1500.log", now.minus(Duration.ofMinutes(190)), now.minus(Duration.ofHours(3)), "psad")
                .add("cs456-blueteam/ufw.log", now.minus(Duration.ofMinutes(10)), now, "m1")
                .add("kernel-lab/envelope-rfc3164.log", now.minus(Duration.ofMinutes(3)), now.minus(Duration.ofMinutes(1)),
                        "labhost")
                .add("conntrack-and-misc/conntrack-invalid.log", now.minus(Duration.ofMinutes(5)),
                        now.minus(Duration.ofMinutes(5)).plusSeconds(10), "fw-edge");
        ItPipeline run = ItPipeline.named("dashboard");
        run.createTopics(kafka.bootstrapServers());
        // As dropstream streams does: the server first, so that Kafka Streams runs with its address.
        server = QueryServer.bind(QuerySettings.of("127.0.0.1:0", "", ""));
        Map<String, String> settings = new TreeMap<>(run.settings());
        settings.put("bootstrap.servers", kafka.bootstrapServers());
        settings.put("schema.registry.url", "mock://" + run.applicationId());
        settings.put("state.dir", stateDir.toString());
        settings.put("application.server", server.applicationServer());
        app = DropstreamApp.start(StreamsAppConfig.load(null, Map.of(), settings), stateDir);
        server.serve(app.streams(), null);
        StreamsAwait.awaitStreamsState(app.streams(), KafkaStreams.State.RUNNING);
        ItClients.produce(kafka.bootstrapServers(), run.topic("topics.raw"), data.toProduce());
    }

    @AfterAll
    static void stopThePipeline() {
        if (server != null) {
            server.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @BeforeEach
    void startTheBrowser() {
        browser = Chromium.start();
    }

    @AfterEach
    void stopTheBrowser() {
        browser.quit();
    }

    @Test
    void showsWhatFlowedThroughThePipeline() throws Exception {
        Instant lastHour = now.minus(Duration.ofHours(1));
        Map.Entry<String, Long> topPort = mostCommon(data.logRecordsBy(RecentLines.Line::dstPort, lastHour));
        Map<String, Long> prefixes = data.logRecordsBy(l -> label(l.prefix()), lastHour);
        List<String> largestPrefixes = largest(prefixes, 4);

        DashboardPage page = new DashboardPage(browser).open(server.baseUri());
        try {
            eventually(() -> assertThat(page.rows("top-ports")).as("the top-ports table, last hour")
                    .first().extracting(r -> r.get("value") + " " + r.get("packets"))
                    .isEqualTo(topPort.getKey() + " " + grouped(topPort.getValue())));
            eventually(() -> assertThat(page.chartLegend()).as("the chart's lines, last hour")
                    .startsWith(largestPrefixes.toArray(String[]::new))
                    .contains((prefixes.size() - 7) + " other prefixes")
                    .doesNotContain("DROP"));
            assertThat(page.paintedPixelsBySeries()).as("pixels drawn in each line's colour")
                    .allSatisfy((prefix, pixels) -> {
                        if (largestPrefixes.contains(prefix)) {
                            assertThat(pixels).as(prefix).isPositive();
                        }
                    });

            eventually(() -> assertThat(page.rows("reasons")).as("conntrack reasons")
                    .extracting(r -> String.join(" ", r.get("host"), r.get("kind"), r.get("reason"), r.get("events")))
                    .containsAll(data.recordsByHost(r -> r.contains(INVALID_FLAGS)).entrySet().stream()
                            .map(e -> e.getKey() + " INVALID INVALID_TCP_FLAGS " + grouped(e.getValue())).toList()));
            eventually(() -> assertThat(page.rows("table-full")).as("table-full events")
                    .extracting(r -> r.get("host") + " " + r.get("events"))
                    .containsExactlyElementsOf(data.recordsByHost(r -> r.contains(TABLE_FULL)).entrySet().stream()
                            .map(e -> e.getKey() + " " + grouped(e.getValue())).toList()));
            eventually(() -> assertThat(page.rows("hosts")).as("hosts").extracting(r -> r.get("host"))
                    .containsExactlyInAnyOrderElementsOf(data.hosts()));
            eventually(() -> assertThat(page.rows("invalid")).as("recent invalid drops")
                    .extracting(r -> r.get("host")).contains("labhost"));
            eventually(() -> assertThat(page.status()).as("the status line").startsWith("Updated").contains("last 1h"));

            page.chooseRange("6 hours");
            eventually(() -> assertThat(page.chartLegend()).as("the chart's lines, last 6 hours").contains("DROP"));
            eventually(() -> assertThat(page.status()).contains("last 6h"));
            assertThat(browser.getCurrentUrl()).endsWith("#range=6h");
        } finally {
            page.screenshot(SCREENSHOT);
        }
    }

    @Test
    void asksForTheTokenOfAServerThatNeedsOneAndKeepsIt() throws Exception {
        // A second server on the same application, as a fleet member started with --token would be.
        try (QueryServer guarded = QueryServer.bind(QuerySettings.of("127.0.0.1:0", "s3cret-token", ""))) {
            guarded.serve(app.streams(), null);
            DashboardPage page = new DashboardPage(browser).open(guarded.baseUri());
            eventually(() -> assertThat(page.tokenPromptShown()).as("the token prompt").isTrue());
            assertThat(page.status()).isEqualTo("The server needs a token.");
            page.screenshot(TOKEN_SCREENSHOT);

            page.enterToken("s3cret-token");
            eventually(() -> assertThat(page.rows("hosts")).extracting(r -> r.get("host")).contains("labhost"));
            assertThat(page.tokenPromptShown()).isFalse();

            page.open(guarded.baseUri());
            eventually(() -> assertThat(page.rows("hosts")).as("after a reload, with the kept token")
                    .extracting(r -> r.get("host")).contains("labhost"));
            assertThat(page.tokenPromptShown()).isFalse();
        }
    }

    private static void eventually(ThrowingRunnable assertion) {
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(assertion);
    }

    /** The chart and tables trim prefixes and name the empty one. */
    private static String label(String prefix) {
        return prefix.isBlank() ? "(no prefix)" : prefix.strip();
    }

    /** The largest entry, which the test data must make unambiguous. */
    private static Map.Entry<String, Long> mostCommon(Map<String, Long> counts) {
        List<Map.Entry<String, Long>> sorted = sortedByCount(counts);
        assertThat(sorted.get(0).getValue()).as("the test data has one largest entry: " + sorted.subList(0, 2))
                .isGreaterThan(sorted.get(1).getValue());
        return sorted.get(0);
    }

    /** The keys of the {@code n} largest counts, which the test data must make unambiguous. */
    private static List<String> largest(Map<String, Long> counts, int n) {
        List<Map.Entry<String, Long>> sorted = sortedByCount(counts);
        for (int i = 0; i < n; i++) {
            assertThat(sorted.get(i).getValue()).as("the test data ranks its largest entries: " + sorted.subList(0, n + 1))
                    .isGreaterThan(sorted.get(i + 1).getValue());
        }
        return sorted.subList(0, n).stream().map(Map.Entry::getKey).toList();
    }

    private static List<Map.Entry<String, Long>> sortedByCount(Map<String, Long> counts) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .toList();
    }

    /** A count as the page shows it in the browser's en-US locale. */
    private static String grouped(long n) {
        return String.format(Locale.US, "%,d", n);
    }
}
