package dev.dropstream.parser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.schema.ConntrackEvent;
import dev.dropstream.schema.PacketEvent;
import java.time.Instant;
import java.time.ZoneOffset;

/** Test helpers: parse one line with a fixed reference time and return the event. */
final class Parsing {
    /** Year-less stamps in tests are read relative to this instant (2026-11-25T12:00:00Z). */
    static final Instant REFERENCE = Instant.parse("2026-11-25T12:00:00Z");

    private Parsing() {
    }

    static ParserConfig config() {
        return ParserConfig.defaults().withZone(ZoneOffset.UTC)
                .withReferenceTime(() -> REFERENCE.getEpochSecond() * 1_000_000L);
    }

    static ParsedLine parse(String line) {
        ParsedLine out = new ParsedLine();
        new LineParser(config()).parse(line, out);
        return out;
    }

    static PacketEvent packet(String line) {
        ParsedLine out = parse(line);
        assertThat(out.outcome()).as("outcome of %s (%s)", line, out.errorMessage()).isEqualTo(Outcome.PACKET);
        return new EventMapper().packetEvent(out, null);
    }

    static ConntrackEvent conntrack(String line) {
        ParsedLine out = parse(line);
        assertThat(out.outcome()).as("outcome of %s (%s)", line, out.errorMessage()).isEqualTo(Outcome.CONNTRACK);
        return new EventMapper().conntrackEvent(out, null);
    }
}
