package dev.dropstream.parser;

/** What one input line turned out to be. */
public enum Outcome {
    /** A netfilter LOG record: {@link ParsedLine} holds the packet. */
    PACKET,
    /** A conntrack diagnostic: an invalid-packet reason (with its packet), table full, or a suppression count. */
    CONNTRACK,
    /** Not a netfilter line at all (other kernel or syslog traffic): nothing to report. */
    SKIPPED,
    /** A netfilter line that could not be parsed whole: {@link ParsedLine#error()} says what and where. */
    ERROR
}
