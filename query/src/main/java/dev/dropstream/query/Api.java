package dev.dropstream.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dropstream.schema.ConntrackEventKind;
import dev.dropstream.streams.Names;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The {@code /api/v1/*} endpoints: reads the parameters (400 on anything wrong, before any store is read),
 * then either answers from this instance alone ({@code local=true}: its {@link LocalPart}) or gathers the
 * fleet's rows through {@link Fleet} and merges them into the answer the API documents.
 */
final class Api {
    static final String PREFIX = "/api/v1/";
    /** The paths, as {@code /openapi.json} names them. */
    static final List<String> PATHS = List.of("/api/v1/drops", "/api/v1/top/{dimension}", "/api/v1/reasons",
            "/api/v1/table-full", "/api/v1/hosts", "/api/v1/invalid");
    private static final Set<String> RANGE = Set.of("since", "from", "to", "resolution");
    private static final Set<String> DROP_FILTERS = Set.of("prefix", "verdict", "protocol", "port");
    static final int MAX_LIMIT = 1000;

    private final LocalStores stores;
    private final Fleet fleet;
    private final Clock clock;

    Api(LocalStores stores, Fleet fleet, Clock clock) {
        this.stores = stores;
        this.fleet = fleet;
        this.clock = clock;
    }

    /** The answer to {@code uri}, whose path starts with {@link #PREFIX}. */
    ObjectNode answer(URI uri) {
        String path = uri.getPath();
        String name = path.substring(PREFIX.length());
        if (name.startsWith("top/")) {
            return top(uri, name.substring("top/".length()));
        }
        return switch (name) {
            case "drops" -> drops(uri);
            case "reasons" -> reasons(uri, Params.of(uri, union(RANGE, Set.of("host", "kind", "reason"))), null);
            case "table-full" -> reasons(uri, Params.of(uri, union(RANGE, Set.of("host"))), ConntrackEventKind.TABLE_FULL);
            case "hosts" -> {
                Params p = Params.of(uri, Set.of());
                yield gather(p, Names.HOSTS_STORE, uri, stores::hosts, HostAnswers::hosts);
            }
            case "invalid" -> {
                Params p = Params.of(uri, Set.of("host", "limit"));
                int limit = p.integer("limit", 50, 1, MAX_LIMIT);
                String host = p.get("host");
                yield gather(p, Names.RECENT_INVALID_STORE, uri, () -> stores.invalid(host, limit),
                        rows -> HostAnswers.invalid(rows, limit));
            }
            default -> throw notFound(path);
        };
    }

    static ApiError notFound(String path) {
        return ApiError.notFound("there is no " + path + "; the API's paths are in /openapi.json");
    }

    private ObjectNode drops(URI uri) {
        Params p = Params.of(uri, union(RANGE, union(DROP_FILTERS, Set.of("group"))));
        String group = p.get("group") == null ? "prefix" : p.get("group");
        if (!DropAnswers.GROUPS.containsKey(group)) {
            throw ApiError.badRequest("group must be one of " + new TreeSet<>(DropAnswers.GROUPS.keySet())
                    + ", not '" + group + "'");
        }
        Filters.Drops filter = Filters.Drops.of(p);
        Range range = p.range(clock.instant());
        String resolution = p.resolution();
        String store = resolution.equals("1h") ? Names.DROPS_1H_STORE : Names.DROPS_1M_STORE;
        return gather(p, store, uri, () -> stores.drops(store, range, filter),
                rows -> DropAnswers.series(rows, group, range, resolution));
    }

    private ObjectNode top(URI uri, String dimension) {
        if (!DropAnswers.EXACT_DIMENSIONS.containsKey(dimension) && !DropAnswers.SKETCHED_DIMENSIONS.containsKey(dimension)) {
            TreeSet<String> dims = new TreeSet<>(DropAnswers.EXACT_DIMENSIONS.keySet());
            dims.addAll(DropAnswers.SKETCHED_DIMENSIONS.keySet());
            throw ApiError.notFound("there is no top " + dimension + "; the dimensions are " + dims);
        }
        Params p = Params.of(uri, union(RANGE, union(DROP_FILTERS, Set.of("limit"))));
        int limit = p.integer("limit", 10, 1, MAX_LIMIT);
        Filters.Drops filter = Filters.Drops.of(p);
        Range range = p.range(clock.instant());
        String resolution = p.resolution();
        String store = resolution.equals("1h") ? Names.DROPS_1H_STORE : Names.DROPS_1M_STORE;
        return gather(p, store, uri, () -> stores.drops(store, range, filter),
                rows -> DropAnswers.top(rows, dimension, limit, range, resolution));
    }

    private ObjectNode reasons(URI uri, Params p, ConntrackEventKind only) {
        Filters.Reasons filter = Filters.Reasons.of(p, only);
        Range range = p.range(clock.instant());
        String resolution = p.resolution();
        String store = resolution.equals("1h") ? Names.REASONS_1H_STORE : Names.REASONS_1M_STORE;
        return gather(p, store, uri, () -> stores.reasons(store, range, filter),
                rows -> HostAnswers.reasons(rows, range, resolution));
    }

    /** This instance's part for {@code local=true}, else the fleet's rows merged by {@code merge}. */
    private ObjectNode gather(Params p, String store, URI uri, Supplier<LocalPart> local,
            java.util.function.Function<List<ObjectNode>, ObjectNode> merge) {
        if (p.local()) {
            return fleet.localOnly(local).toJson();
        }
        return merge.apply(fleet.rows(store, uri, local));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new TreeSet<>(a);
        u.addAll(b);
        return u;
    }
}
