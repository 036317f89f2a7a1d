package dev.dropstream.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query API of one instance on the JDK's HTTP server: {@code /api/v1/*} from the state stores, fleet-wide
 * ({@link Api}), {@code /openapi.json}, {@code /metrics}, {@code /health}, {@code /health/ready}, and the
 * dashboard's files at {@code /}. Every answer but the files and the metrics is JSON; every error is
 * {@code {"error": "one sentence."}}.
 *
 * <p>Two steps, because a fleet's instances must know each other's address before Kafka Streams starts
 * ({@code application.server}): {@link #bind} takes the port (the API answers 503 until then), and
 * {@link #serve} hands it the running application. {@link #start} does both for a caller whose
 * {@code application.server} is already settled.
 */
public final class QueryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueryServer.class);
    /** The paths outside {@code /api/}, as {@code /openapi.json} names them. */
    static final List<String> OTHER_PATHS = List.of("/", "/openapi.json", "/metrics", "/health", "/health/ready");
    private static final String JSON = "application/json; charset=utf-8";

    private final HttpServer http;
    private final ExecutorService workers;
    private final QuerySettings settings;
    private final StaticFiles files = new StaticFiles(QueryServer.class.getClassLoader());
    private volatile KafkaStreams streams;
    private volatile Api api;
    private volatile PrometheusMeterRegistry registry;
    private ServerMetrics metrics;
    private HttpClient peers;

    private QueryServer(HttpServer http, ExecutorService workers, QuerySettings settings) {
        this.http = http;
        this.workers = workers;
        this.settings = settings;
    }

    /** Binds the listen address and starts answering (503 for the stores until {@link #serve}). */
    public static QueryServer bind(QuerySettings settings) {
        HttpServer http;
        try {
            http = HttpServer.create(settings.listenAddress(), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + settings.listenHost() + ":" + settings.listenPort()
                    + " (" + e.getMessage() + ")", e);
        }
        // Several threads: a fleet-wide request waits for the other instances, which may be asking this one.
        ExecutorService workers = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "query-server");
            t.setDaemon(true);
            return t;
        });
        QueryServer server = new QueryServer(http, workers, settings);
        http.setExecutor(workers);
        http.createContext("/", server::handle);
        http.start();
        LOG.info("query API listening on {}", server.baseUri());
        return server;
    }

    /** Binds and serves {@code streams} at once. {@code registry} null: a registry of the server's own. */
    public static QueryServer start(KafkaStreams streams, QuerySettings settings, PrometheusMeterRegistry registry) {
        QueryServer server = bind(settings);
        server.serve(streams, registry);
        return server;
    }

    /**
     * The {@code application.server} this instance must run Kafka Streams with: the setting, else the bound
     * address; null when that is a wildcard (the other instances could not reach it: a fleet of one).
     */
    public String applicationServer() {
        if (!settings.applicationServer().isEmpty()) {
            return settings.applicationServer();
        }
        InetSocketAddress a = address();
        return a.getAddress().isAnyLocalAddress() ? null : hostPort(a);
    }

    /** Answers from {@code streams}, which must run with {@link #applicationServer()} as its application.server. */
    public synchronized void serve(KafkaStreams streams, PrometheusMeterRegistry registry) {
        if (this.streams != null) {
            throw new IllegalStateException("the query server already serves an application");
        }
        this.registry = registry != null ? registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.metrics = ServerMetrics.bind(streams, this.registry);
        this.peers = HttpClient.newBuilder().connectTimeout(Fleet.PEER_TIMEOUT).build();
        String self = applicationServer();
        HostInfo selfInfo = self == null ? null : HostInfo.buildFromEndpoint(self);
        this.api = new Api(new LocalStores(streams), new Fleet(streams, selfInfo, settings.token(), peers),
                Clock.systemUTC());
        this.streams = streams;
    }

    /** The bound address (the real port when the settings asked for 0). */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** {@code http://host:port/}: the dashboard, and the API under {@code api/v1/}. */
    public URI baseUri() {
        InetSocketAddress a = address();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            try {
                answer(ex);
            } catch (ApiError e) {
                if (e.status() == 503) {
                    ex.getResponseHeaders().set("Retry-After", "1");
                } else if (e.status() == 401) {
                    ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                }
                json(ex, e.status(), Json.MAPPER.createObjectNode().put("error", e.getMessage()));
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
                json(ex, 500, Json.MAPPER.createObjectNode().put("error", "the server failed to answer ("
                        + e.getClass().getSimpleName() + "); its log says more."));
            }
        } catch (IOException e) {
            LOG.debug("could not answer {} ({})", ex.getRequestURI().getPath(), e.toString());
        }
    }

    private void answer(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD");
            throw ApiError.methodNotAllowed("only GET and HEAD are answered, not " + method);
        }
        URI uri = ex.getRequestURI();
        String path = uri.getPath();
        if (path.equals("/health")) {
            json(ex, 200, Json.MAPPER.createObjectNode().put("status", "UP"));
        } else if (path.equals("/health/ready")) {
            KafkaStreams s = streams;
            String state = s == null ? "STARTING" : s.state().name();
            json(ex, state.equals("RUNNING") ? 200 : 503, Json.MAPPER.createObjectNode().put("status", state));
        } else if (path.equals("/metrics")) {
            authorize(ex);
            PrometheusMeterRegistry r = registry;
            if (r == null) {
                throw ApiError.unavailable("the metrics are not there until the application has started");
            }
            send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", r.scrape().getBytes(StandardCharsets.UTF_8));
        } else if (path.startsWith("/api/")) {
            authorize(ex);
            Api a = api;
            if (!path.startsWith(Api.PREFIX)) {
                throw Api.notFound(path);
            }
            if (a == null) {
                throw ApiError.unavailable("the application is starting");
            }
            json(ex, 200, a.answer(uri));
        } else if (path.equals("/openapi.json")) {
            send(ex, 200, JSON, openApi());
        } else {
            StaticFiles.File f = files.get(path);
            send(ex, 200, f.contentType(), f.bytes());
        }
    }

    private void authorize(HttpExchange ex) {
        String token = settings.token();
        if (token.isEmpty()) {
            return;
        }
        String given = ex.getRequestHeaders().getFirst("Authorization");
        byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            throw ApiError.unauthorized(given == null ? "this server needs Authorization: Bearer <token>"
                    : "the bearer token is not this server's");
        }
    }

    static byte[] openApi() {
        try (InputStream in = QueryServer.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the query module's resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void json(HttpExchange ex, int status, ObjectNode body) throws IOException {
        send(ex, status, JSON, Json.MAPPER.writeValueAsBytes(body));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Stops answering (at most a second for requests under way); the application is the caller's to close. */
    @Override
    public synchronized void close() {
        http.stop(1);
        workers.shutdownNow();
        if (metrics != null) {
            metrics.close();
        }
    }
}
