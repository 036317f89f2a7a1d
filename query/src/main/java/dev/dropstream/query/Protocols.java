package dev.dropstream.query;

import java.util.Locale;
import java.util.Map;

/** IP protocol numbers and the names the API accepts and writes for the common ones. */
final class Protocols {
    private static final Map<String, Integer> NUMBERS = Map.of("icmp", 1, "tcp", 6, "udp", 17, "gre", 47,
            "esp", 50, "ah", 51, "icmpv6", 58, "sctp", 132);

    private Protocols() {
    }

    /** The name ({@code tcp}), else the number as text; {@code -1} (no IP protocol) stays {@code -1}. */
    static String name(int number) {
        for (Map.Entry<String, Integer> e : NUMBERS.entrySet()) {
            if (e.getValue() == number) {
                return e.getKey();
            }
        }
        return Integer.toString(number);
    }

    /** The number of a name or a number ({@code -1} for none), or a 400 naming {@code param}. */
    static int number(String param, String value) {
        Integer n = NUMBERS.get(value.strip().toLowerCase(Locale.ROOT));
        if (n != null) {
            return n;
        }
        try {
            int v = Integer.parseInt(value.strip());
            if (v >= -1 && v <= 255) {
                return v;
            }
        } catch (NumberFormatException e) {
            // the sentence below says what is wanted
        }
        throw ApiError.badRequest(param + " must be a protocol number from 0 to 255, -1, or one of "
                + new java.util.TreeSet<>(NUMBERS.keySet()) + ", not '" + value + "'");
    }
}
