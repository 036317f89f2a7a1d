package dev.dropstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * A local HTTP server that answers as the Confluent Schema Registry documents its API: the same paths,
 * content type, success bodies and error bodies ({"error_code":..., "message":...}). It can be told to fail
 * the next N requests with a 500 / 50001 to exercise retries, and records each request's Authorization.
 * Public for other modules' integration tests (schemas' test-jar), where it is the one registry that a test
 * and the child JVMs it starts share.
 */
public final class FakeRegistryServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, List<String>> subjects = new LinkedHashMap<>();
    private final List<String> schemas = new ArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger failNext = new AtomicInteger();

    public FakeRegistryServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private synchronized void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            error(ex, 500, 50001, "Error in the backend data store");
            return;
        }
        String path = ex.getRequestURI().getRawPath();
        String[] parts = path.substring(1).split("/");
        String method = ex.getRequestMethod();
        byte[] body = ex.getRequestBody().readAllBytes();
        if (parts.length == 3 && parts[0].equals("schemas") && parts[1].equals("ids") && method.equals("GET")) {
            int id = Integer.parseInt(parts[2]);
            if (id < 1 || id > schemas.size()) {
                error(ex, 404, 40403, "Schema " + id + " not found");
            } else {
                ok(ex, Map.of("schema", schemas.get(id - 1)));
            }
            return;
        }
        if (parts.length >= 2 && parts[0].equals("subjects")) {
            String subject = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
            if (parts.length == 3 && parts[2].equals("versions") && method.equals("POST")) {
                String schema = schemaOf(ex, body);
                if (schema == null) {
                    return;
                }
                int id = schemas.indexOf(schema) + 1;
                if (id == 0) {
                    schemas.add(schema);
                    id = schemas.size();
                }
                List<String> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
                if (!versions.contains(schema)) {
                    versions.add(schema);
                }
                ok(ex, Map.of("id", id));
                return;
            }
            List<String> versions = subjects.get(subject);
            if (versions == null) {
                error(ex, 404, 40401, "Subject '" + subject + "' not found.");
                return;
            }
            if (parts.length == 2 && method.equals("POST")) {
                String schema = schemaOf(ex, body);
                if (schema == null) {
                    return;
                }
                int v = versions.indexOf(schema);
                if (v < 0) {
                    error(ex, 404, 40403, "Schema not found");
                } else {
                    ok(ex, Map.of("subject", subject, "version", v + 1, "id", schemas.indexOf(schema) + 1, "schema", schema));
                }
                return;
            }
            if (parts.length == 4 && parts[2].equals("versions") && method.equals("GET")) {
                int v = parts[3].equals("latest") ? versions.size() : Integer.parseInt(parts[3]);
                if (v < 1 || v > versions.size()) {
                    error(ex, 404, 40402, "Version " + v + " not found.");
                    return;
                }
                String schema = versions.get(v - 1);
                ok(ex, Map.of("subject", subject, "version", v, "id", schemas.indexOf(schema) + 1, "schema", schema));
                return;
            }
        }
        error(ex, 404, 404, "HTTP 404 Not Found");
    }

    /** The canonical text of the posted schema, or null after answering 422 / 42201. */
    private String schemaOf(HttpExchange ex, byte[] body) throws IOException {
        JsonNode n = JSON.readTree(body);
        try {
            return new Schema.Parser().parse(n.path("schema").asText()).toString();
        } catch (RuntimeException e) {
            error(ex, 422, 42201, "Invalid schema");
            return null;
        }
    }

    private static void ok(HttpExchange ex, Map<String, ?> body) throws IOException {
        send(ex, 200, JSON.writeValueAsBytes(body));
    }

    private static void error(HttpExchange ex, int status, int code, String message) throws IOException {
        send(ex, status, JSON.writeValueAsBytes(Map.of("error_code", code, "message", message)));
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
