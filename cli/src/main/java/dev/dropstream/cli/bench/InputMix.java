package dev.dropstream.cli.bench;

import dev.dropstream.parser.LineParser;
import dev.dropstream.parser.Outcome;
import dev.dropstream.parser.ParsedLine;
import dev.dropstream.parser.ParserConfig;

/**
 * What the input is made of, as the topology's parser sees it: LOG records, conntrack events, lines that are not
 * netfilter, netfilter lines that cannot be parsed (dead letters), and lines whose envelope names another host
 * than their Kafka key (the topology re-keys those through its repartition). Counted once while the input is
 * produced, outside the measured time, so the report says what the topologies were given.
 */
final class InputMix {
    private final LineParser parser;
    private final ParsedLine line = new ParsedLine();
    private long packets;
    private long conntrack;
    private long skipped;
    private long errors;
    private long rekeyed;

    InputMix(ParserConfig config) {
        this.parser = new LineParser(config);
    }

    void add(String key, byte[] value) {
        Outcome o = parser.parse(value, 0, value.length, line);
        switch (o) {
            case PACKET -> packets++;
            case CONNTRACK -> conntrack++;
            case SKIPPED -> skipped++;
            case ERROR -> errors++;
        }
        if ((o == Outcome.PACKET || o == Outcome.CONNTRACK) && line.host() != null && !line.host().equals(key)) {
            rekeyed++;
        }
    }

    long packets() {
        return packets;
    }

    long conntrack() {
        return conntrack;
    }

    long skipped() {
        return skipped;
    }

    long errors() {
        return errors;
    }

    long rekeyed() {
        return rekeyed;
    }

    long total() {
        return packets + conntrack + skipped + errors;
    }
}
