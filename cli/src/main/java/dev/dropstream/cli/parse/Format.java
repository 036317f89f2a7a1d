package dev.dropstream.cli.parse;

import java.util.Locale;

/** The shape of the objects {@code dropstream parse} writes. */
enum Format {
    /** Our Avro records, field for field, with a {@code type} member. */
    JSON,
    /** Elastic Common Schema with Filebeat's {@code iptables.*} fields. */
    ECS;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
