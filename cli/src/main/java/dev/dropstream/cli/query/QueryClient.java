package dev.dropstream.cli.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One GET of the query API, as {@code dropstream query} makes it: the answer's JSON text, or an exception whose
 * message is the one sentence the user sees (the server's own sentence for an HTTP error).
 */
final class QueryClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final URI base;
    private final String token;

    /** A parameter the server refused (HTTP 400): the user's to fix. */
    static final class Refused extends RuntimeException {
        Refused(String sentence) {
            super(sentence);
        }
    }

    QueryClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** GET {@code path} with the non-null {@code params}; the body of a 200. */
    String get(String path, Map<String, String> params) {
        String query = params.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        URI uri = base.resolve(path + (query.isEmpty() ? "" : "?" + query));
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").GET();
        if (token != null && !token.isEmpty()) {
            req.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> resp;
        try {
            resp = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()
                    .send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new IllegalStateException("no query API answers at " + base + " (is dropstream streams running there? "
                    + "--url sets the address)", e);
        } catch (HttpTimeoutException e) {
            throw new IllegalStateException("the query API at " + base + " did not answer within "
                    + TIMEOUT.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the query API at " + base + " (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the query API", e);
        }
        if (resp.statusCode() == 200) {
            return resp.body();
        }
        String sentence = errorOf(resp.body());
        if (resp.statusCode() == 400) {
            throw new Refused(sentence == null ? "the server refused the request" : sentence);
        }
        throw new IllegalStateException("the query API at " + base + " answered " + resp.statusCode()
                + (sentence == null ? "" : ": " + sentence));
    }

    private static String errorOf(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n.hasNonNull("error") ? n.get("error").asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("the query API answered something that is not JSON", e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
