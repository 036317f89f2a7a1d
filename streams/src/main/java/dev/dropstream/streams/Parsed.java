package dev.dropstream.streams;

import org.apache.avro.specific.SpecificRecord;

/**
 * What the parse step hands on, inside one sub-topology (never serialized): an event, a dead letter, or a
 * line that has to be re-keyed by its origin host first.
 */
final class Parsed {
    enum Kind { PACKET, CONNTRACK, DEAD_LETTER, REKEY }

    private final Kind kind;
    private final SpecificRecord event;
    private final byte[] original;

    private Parsed(Kind kind, SpecificRecord event, byte[] original) {
        this.kind = kind;
        this.event = event;
        this.original = original;
    }

    static Parsed of(Kind kind, SpecificRecord event) {
        return new Parsed(kind, event, null);
    }

    static Parsed rekey(byte[] original) {
        return new Parsed(Kind.REKEY, null, original);
    }

    Kind kind() {
        return kind;
    }

    @SuppressWarnings("unchecked")
    <T extends SpecificRecord> T event() {
        return (T) event;
    }

    byte[] original() {
        return original;
    }
}
