package dev.dropstream.query;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query parameters of one request, read strictly: a parameter the endpoint does not take, a value given
 * twice or a value that does not parse is a 400 whose sentence names the parameter. Knows the parameters
 * every ranged endpoint shares ({@code since}, {@code from}, {@code to}, {@code resolution}).
 */
final class Params {
    /** The internal parameter of the fleet-wide gathering: answer from this instance's partitions only. */
    static final String LOCAL = "local";
    static final Duration DEFAULT_SINCE = Duration.ofHours(1);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(s|m|h|d)");
    private static final Pattern MILLIS = Pattern.compile("-?\\d{1,19}");

    private final Map<String, String> values;

    private Params(Map<String, String> values) {
        this.values = values;
    }

    /** Parses the raw query of {@code uri}, refusing parameters not in {@code allowed} ({@code local} always is). */
    static Params of(URI uri, Set<String> allowed) {
        Map<String, String> values = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (!allowed.contains(name) && !name.equals(LOCAL)) {
                    throw ApiError.badRequest("unknown parameter '" + name + "'"
                            + (allowed.isEmpty() ? "; this path takes none" : "; this path takes " + new TreeSet<>(allowed)));
                }
                if (values.put(name, value) != null) {
                    throw ApiError.badRequest("the parameter '" + name + "' is given twice");
                }
            }
        }
        return new Params(values);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("the query string is not valid URL encoding (" + e.getMessage() + ")");
        }
    }

    /** The value, or null when absent (an empty value counts as absent). */
    String get(String name) {
        String v = values.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    boolean local() {
        return "true".equals(values.get(LOCAL));
    }

    /** {@code since}, or {@code from} and {@code to}; {@code to} defaults to {@code now}, {@code since} to 1 h. */
    Range range(Instant now) {
        String since = get("since");
        String from = get("from");
        Instant to = get("to") == null ? now : instant("to", get("to"));
        if (since != null && from != null) {
            throw ApiError.badRequest("give either since or from, not both");
        }
        Instant start = from != null ? instant("from", from) : to.minus(since == null ? DEFAULT_SINCE : duration(since));
        if (start.isAfter(to)) {
            throw ApiError.badRequest("from (" + start + ") is after to (" + to + ")");
        }
        return new Range(start, to);
    }

    /** {@code 90s}, {@code 15m}, {@code 1h}, {@code 24h}, {@code 7d}. */
    static Duration duration(String v) {
        Matcher m = DURATION.matcher(v.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw ApiError.badRequest("since must be a duration such as 90s, 15m, 1h, 24h or 7d, not '" + v + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** An ISO-8601 instant ({@code 2026-11-25T17:20:00Z}) or epoch milliseconds. */
    static Instant instant(String name, String v) {
        try {
            return MILLIS.matcher(v).matches() ? Instant.ofEpochMilli(Long.parseLong(v)) : Instant.parse(v);
        } catch (DateTimeException | NumberFormatException e) {
            throw ApiError.badRequest(name + " must be an ISO-8601 instant such as 2026-11-25T17:20:00Z or epoch "
                    + "milliseconds, not '" + v + "'");
        }
    }

    /** Which windowed store answers: {@code 1m} (default) or {@code 1h}. */
    String resolution() {
        String r = get("resolution");
        if (r == null) {
            return "1m";
        }
        if (!r.equals("1m") && !r.equals("1h")) {
            throw ApiError.badRequest("resolution must be 1m or 1h, not '" + r + "'");
        }
        return r;
    }

    /** A whole number in {@code [min, max]}, or {@code dflt} when absent. */
    int integer(String name, int dflt, int min, int max) {
        String v = get(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the sentence below says what is wanted
        }
        throw ApiError.badRequest(name + " must be a whole number from " + min + " to " + max + ", not '" + v + "'");
    }
}
