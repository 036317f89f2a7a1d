package dev.dropstream.streams;

/**
 * Every processor, store and internal topic of the topology, named once. These names are a public
 * contract: they are in the internal topics' and state directories' names, so renaming one breaks an
 * upgrade in place (the application would start from empty state).
 */
public final class Names {
    public static final String RAW_SOURCE = "raw-source";
    public static final String PARSE = "parse";
    public static final String ROUTE = "route-";
    public static final String ROUTE_KEYED = "keyed";
    public static final String ROUTE_REKEY = "rekey";
    public static final String REKEY_VALUE = "rekey-original-line";
    /** The one repartition: lines whose Kafka key is not their origin host, re-keyed by it. */
    public static final String BY_HOST = "lines-by-host";
    public static final String PARSE_REKEYED = "parse-rekeyed";
    public static final String MERGE = "merge-parsed";
    public static final String KIND = "kind-";
    public static final String KIND_PACKET = "packet";
    public static final String KIND_CONNTRACK = "conntrack";
    public static final String KIND_DEAD_LETTER = "dead-letter";
    public static final String PACKET_VALUE = "packet-value";
    public static final String CONNTRACK_VALUE = "conntrack-value";
    public static final String DEAD_LETTER_VALUE = "dead-letter-value";
    public static final String PACKETS_SINK = "packets-sink";
    public static final String CONNTRACK_SINK = "conntrack-sink";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";

    /** Per task: packets added up per rule, port and minute until the next commit. */
    public static final String DROP_TALLIES = "drop-tallies";
    public static final String DROP_TALLIES_HOOK = "drop-tallies-before-commit";
    /** Repartition of those partial aggregates by rule and port. */
    public static final String DROPS_BY_RULE = "drops-by-rule";
    /** The 1-minute and 1-hour windows of the fleet, and their final results. */
    public static final String DROP_WINDOWS = "drop-windows";
    public static final String DROP_WINDOWS_HOOK = "drop-windows-before-commit";
    /** How far each window size has been closed (its final results forwarded). */
    public static final String DROPS_CLOSED_STORE = "drops-closed-store";
    public static final String DROPS_FINAL = "drops-final-";
    public static final String DROPS_1M_STORE = "drops-1m-store";
    public static final String DROPS_1H_STORE = "drops-1h-store";
    public static final String DROPS_1M = "drops-1m";
    public static final String DROPS_1H = "drops-1h";

    public static final String REASON_OBSERVATION = "reason-observation";
    /** Repartition of conntrack events by (host, kind, reason). */
    public static final String REASONS_BY_KEY = "reasons-by-key";
    public static final String REASONS_1M_STORE = "reasons-1m-store";
    public static final String REASONS_1H_STORE = "reasons-1h-store";
    public static final String REASONS_1M = "reasons-1m";
    public static final String REASONS_1H = "reasons-1h";

    public static final String JOINABLE = "joinable-events";
    public static final String INVALID_JOIN = "invalid-reason-join";
    public static final String INVALID_JOIN_STORE = "invalid-join-store";
    public static final String INVALID_SINK = "invalid-sink";

    /** Per origin host: last event time and records counted ({@link HostActivity}); read by the query API. */
    public static final String HOSTS_SEEN = "hosts-seen";
    public static final String HOSTS_STORE = "hosts-store";
    public static final String HOSTS_SEEN_HOOK = "hosts-seen-before-commit";
    /** The newest InvalidDrops of each host, bounded; read by the query API. */
    public static final String RECENT_INVALID = "recent-invalid";
    public static final String RECENT_INVALID_STORE = "invalid-recent-store";

    private Names() {
    }
}
