package dev.dropstream.registry;

import org.apache.avro.Schema;

/** A schema as a registry holds it: under a subject, with a version and a global id. */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {
}
