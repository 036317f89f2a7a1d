package dev.dropstream.cli.query;

import dev.dropstream.cli.UserError;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options the {@code dropstream query} subcommands share, each group a picocli mixin. */
final class QueryOptions {
    private QueryOptions() {
    }

    /** Where the API is, and how to print its answer. */
    static final class Connection {
        @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:7070",
                description = "The query API of any dropstream streams instance (default ${DEFAULT-VALUE}).")
        String url;

        @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:DROPSTREAM_QUERY_TOKEN}",
                description = "Bearer token of a server started with --token (default: $DROPSTREAM_QUERY_TOKEN).")
        String token;

        @Option(names = "--json", description = "Print the API's JSON answer instead of a table.")
        boolean json;

        QueryClient client() {
            URI base;
            try {
                base = URI.create(url.endsWith("/") ? url : url + "/");
            } catch (IllegalArgumentException e) {
                throw new UserError("--url must be a URL such as http://127.0.0.1:7070, not '" + url + "'", e);
            }
            if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme()) || base.getHost() == null) {
                throw new UserError("--url must be an http:// or https:// URL such as http://127.0.0.1:7070, not '"
                        + url + "'");
            }
            return new QueryClient(base, token);
        }
    }

    /** The time range and resolution of a ranged query. */
    static final class Range {
        @Option(names = "--since", paramLabel = "DURATION", description = "How far back: 90s, 15m, 1h, 24h, 7d (default 1h).")
        String since;

        @Option(names = "--from", paramLabel = "TIME", description = "Start: ISO-8601 instant or epoch millis (not with --since).")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "End: ISO-8601 instant or epoch millis (default now).")
        String to;

        @Option(names = "--resolution", paramLabel = "1m|1h", description = "1-minute (default) or 1-hour windows.")
        String resolution;

        Map<String, String> params() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("since", since);
            p.put("from", from);
            p.put("to", to);
            p.put("resolution", resolution);
            return p;
        }
    }

    /** Exact-match filters of the drop aggregate. */
    static final class DropFilter {
        @Option(names = "--prefix", paramLabel = "PREFIX", description = "Only this LOG prefix, e.g. '[UFW BLOCK]'.")
        String prefix;

        @Option(names = "--verdict", paramLabel = "VERDICT", description = "Only DROP, REJECT, ACCEPT, AUDIT or UNKNOWN.")
        String verdict;

        @Option(names = "--protocol", paramLabel = "PROTO", description = "Only tcp, udp, icmp, icmpv6, … or a number.")
        String protocol;

        @Option(names = "--port", paramLabel = "PORT", description = "Only this destination port (-1: none).")
        String port;

        Map<String, String> params() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("prefix", prefix);
            p.put("verdict", verdict);
            p.put("protocol", protocol);
            p.put("port", port);
            return p;
        }
    }
}
