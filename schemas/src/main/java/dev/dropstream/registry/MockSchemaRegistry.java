package dev.dropstream.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * An in-process registry behind {@code mock://<scope>}: every serde of the process configured with the same
 * scope shares it, as Confluent's mock registry does. Ids are global across scopes' subjects within a
 * scope and start at 1. For the embedded single-process mode and tests; it forgets everything on exit.
 */
final class MockSchemaRegistry implements SchemaRegistryClient {
    private static final Map<String, MockSchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final Map<Integer, Schema> byId = new HashMap<>();
    private final Map<Schema, Integer> idOf = new HashMap<>();
    private final Map<String, List<Schema>> subjects = new HashMap<>();

    private MockSchemaRegistry() {
    }

    static MockSchemaRegistry scope(String name) {
        return SCOPES.computeIfAbsent(name, n -> new MockSchemaRegistry());
    }

    /** Forgets a scope (tests that want a clean registry). */
    static void drop(String name) {
        SCOPES.remove(name);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        int id = idOf.computeIfAbsent(schema, s -> {
            int next = byId.size() + 1;
            byId.put(next, s);
            return next;
        });
        List<Schema> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(schema)) {
            versions.add(schema);
        }
        return id;
    }

    @Override
    public synchronized RegisteredSchema lookup(String subject, Schema schema) {
        List<Schema> versions = subjects.get(subject);
        if (versions == null) {
            throw notFound("Subject '" + subject + "' not found.", 40401);
        }
        int v = versions.indexOf(schema);
        if (v < 0) {
            throw notFound("Schema not found under subject '" + subject + "'.", 40403);
        }
        return new RegisteredSchema(subject, v + 1, idOf.get(schema), schema);
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema s = byId.get(id);
        if (s == null) {
            throw notFound("Schema " + id + " not found.", 40403);
        }
        return s;
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        List<Schema> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw notFound("Subject '" + subject + "' not found.", 40401);
        }
        return version(subject, versions.size());
    }

    @Override
    public synchronized RegisteredSchema version(String subject, int version) {
        List<Schema> versions = subjects.get(subject);
        if (versions == null) {
            throw notFound("Subject '" + subject + "' not found.", 40401);
        }
        if (version < 1 || version > versions.size()) {
            throw notFound("Version " + version + " not found.", 40402);
        }
        Schema s = versions.get(version - 1);
        return new RegisteredSchema(subject, version, idOf.get(s), s);
    }

    private static SchemaRegistryException notFound(String message, int code) {
        return new SchemaRegistryException(message, code, 404);
    }
}
