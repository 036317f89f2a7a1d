package dev.dropstream.query;

import dev.dropstream.schema.ConntrackEventKind;
import dev.dropstream.schema.ConntrackReason;
import dev.dropstream.schema.DropKey;
import dev.dropstream.schema.ReasonKey;
import dev.dropstream.schema.Verdict;
import java.util.Arrays;
import java.util.Locale;

/**
 * The exact-match filters of the drop and reason endpoints, read from the request's parameters. A prefix
 * matches with surrounding spaces ignored ({@code [UFW BLOCK]} finds the prefix {@code "[UFW BLOCK] "} as
 * the kernel writes it), everything else exactly.
 */
final class Filters {
    private Filters() {
    }

    /** Drops of one rule, protocol or port; null fields match everything. */
    record Drops(String prefix, Verdict verdict, Integer protocol, Integer port) {
        static Drops of(Params p) {
            String prefix = p.get("prefix");
            Verdict verdict = p.get("verdict") == null ? null : symbol("verdict", p.get("verdict"), Verdict.class);
            Integer protocol = p.get("protocol") == null ? null : Protocols.number("protocol", p.get("protocol"));
            Integer port = p.get("port") == null ? null : p.integer("port", -1, -1, 65535);
            return new Drops(prefix == null ? null : prefix.strip(), verdict, protocol, port);
        }

        boolean matches(DropKey k) {
            return (prefix == null || prefix.equals(k.getPrefix().strip()))
                    && (verdict == null || verdict == k.getVerdict())
                    && (protocol == null || protocol == k.getProtocol())
                    && (port == null || port == k.getDstPort());
        }
    }

    /** Conntrack events of one host, kind or reason; null fields match everything. */
    record Reasons(String host, ConntrackEventKind kind, ConntrackReason reason) {
        static Reasons of(Params p, ConntrackEventKind only) {
            ConntrackEventKind kind = only != null ? only
                    : p.get("kind") == null ? null : symbol("kind", p.get("kind"), ConntrackEventKind.class);
            ConntrackReason reason = p.get("reason") == null ? null
                    : symbol("reason", p.get("reason"), ConntrackReason.class);
            return new Reasons(p.get("host"), kind, reason);
        }

        boolean matches(ReasonKey k) {
            return (host == null || host.equals(k.getHost()))
                    && (kind == null || kind == k.getKind())
                    && (reason == null || reason == k.getReason());
        }
    }

    /** The enum constant named {@code value} (any case), or a 400 that lists the names. */
    static <E extends Enum<E>> E symbol(String param, String value, Class<E> type) {
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(param + " must be one of " + Arrays.toString(type.getEnumConstants())
                    + ", not '" + value + "'");
        }
    }
}
