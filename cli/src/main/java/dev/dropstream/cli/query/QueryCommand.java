package dev.dropstream.cli.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dropstream.cli.UserError;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dropstream query}: the query API from a terminal. Each subcommand is one endpoint; it prints an aligned
 * table, or with {@code --json} the API's answer as it came. A server that does not answer, or answers with an
 * error, is one sentence and a non-zero exit.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Asks the query API of a running dropstream streams: top ports, sources, prefixes; drops over "
                + "time; conntrack reasons; table-full events; hosts; recent InvalidDrops.",
        subcommands = {QueryCommand.Top.class, QueryCommand.Drops.class, QueryCommand.Reasons.class,
            QueryCommand.TableFull.class, QueryCommand.Hosts.class, QueryCommand.Invalid.class})
public final class QueryCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Asks, then prints the JSON or the table {@code render} makes of it. */
    static int ask(CommandSpec spec, QueryOptions.Connection c, String path, Map<String, String> params,
            BiConsumer<JsonNode, PrintWriter> render) {
        String body;
        try {
            body = c.client().get(path, params);
        } catch (QueryClient.Refused e) {
            throw new UserError(e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (c.json) {
            out.println(body.strip());
        } else {
            render.accept(QueryClient.parse(body), out);
        }
        out.flush();
        return 0;
    }

    @Command(name = "top", mixinStandardHelpOptions = true,
            description = "The top ports, prefixes, verdicts, protocols, rules, sources or hosts by packets.")
    static final class Top implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "DIMENSION", description = "ports, prefixes, verdicts, protocols, rules, sources or hosts.")
        String dimension;
        @Option(names = "--limit", paramLabel = "N", description = "How many (default 10).")
        String limit;
        @Mixin
        QueryOptions.Connection connection;
        @Mixin
        QueryOptions.Range range;
        @Mixin
        QueryOptions.DropFilter filter;

        @Override
        public Integer call() {
            Map<String, String> p = new LinkedHashMap<>(range.params());
            p.putAll(filter.params());
            p.put("limit", limit);
            return ask(spec, connection, "api/v1/top/" + dimension, p, Render::top);
        }
    }

    @Command(name = "drops", mixinStandardHelpOptions = true,
            description = "Packets, bytes and distinct sources per window, grouped by prefix (or --group).")
    static final class Drops implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--group", paramLabel = "GROUP", description = "prefix (default), rule, port, verdict, protocol or total.")
        String group;
        @Mixin
        QueryOptions.Connection connection;
        @Mixin
        QueryOptions.Range range;
        @Mixin
        QueryOptions.DropFilter filter;

        @Override
        public Integer call() {
            Map<String, String> p = new LinkedHashMap<>(range.params());
            p.putAll(filter.params());
            p.put("group", group);
            return ask(spec, connection, "api/v1/drops", p, Render::drops);
        }
    }

    @Command(name = "reasons", mixinStandardHelpOptions = true,
            description = "Conntrack events per host, kind and reason, most first.")
    static final class Reasons implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--host", paramLabel = "HOST", description = "Only this origin host.")
        String host;
        @Option(names = "--kind", paramLabel = "KIND", description = "Only INVALID, TABLE_FULL or CALLBACKS_SUPPRESSED.")
        String kind;
        @Option(names = "--reason", paramLabel = "REASON", description = "Only this reason, e.g. INVALID_TCP_FLAGS.")
        String reason;
        @Mixin
        QueryOptions.Connection connection;
        @Mixin
        QueryOptions.Range range;

        @Override
        public Integer call() {
            Map<String, String> p = new LinkedHashMap<>(range.params());
            p.put("host", host);
            p.put("kind", kind);
            p.put("reason", reason);
            return ask(spec, connection, "api/v1/reasons", p, Render::reasons);
        }
    }

    @Command(name = "table-full", mixinStandardHelpOptions = true,
            description = "nf_conntrack table-full events per host.")
    static final class TableFull implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--host", paramLabel = "HOST", description = "Only this origin host.")
        String host;
        @Mixin
        QueryOptions.Connection connection;
        @Mixin
        QueryOptions.Range range;

        @Override
        public Integer call() {
            Map<String, String> p = new LinkedHashMap<>(range.params());
            p.put("host", host);
            return ask(spec, connection, "api/v1/table-full", p, Render::reasons);
        }
    }

    @Command(name = "hosts", mixinStandardHelpOptions = true, description = "Every origin host seen, and when last.")
    static final class Hosts implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        QueryOptions.Connection connection;

        @Override
        public Integer call() {
            return ask(spec, connection, "api/v1/hosts", Map.of(), Render::hosts);
        }
    }

    @Command(name = "invalid", mixinStandardHelpOptions = true,
            description = "The newest InvalidDrops: conntrack's reasons joined to the LOG records of their packets.")
    static final class Invalid implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--host", paramLabel = "HOST", description = "Only this origin host.")
        String host;
        @Option(names = "--limit", paramLabel = "N", description = "How many (default 50).")
        String limit;
        @Mixin
        QueryOptions.Connection connection;

        @Override
        public Integer call() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("host", host);
            p.put("limit", limit);
            return ask(spec, connection, "api/v1/invalid", p, Render::invalid);
        }
    }
}
