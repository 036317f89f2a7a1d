package dev.dropstream.registry;

import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * What the serdes need from a schema registry. Two implementations: {@code mock://<scope>} keeps schemas in
 * this process (the embedded default and tests), {@code http(s)://...} speaks the Confluent Schema Registry
 * REST API (also served by Apicurio, Karapace and Redpanda).
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /** Registers the schema under the subject (idempotent) and returns its global id. */
    int register(String subject, Schema schema);

    /** The id of a schema already registered under the subject, without registering it. */
    RegisteredSchema lookup(String subject, Schema schema);

    /** The writer schema of a global id. */
    Schema schemaById(int id);

    /** The latest version registered under the subject. */
    RegisteredSchema latest(String subject);

    /** One version of the subject. */
    RegisteredSchema version(String subject, int version);

    @Override
    default void close() {
    }

    /**
     * The client for a {@code schema.registry.url}. Only the first of a comma-separated list is used for
     * {@code mock://}; an HTTP client fails over between them.
     */
    static SchemaRegistryClient forUrl(String urls, Map<String, ?> config) {
        String first = urls.split(",")[0].strip();
        String scheme = first.contains("://") ? first.substring(0, first.indexOf("://")).toLowerCase(Locale.ROOT) : "";
        switch (scheme) {
            case "mock":
                return MockSchemaRegistry.scope(first.substring("mock://".length()));
            case "http":
            case "https":
                return new HttpSchemaRegistry(urls, config);
            default:
                throw new IllegalArgumentException("schema.registry.url '" + urls
                        + "' must start with mock://, http:// or https://");
        }
    }
}
