package dev.dropstream.streams;

import dev.dropstream.parser.ParserConfig;
import dev.dropstream.parser.VerdictRules;
import dev.dropstream.topics.TopicCatalog;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The configuration of {@code dropstream streams}, merged from four sources with this precedence:
 * <b>defaults &lt; file &lt; environment &lt; flags</b>. The file is a Java properties file; an environment
 * variable {@code DROPSTREAM_<KEY>} sets {@code <key>} (lower case, {@code _} for {@code .}); flags are
 * given last. Dropstream's own keys are in {@link #DEFAULTS}; every other key goes to Kafka Streams and its
 * clients as is ({@code producer.}, {@code consumer.}, {@code admin.} prefixes included).
 */
public final class StreamsAppConfig {
    /** Dropstream's keys and their defaults, in the order the README lists them. */
    public static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("bootstrap.servers", "");
        d.put("application.id", "dropstream");
        d.put("schema.registry.url", "mock://dropstream");
        d.put("processing.guarantee", StreamsConfig.EXACTLY_ONCE_V2);
        d.put("commit.interval.ms", "1000");
        d.put("state.dir", "");
        d.put("rocksdb.memory.bytes", Long.toString(BoundedRocksDbMemory.DEFAULT_MEMORY_BYTES));
        d.put("topics.partitions", "0");
        d.put("topics.replication.factor", "-1");
        d.put("window.1m.grace", "1m");
        d.put("window.1h.grace", "10m");
        d.put("window.skew.max", "10m");
        d.put("retention.1m", "1d");
        d.put("retention.1h", "30d");
        d.put("join.window", "2s");
        d.put("join.invalid.prefix", "(?i)invalid");
        d.put("invalid.recent.per.host", "200");
        d.put("rekey.by.host", "true");
        d.put("event.time.max.future", "1m");
        d.put("parser.zone", "UTC");
        d.put("verdict.presets", String.join(",", VerdictRules.presetNames()));
        d.put("verdict.rules", "");
        d.put("startup.timeout", "30s");
        d.put("query.listen", "127.0.0.1:7070");
        d.put("query.token", "");
        TopicCatalog.NAME_KEYS.forEach(d::put);
        DEFAULTS = Collections.unmodifiableMap(d);
    }

    private final Map<String, String> values;

    private StreamsAppConfig(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Merges the sources (later wins). {@code file} may be null; {@code env} is the process environment
     * (only {@code DROPSTREAM_*} variables are read); {@code flags} are explicit settings.
     */
    public static StreamsAppConfig load(Path file, Map<String, String> env, Map<String, String> flags) {
        Map<String, String> v = new TreeMap<>(DEFAULTS);
        if (file != null) {
            v.putAll(readFile(file));
        }
        env.forEach((name, value) -> {
            if (name.startsWith("DROPSTREAM_") && !NOT_SETTINGS.contains(name)) {
                v.put(name.substring("DROPSTREAM_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        v.putAll(flags);
        StreamsAppConfig c = new StreamsAppConfig(v);
        c.validate();
        return c;
    }

    /** Environment variables of the launcher and the logging setup, not settings. */
    private static final List<String> NOT_SETTINGS = List.of("DROPSTREAM_JAVA_OPTS", "DROPSTREAM_LOG_LEVEL");

    private static Map<String, String> readFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the configuration file " + file + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k.strip(), p.getProperty(k).strip()));
        return m;
    }

    private void validate() {
        if (get("bootstrap.servers").isBlank()) {
            throw new IllegalArgumentException("bootstrap.servers is not set: give --bootstrap-servers HOST:PORT, "
                    + "DROPSTREAM_BOOTSTRAP_SERVERS, or bootstrap.servers in the --config file");
        }
        topologySettings();
        parse("rocksdb.memory.bytes", 1L << 20);
        parse("topics.partitions", 0L);
        parse("topics.replication.factor", -1L);
        duration("startup.timeout");
    }

    /** These settings with {@code key} set to {@code value} (validated again). */
    public StreamsAppConfig with(String key, String value) {
        Map<String, String> v = new TreeMap<>(values);
        v.put(key, value);
        StreamsAppConfig c = new StreamsAppConfig(v);
        c.validate();
        return c;
    }

    public String get(String key) {
        String v = values.get(key);
        return v == null ? "" : v;
    }

    /** Every setting, for logging at start-up (no secrets are Dropstream keys; Kafka's are masked). */
    public Map<String, String> all() {
        Map<String, String> m = new TreeMap<>(values);
        m.replaceAll((k, v) -> k.contains("password") || k.contains("jaas") || k.contains("token")
                || k.contains("user.info") ? "[hidden]" : v);
        return m;
    }

    public String bootstrapServers() {
        return get("bootstrap.servers");
    }

    public Duration startupTimeout() {
        return duration("startup.timeout");
    }

    public int partitions() {
        return (int) parse("topics.partitions", 0L);
    }

    public short replicationFactor() {
        return (short) parse("topics.replication.factor", -1L);
    }

    /** The settings the topic catalog and the serdes read. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> m = new TreeMap<>();
        values.forEach((k, v) -> {
            if (!DEFAULTS.containsKey(k) || k.startsWith("topics.") || k.equals("schema.registry.url")) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** The topology's shape. */
    public TopologySettings topologySettings() {
        ParserConfig parser;
        try {
            parser = ParserConfig.defaults().withZone(ZoneId.of(get("parser.zone")));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("parser.zone '" + get("parser.zone") + "' is not a time zone", e);
        }
        List<VerdictRules.Rule> rules = new ArrayList<>();
        for (String r : get("verdict.rules").split("\n")) {
            if (!r.isBlank()) {
                rules.add(VerdictRules.parseRule(r.strip()));
            }
        }
        List<String> presets = new ArrayList<>();
        for (String p : get("verdict.presets").split(",")) {
            if (!p.isBlank()) {
                presets.add(p.strip());
            }
        }
        parser = parser.withVerdictRules(VerdictRules.of(rules, presets));
        Pattern invalid;
        try {
            invalid = Pattern.compile(get("join.invalid.prefix"));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("join.invalid.prefix is not a valid regex: " + e.getDescription(), e);
        }
        TopologySettings d = TopologySettings.defaults();
        return new TopologySettings(parser, d.minuteWindow(), duration("window.1m.grace"), duration("retention.1m"),
                d.hourWindow(), duration("window.1h.grace"), duration("retention.1h"), bool("rekey.by.host"),
                duration("join.window"), invalid, d.joinRecentCapacity(), duration("event.time.max.future"),
                (int) parse("invalid.recent.per.host", 1L), duration("window.skew.max"), 0);
    }

    /** Kafka Streams' properties: our fixed choices, then every non-Dropstream key as given. */
    public Properties streamsProperties(Path defaultStateDir) {
        Properties p = new Properties();
        values.forEach((k, v) -> {
            if (!DEFAULTS.containsKey(k) || k.equals("bootstrap.servers") || k.equals("application.id")
                    || k.equals("processing.guarantee") || k.equals("commit.interval.ms")
                    || k.equals("schema.registry.url")) {
                p.put(k, v);
            }
        });
        p.putAll(serdeConfig());
        String stateDir = get("state.dir");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.isBlank() ? defaultStateDir.toString() : stateDir);
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class.getName());
        p.put(BoundedRocksDbMemory.MEMORY_BYTES, get("rocksdb.memory.bytes"));
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        return p;
    }

    private boolean bool(String key) {
        String v = get(key).strip().toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(key + " must be true or false, not '" + get(key) + "'");
        }
        return Boolean.parseBoolean(v);
    }

    private long parse(String key, long min) {
        try {
            long v = Long.parseLong(get(key).strip());
            if (v < min) {
                throw new IllegalArgumentException(key + " must be at least " + min + ", not " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + get(key) + "'", e);
        }
    }

    /** {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 30d}, or ISO-8601 ({@code PT1M}). */
    Duration duration(String key) {
        return durationOf(key, get(key));
    }

    static Duration durationOf(String key, String raw) {
        String v = raw.strip().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            int unit = 0;
            while (unit < v.length() && Character.isDigit(v.charAt(unit))) {
                unit++;
            }
            long n = Long.parseLong(v.substring(0, unit));
            switch (v.substring(unit)) {
                case "ms": return Duration.ofMillis(n);
                case "s": return Duration.ofSeconds(n);
                case "m": return Duration.ofMinutes(n);
                case "h": return Duration.ofHours(n);
                case "d": return Duration.ofDays(n);
                default: break;
            }
        } catch (RuntimeException e) {
            // fall through to the sentence below
        }
        throw new IllegalArgumentException(key + " must be a duration such as 500ms, 30s, 10m, 2h or 30d, not '"
                + raw + "'");
    }
}
