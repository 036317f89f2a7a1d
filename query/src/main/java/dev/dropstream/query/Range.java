package dev.dropstream.query;

import java.time.Instant;

/**
 * The time range of a ranged query: windows whose start lies in {@code [from, to]}.
 *
 * @param from earliest window start
 * @param to latest window start
 */
record Range(Instant from, Instant to) {
}
