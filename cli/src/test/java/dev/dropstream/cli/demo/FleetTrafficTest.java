package dev.dropstream.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.parser.LineParser;
import dev.dropstream.parser.Outcome;
import dev.dropstream.parser.ParsedLine;
import dev.dropstream.parser.ParserConfig;
import dev.dropstream.schema.ConntrackEventKind;
import dev.dropstream.schema.ConntrackReason;
import dev.dropstream.schema.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The demo's traffic through the parser the topology uses: every line a record, and every kind in the mix. */
class FleetTrafficTest {
    private static final long NOW_MICROS = 1_795_000_000_000_000L;
    private final LineParser parser = new LineParser(ParserConfig.defaults());

    @Test
    void everyLineParsesAsTheRecordItPretendsToBe() {
        FleetTraffic traffic = new FleetTraffic(42, 24, NOW_MICROS);
        Map<FleetTraffic.Kind, Integer> kinds = new EnumMap<>(FleetTraffic.Kind.class);
        Set<String> hosts = new HashSet<>();
        Set<Verdict> verdicts = new HashSet<>();
        long micros = NOW_MICROS;
        for (int i = 0; i < 20_000; i++) {
            FleetTraffic.Event e = traffic.next(micros);
            kinds.merge(e.kind(), 1, Integer::sum);
            for (int l = 0; l < e.lines().size(); l++) {
                ParsedLine p = parse(e.lines().get(l));
                hosts.add(p.host());
                assertThat(p.eventTimeMicros()).as("stamped when generated: %s", e.lines().get(l))
                        .isBetween(micros, micros + 200_000);
                switch (e.kind()) {
                    case INVALID -> checkInvalid(e, l, p);
                    case TABLE_FULL -> assertThat(p.conntrackKind()).isEqualTo(l < e.lines().size() - 1
                            ? ConntrackEventKind.TABLE_FULL : ConntrackEventKind.CALLBACKS_SUPPRESSED);
                    case ALLOW -> assertThat(p.verdict()).isEqualTo(Verdict.ACCEPT);
                    default -> {
                        assertThat(p.outcome()).isEqualTo(Outcome.PACKET);
                        assertThat(p.verdict()).as(e.lines().get(l)).isIn(Verdict.DROP, Verdict.REJECT);
                        verdicts.add(p.verdict());
                    }
                }
            }
            micros += 1_000_000;
        }
        assertThat(kinds.keySet()).containsExactlyInAnyOrder(FleetTraffic.Kind.values());
        assertThat(kinds.get(FleetTraffic.Kind.TABLE_FULL)).as("the odd burst, not a flood").isLessThan(20);
        assertThat(hosts).containsExactlyInAnyOrderElementsOf(traffic.hostNames()).hasSize(24);
        assertThat(verdicts).containsExactlyInAnyOrder(Verdict.DROP, Verdict.REJECT);
    }

    /** The reason first, then the LOG line of the same packet on the same host, its prefix one the join picks. */
    private void checkInvalid(FleetTraffic.Event e, int line, ParsedLine p) {
        assertThat(e.lines()).hasSize(2);
        if (line == 0) {
            assertThat(p.outcome()).isEqualTo(Outcome.CONNTRACK);
            assertThat(p.conntrackKind()).isEqualTo(ConntrackEventKind.INVALID);
            assertThat(p.reason()).as(e.lines().get(0)).isNotEqualTo(ConntrackReason.OTHER);
            return;
        }
        assertThat(p.outcome()).isEqualTo(Outcome.PACKET);
        assertThat(p.prefix()).containsPattern(Pattern.compile("(?i)invalid"));
        assertThat(p.verdict()).isEqualTo(Verdict.DROP);
        String reasonPacket = e.lines().get(0).substring(e.lines().get(0).indexOf(" SRC="));
        String logPacket = e.lines().get(1).substring(e.lines().get(1).indexOf(" SRC="));
        assertThat(logPacket.replaceAll(" SEQ=\\d+ ACK=\\d+", "")).isEqualTo(reasonPacket.replaceAll(" SEQ=\\d+ ACK=\\d+", ""));
        assertThat(e.lines().get(1).split(" ")[1]).isEqualTo(e.lines().get(0).split(" ")[1]);
    }

    @Test
    void theSameSeedGivesTheSameTraffic() {
        FleetTraffic a = new FleetTraffic(7, 5, NOW_MICROS);
        FleetTraffic b = new FleetTraffic(7, 5, NOW_MICROS);
        for (int i = 0; i < 100; i++) {
            assertThat(a.next(NOW_MICROS + i)).isEqualTo(b.next(NOW_MICROS + i));
        }
    }

    private ParsedLine parse(String line) {
        ParsedLine p = new ParsedLine();
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        Outcome o = parser.parse(b, 0, b.length, p);
        assertThat(o).as("%s: %s", line, p.errorMessage()).isIn(Outcome.PACKET, Outcome.CONNTRACK);
        return p;
    }
}
