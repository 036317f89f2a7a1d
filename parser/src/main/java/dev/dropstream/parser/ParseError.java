package dev.dropstream.parser;

/** Why a netfilter line could not be parsed. The name is the dead letter's error class. */
public enum ParseError {
    /** Tokens of a record without its IN=/OUT= start: the tail of a record a relay split into several lines. */
    RECORD_FRAGMENT("a fragment of a netfilter record without its IN=/OUT= start (a relay split the record)"),
    /** A token that the grammar does not allow at that place. */
    UNEXPECTED_TOKEN("unexpected token"),
    /** A value that is not of the form the kernel writes for that key. */
    BAD_VALUE("malformed value"),
    /** A token the kernel always writes is absent. */
    MISSING_TOKEN("missing token"),
    /** A netfilter format this version does not read (the old ebtables text log). */
    UNSUPPORTED_FORMAT("unsupported format"),
    /** The envelope (journald JSON, syslog header) is malformed. */
    BAD_ENVELOPE("malformed envelope");

    private final String description;

    ParseError(String description) {
        this.description = description;
    }

    /** A short phrase for messages. */
    public String description() {
        return description;
    }
}
