package dev.dropstream.serde;

import java.util.Locale;
import java.util.Map;

/** The serde settings, under the names Confluent's serdes use, so existing client configs carry over. */
public final class AvroSerdeConfig {
    /** Comma-separated registry URLs: {@code mock://<scope>} or {@code http(s)://host:port}. Required. */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /** Register the writer's schema under the topic's subject on first use (default true). */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    /** Write with the id of the subject's latest version, which must be this schema (default false). */
    public static final String USE_LATEST_VERSION = "use.latest.version";

    private final String registryUrl;
    private final boolean autoRegister;
    private final boolean useLatest;

    AvroSerdeConfig(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new IllegalArgumentException(SCHEMA_REGISTRY_URL + " is required (mock://<scope> or http(s)://host:port)");
        }
        this.registryUrl = url.toString().strip();
        this.autoRegister = bool(configs, AUTO_REGISTER_SCHEMAS, true);
        this.useLatest = bool(configs, USE_LATEST_VERSION, false);
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean dflt) {
        Object v = configs.get(key);
        if (v == null) {
            return dflt;
        }
        String s = v.toString().strip().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(key + " must be true or false, not '" + v + "'");
    }

    String registryUrl() {
        return registryUrl;
    }

    boolean autoRegister() {
        return autoRegister;
    }

    boolean useLatest() {
        return useLatest;
    }
}
