package dev.dropstream.parser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.schema.ConntrackEvent;
import dev.dropstream.schema.PacketEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every real line in the corpus parses, except the negative cases its provenance marks. */
class CorpusTest {
    /**
     * issue-quoted-lines.log lines 11-14: a UniFi UDM-Pro split one kernel record across several syslog
     * messages; each fragment starts mid-field (provenance: elastic/beats#25615).
     */
    private static final String SPLIT_RECORDS = "conntrack-and-misc/issue-quoted-lines.log";
    private static final Set<Integer> SPLIT_RECORD_LINES = Set.of(11, 12, 13, 14);

    @Test
    void everyCorpusLineParsesExceptTheMarkedNegativeCases() {
        LineParser parser = new LineParser(ParserConfig.defaults());
        EventMapper mapper = new EventMapper();
        ParsedLine line = new ParsedLine();
        List<String> failures = new ArrayList<>();
        int total = 0;
        for (Path file : Corpus.logFiles()) {
            String name = Corpus.root().relativize(file).toString();
            List<byte[]> lines = Corpus.lines(file);
            for (int i = 0; i < lines.size(); i++) {
                byte[] bytes = lines.get(i);
                total++;
                Outcome o = parser.parse(bytes, 0, bytes.length, line);
                boolean negative = name.equals(SPLIT_RECORDS) && SPLIT_RECORD_LINES.contains(i + 1);
                if (negative) {
                    if (o != Outcome.ERROR || line.error() != ParseError.RECORD_FRAGMENT) {
                        failures.add(name + ":" + (i + 1) + " should be a RECORD_FRAGMENT error, was " + o);
                    }
                    continue;
                }
                if (o == Outcome.PACKET) {
                    PacketEvent e = mapper.packetEvent(line, null);
                    if (e.getExtraTokens().size() > 0 && !e.getExtraTokens().equals(List.of("URGn=0"))) {
                        failures.add(name + ":" + (i + 1) + " left tokens unread " + e.getExtraTokens());
                    }
                } else if (o == Outcome.CONNTRACK) {
                    ConntrackEvent c = mapper.conntrackEvent(line, null);
                    assertThat(c.getKind()).isNotNull();
                } else {
                    failures.add(name + ":" + (i + 1) + " " + o + " "
                            + (o == Outcome.ERROR ? line.errorMessage() : line.skipReason()) + ": "
                            + new String(bytes, StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(total).as("corpus lines read").isGreaterThan(25_000);
        assertThat(failures).as("lines that did not parse").isEmpty();
    }
}
