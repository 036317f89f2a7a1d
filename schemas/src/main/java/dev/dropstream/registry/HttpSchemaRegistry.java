package dev.dropstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.Schema;

/**
 * A client of the Confluent Schema Registry REST API: register, look up by id, by subject and version,
 * and by schema; basic-auth or bearer credentials; retries with exponential backoff on no answer and on
 * 5xx, failing over between the listed URLs; ids and schemas cached (they never change once assigned).
 */
final class HttpSchemaRegistry implements SchemaRegistryClient {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> baseUris = new ArrayList<>();
    private final HttpClient http;
    private final String authorization;
    private final int maxRetries;
    private final long retryWaitMs;
    private final long retryMaxWaitMs;
    private final Duration requestTimeout;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();

    HttpSchemaRegistry(String urls, Map<String, ?> config) {
        RegistryConfig c = new RegistryConfig(config);
        String userInfo = null;
        for (String u : urls.split(",")) {
            URI uri = URI.create(u.strip());
            if (uri.getUserInfo() != null && userInfo == null) {
                userInfo = uri.getUserInfo();
            }
            String s = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + (uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", ""));
            baseUris.add(URI.create(s));
        }
        this.authorization = c.authorization(userInfo);
        this.maxRetries = c.maxRetries();
        this.retryWaitMs = c.retryWaitMs();
        this.retryMaxWaitMs = c.retryMaxWaitMs();
        this.requestTimeout = Duration.ofMillis(c.requestTimeoutMs());
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
    }

    @Override
    public int register(String subject, Schema schema) {
        String key = subject + '\u0000' + schema;
        Integer cached = idsBySubjectAndSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = call("POST", "/subjects/" + encode(subject) + "/versions", body(schema));
        int id = answer.path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException("the registry's answer to a registration has no id", -1, 200);
        }
        idsBySubjectAndSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        RegisteredSchema r = registered(subject, call("POST", "/subjects/" + encode(subject), body(schema)));
        idsBySubjectAndSchema.put(subject + '\u0000' + schema, r.id());
        return r;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = call("GET", "/schemas/ids/" + id, null);
        Schema s = new Schema.Parser().parse(answer.path("schema").asText());
        schemasById.putIfAbsent(id, s);
        return s;
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return registered(subject, call("GET", "/subjects/" + encode(subject) + "/versions/latest", null));
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        return registered(subject, call("GET", "/subjects/" + encode(subject) + "/versions/" + version, null));
    }

    private RegisteredSchema registered(String subject, JsonNode n) {
        Schema s = new Schema.Parser().parse(n.path("schema").asText());
        int id = n.path("id").asInt();
        schemasById.putIfAbsent(id, s);
        return new RegisteredSchema(n.path("subject").asText(subject), n.path("version").asInt(), id, s);
    }

    private static String body(Schema schema) {
        return JSON.createObjectNode().put("schemaType", "AVRO").put("schema", schema.toString()).toString();
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** One request, with retries and failover; returns the JSON answer of a 2xx. */
    private JsonNode call(String method, String path, String body) {
        SchemaRegistryException last = null;
        for (int attempt = 0; attempt <= maxRetries; attempt++) {
            if (attempt > 0) {
                backoff(attempt);
            }
            URI base = baseUris.get(attempt % baseUris.size());
            try {
                return once(method, base.resolve(base.getPath() + path), body);
            } catch (SchemaRegistryException e) {
                if (!e.retriable()) {
                    throw e;
                }
                last = e;
            }
        }
        throw Objects.requireNonNull(last);
    }

    private JsonNode once(String method, URI uri, String body) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Accept", CONTENT_TYPE + ", application/json");
        if (authorization != null) {
            rb.header("Authorization", authorization);
        }
        if (body != null) {
            rb.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            rb.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(rb.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SchemaRegistryException("schema registry at " + uri.getHost() + ":" + uri.getPort()
                    + " did not answer: " + e.getMessage(), -1, -1, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while calling the schema registry", -1, -1, e);
        }
        int status = response.statusCode();
        JsonNode json;
        try {
            json = response.body() == null || response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new SchemaRegistryException("schema registry answered " + status + " with a body that is not JSON",
                    -1, status, e);
        }
        if (status / 100 == 2) {
            return json;
        }
        int code = json.path("error_code").asInt(status);
        String message = json.path("message").asText("HTTP " + status);
        throw new SchemaRegistryException("schema registry error " + code + ": " + message, code, status);
    }

    private void backoff(int attempt) {
        long wait = Math.min(retryMaxWaitMs, retryWaitMs << Math.min(attempt - 1, 20));
        long jittered = wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1);
        try {
            Thread.sleep(jittered);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while waiting to retry the schema registry", -1, -1, e);
        }
    }

    /** The client settings, under Confluent's names. */
    private static final class RegistryConfig {
        private final Map<String, ?> c;

        RegistryConfig(Map<String, ?> c) {
            this.c = c;
        }

        private String string(String key, String dflt) {
            Object v = c.get(key);
            return v == null ? dflt : v.toString();
        }

        private long number(String key, long dflt) {
            Object v = c.get(key);
            if (v == null) {
                return dflt;
            }
            try {
                return Long.parseLong(v.toString().strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a whole number, not '" + v + "'", e);
            }
        }

        int maxRetries() {
            return (int) number("max.retries", 3);
        }

        long retryWaitMs() {
            return Math.max(1, number("retries.wait.ms", 200));
        }

        long retryMaxWaitMs() {
            return Math.max(1, number("retries.max.wait.ms", 20_000));
        }

        long requestTimeoutMs() {
            return Math.max(1, number("http.request.timeout.ms", 30_000));
        }

        /** The Authorization header value, or null. */
        String authorization(String urlUserInfo) {
            String bearerSource = string("bearer.auth.credentials.source", "");
            if (bearerSource.equalsIgnoreCase("STATIC_TOKEN")) {
                String token = string("bearer.auth.token", "");
                if (token.isEmpty()) {
                    throw new IllegalArgumentException("bearer.auth.credentials.source=STATIC_TOKEN needs bearer.auth.token");
                }
                return "Bearer " + token;
            }
            String source = string("basic.auth.credentials.source", "URL");
            String userInfo = source.equalsIgnoreCase("USER_INFO") ? string("basic.auth.user.info", null)
                    : source.equalsIgnoreCase("URL") ? urlUserInfo : null;
            if (userInfo == null || userInfo.isEmpty()) {
                return null;
            }
            return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        }
    }
}
