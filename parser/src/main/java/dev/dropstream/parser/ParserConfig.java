package dev.dropstream.parser;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How lines are read: the zone of zone-less stamps, the reference time that year-less stamps must not
 * be later than, and the verdict rules. Immutable; {@link #defaults()} is UTC, now, and every preset.
 */
public final class ParserConfig {
    private final ZoneId zone;
    private final LongSupplier referenceMicros;
    private final VerdictRules verdictRules;

    private ParserConfig(ZoneId zone, LongSupplier referenceMicros, VerdictRules verdictRules) {
        this.zone = Objects.requireNonNull(zone, "zone");
        this.referenceMicros = Objects.requireNonNull(referenceMicros, "referenceMicros");
        this.verdictRules = Objects.requireNonNull(verdictRules, "verdictRules");
    }

    public static ParserConfig defaults() {
        return new ParserConfig(ZoneOffset.UTC, ParserConfig::nowMicros, VerdictRules.defaults());
    }

    private static long nowMicros() {
        return System.currentTimeMillis() * 1000L;
    }

    /** Zone-less stamps (RFC 3164, dmesg -T, journal short) are read in this zone. */
    public ParserConfig withZone(ZoneId z) {
        return new ParserConfig(z, referenceMicros, verdictRules);
    }

    /** Year-less stamps get the latest year that puts them no later than this time (epoch micros). */
    public ParserConfig withReferenceTime(LongSupplier micros) {
        return new ParserConfig(zone, micros, verdictRules);
    }

    public ParserConfig withVerdictRules(VerdictRules rules) {
        return new ParserConfig(zone, referenceMicros, rules);
    }

    public ZoneId zone() {
        return zone;
    }

    public LongSupplier referenceMicros() {
        return referenceMicros;
    }

    public VerdictRules verdictRules() {
        return verdictRules;
    }
}
