package dev.dropstream.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The shipper's {@link Counters} for Prometheus: {@code GET /metrics} in the text format (0.0.4) on a small JDK
 * HTTP server. Every meter reads the counters when scraped; nothing here counts on its own.
 */
final class ShipperMetrics implements Closeable {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counters counters;
    private final MultiGauge behind;
    private HttpServer server;

    ShipperMetrics(Counters c) {
        this.counters = c;
        count("dropstream.ship.lines.read", c.read, "Lines read from files and standard input, and messages received");
        count("dropstream.ship.lines.sent", c.sent, "Lines handed to the Kafka producer");
        count("dropstream.ship.lines.acknowledged", c.acked, "Lines Kafka acknowledged");
        count("dropstream.ship.lines.cut", c.cut, "Lines longer than the limit, cut there and flagged");
        count("dropstream.ship.cut.bytes", c.cutBytes, "Bytes dropped from the ends of cut lines");
        count("dropstream.ship.lines.dropped", c.dropped,
                "Network messages dropped because the memory buffer and the spool were full");
        count("dropstream.ship.lines.filtered", c.filtered, "Lines not sent because they cannot be netfilter records");
        count("dropstream.ship.send.failures", c.failed, "Sends Kafka failed (the line is read or sent again)");
        count("dropstream.ship.truncations", c.truncations, "Files cut back in place (copytruncate)");
        count("dropstream.ship.bad.frames", c.badFrames, "TCP syslog frames with an unusable octet count, skipped");
        count("dropstream.ship.kmsg.lost", c.kmsgLost, "Kernel records overwritten in the ring buffer before read");
        gauge("dropstream.ship.last.ack", c.lastAckMillis, 0.001, "seconds",
                "When Kafka last acknowledged a line, in seconds since the epoch");
        gauge("dropstream.ship.buffer", c.bufferBytes, 1, "bytes", "Network messages held in memory until acknowledged");
        gauge("dropstream.ship.spool", c.spoolBytes, 1, "bytes", "Spool segments on disk");
        behind = MultiGauge.builder("dropstream.ship.file.behind").baseUnit("bytes")
                .description("Bytes of a followed file not read yet").register(registry);
    }

    private void count(String name, LongAdder adder, String help) {
        FunctionCounter.builder(name, adder, LongAdder::sum).description(help).register(registry);
    }

    private void gauge(String name, AtomicLong value, double scale, String unit, String help) {
        Gauge.builder(name, value, v -> v.get() * scale).baseUnit(unit).description(help).register(registry);
    }

    /** The Prometheus text of every meter, per-file gauges as the files loop last saw them. */
    String scrape() {
        behind.register(counters.behindByFile.entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("file", e.getKey()), e.getValue()))
                .toList(), true);
        return registry.scrape();
    }

    /** Serves {@code /metrics} on {@code at}; throws {@link IOException} when it cannot listen there. */
    void serve(InetSocketAddress at) throws IOException {
        server = HttpServer.create(at, 16);
        server.createContext("/metrics", this::handle);
        server.start();
    }

    InetSocketAddress address() {
        return server == null ? null : server.getAddress();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            if (!"/metrics".equals(x.getRequestURI().getPath())) {
                x.sendResponseHeaders(404, -1);
                return;
            }
            if (!"GET".equals(x.getRequestMethod()) && !"HEAD".equals(x.getRequestMethod())) {
                x.getResponseHeaders().add("Allow", "GET, HEAD");
                x.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", CONTENT_TYPE);
            boolean head = "HEAD".equals(x.getRequestMethod());
            x.sendResponseHeaders(200, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = x.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        registry.close();
    }
}
