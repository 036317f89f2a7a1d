package dev.dropstream.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Gathers the rows of one store from every instance of the application that holds partitions of it: this
 * instance reads its own, the others are asked over the same API with {@code local=true} (and the same token).
 * The answer is whole or it is a 503: every instance must answer, and together they must have read every
 * partition of the store exactly once (during a rebalance a partition may have no owner, or two).
 */
final class Fleet {
    static final Duration PEER_TIMEOUT = Duration.ofSeconds(10);
    private final KafkaStreams streams;
    private final HostInfo self;
    private final String token;
    private final HttpClient http;

    /** {@code self} is this instance's {@code application.server}, null when it has none (a fleet of one). */
    Fleet(KafkaStreams streams, HostInfo self, String token, HttpClient http) {
        this.streams = streams;
        this.self = self;
        this.token = token;
        this.http = http;
    }

    /** Every row of {@code store} in the fleet for the request {@code uri} (path and query of this request). */
    List<ObjectNode> rows(String store, URI uri, Supplier<LocalPart> local) {
        requireRunning();
        if (self == null) {
            LocalPart part = local.get();
            requireWhole(store, List.of(part), localPartitions());
            return part.rows();
        }
        Collection<StreamsMetadata> holders = streams.streamsMetadataForStore(store);
        if (holders.isEmpty()) {
            throw ApiError.unavailable("no instance holds the store " + store + " yet");
        }
        List<CompletableFuture<LocalPart>> parts = new ArrayList<>();
        for (StreamsMetadata m : holders) {
            parts.add(m.hostInfo().equals(self) ? CompletableFuture.completedFuture(local.get()) : ask(m.hostInfo(), uri));
        }
        List<LocalPart> answers = new ArrayList<>();
        for (CompletableFuture<LocalPart> f : parts) {
            try {
                answers.add(f.join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof ApiError a ? a
                        : ApiError.unavailable("an instance did not answer (" + e.getCause() + ")");
            }
        }
        SortedSet<Integer> expected = new TreeSet<>();
        streams.metadataForAllStreamsClients().forEach(m -> m.topicPartitions().forEach(tp -> expected.add(tp.partition())));
        requireWhole(store, answers, expected);
        List<ObjectNode> rows = new ArrayList<>();
        answers.forEach(a -> rows.addAll(a.rows()));
        return rows;
    }

    /** This instance's part alone, for a request with {@code local=true}. */
    LocalPart localOnly(Supplier<LocalPart> local) {
        requireRunning();
        return local.get();
    }

    private void requireRunning() {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            throw ApiError.unavailable("the stores are not queryable while Kafka Streams is " + state);
        }
    }

    private SortedSet<Integer> localPartitions() {
        SortedSet<Integer> ps = new TreeSet<>();
        streams.metadataForLocalThreads().forEach(t -> t.activeTasks().forEach(task -> ps.add(task.taskId().partition())));
        return ps;
    }

    /** Each expected partition read once by exactly one instance, else 503. */
    private static void requireWhole(String store, List<LocalPart> answers, SortedSet<Integer> expected) {
        SortedSet<Integer> seen = new TreeSet<>();
        for (LocalPart a : answers) {
            for (int p : a.partitions()) {
                if (!seen.add(p)) {
                    throw ApiError.unavailable("partition " + p + " of " + store + " was answered by two instances "
                            + "(a rebalance is under way)");
                }
            }
        }
        if (!seen.containsAll(expected)) {
            SortedSet<Integer> missing = new TreeSet<>(expected);
            missing.removeAll(seen);
            throw ApiError.unavailable("no instance answered for partitions " + missing + " of " + store
                    + " (a rebalance is under way or a task is restoring)");
        }
    }

    private CompletableFuture<LocalPart> ask(HostInfo peer, URI uri) {
        String query = uri.getRawQuery() == null || uri.getRawQuery().isEmpty() ? "" : uri.getRawQuery() + "&";
        URI target = URI.create("http://" + hostPort(peer) + uri.getRawPath() + "?" + query + Params.LOCAL + "=true");
        HttpRequest.Builder req = HttpRequest.newBuilder(target).timeout(PEER_TIMEOUT).GET();
        if (!token.isEmpty()) {
            req.header("Authorization", "Bearer " + token);
        }
        return http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString())
                .handle((resp, e) -> {
                    if (e != null) {
                        throw ApiError.unavailable("the instance at " + hostPort(peer) + " did not answer ("
                                + (e.getCause() != null ? e.getCause() : e) + ")");
                    }
                    return parse(peer, resp);
                });
    }

    private static LocalPart parse(HostInfo peer, HttpResponse<String> resp) {
        try {
            JsonNode body = Json.MAPPER.readTree(resp.body());
            if (resp.statusCode() != 200) {
                String why = body.path("error").asText("status " + resp.statusCode());
                throw ApiError.unavailable("the instance at " + hostPort(peer) + " could not answer: " + why);
            }
            SortedSet<Integer> partitions = new TreeSet<>();
            body.path("partitions").forEach(p -> partitions.add(p.asInt()));
            List<ObjectNode> rows = new ArrayList<>();
            body.path("rows").forEach(r -> rows.add((ObjectNode) r));
            return new LocalPart(partitions, rows);
        } catch (IOException | ClassCastException e) {
            throw ApiError.unavailable("the instance at " + hostPort(peer) + " answered something that is not its "
                    + "part of the answer (" + e.getMessage() + ")");
        }
    }

    private static String hostPort(HostInfo h) {
        return (h.host().contains(":") ? "[" + h.host() + "]" : h.host()) + ":" + h.port();
    }
}
