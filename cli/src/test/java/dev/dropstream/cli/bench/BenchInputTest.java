package dev.dropstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.parser.LineParser;
import dev.dropstream.parser.Outcome;
import dev.dropstream.parser.ParsedLine;
import dev.dropstream.parser.ParserConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** The benchmark's input: real lines with new hosts and times that the parser reads back as intended. */
class BenchInputTest {
    private static final ZoneId UTC = ZoneOffset.UTC;

    static Path corpus() {
        String prop = System.getProperty("dropstream.corpus");
        return BenchInput.locate(prop != null ? prop : "../shared/corpus")
                .orElseThrow(() -> new IllegalStateException("the corpus is not at ../shared/corpus beside the checkout"));
    }

    @Test
    void splitsEachEnvelopeFormBeforeItsMessage() {
        assertThat(BenchInput.template("Mar 11 20:35:11 linux kernel: [463490.251762] DROP IN=eth1 OUT="))
                .isEqualTo(new BenchInput.Template(BenchInput.Envelope.RFC3164, "kernel: [463490.251762] DROP IN=eth1 OUT="));
        assertThat(BenchInput.template("2025-11-30T00:00:20.570472-07:00 m1 kernel: [UFW AUDIT] IN= OUT=eth0"))
                .isEqualTo(new BenchInput.Template(BenchInput.Envelope.RFC3339, "kernel: [UFW AUDIT] IN= OUT=eth0"));
        assertThat(BenchInput.template("[Thu Sep  2 19:40:54 2021] DNAT: IN=eth0 OUT="))
                .isEqualTo(new BenchInput.Template(BenchInput.Envelope.DMESG_T, "DNAT: IN=eth0 OUT="));
        assertThat(BenchInput.template("[ 4510.559402] LAB-ARP-IN IN=vethB1 OUT= ARP"))
                .isEqualTo(new BenchInput.Template(BenchInput.Envelope.AS_IS, "[ 4510.559402] LAB-ARP-IN IN=vethB1 OUT= ARP"));
        assertThat(BenchInput.template("scan:Mar 17 13:39:13 linux kernel: DROP IN=eth0"))
                .isEqualTo(new BenchInput.Template(BenchInput.Envelope.RFC3164, "scan:", "kernel: DROP IN=eth0", null));
        assertThat(BenchInput.template("2021-03-02T18:40:09.984Z pve kernel: 101 6 tap101i0-IN 02/Mar/2021:19:40:07 +0100 "
                + "ACCEPT: IN=fwbr101i0")).isEqualTo(new BenchInput.Template(BenchInput.Envelope.RFC3339, "",
                "kernel: 101 6 tap101i0-IN ", " ACCEPT: IN=fwbr101i0"));
    }

    @Test
    void writesTheTimeAndHostOfEachLineInItsOwnForm() {
        BenchInput input = BenchInput.of(List.of(
                BenchInput.template("Mar  1 20:35:11 linux kernel: DROP IN=eth1 OUT="),
                BenchInput.template("2025-11-30T00:00:20.570472-07:00 m1 kernel: [UFW AUDIT] IN= OUT=eth0"),
                BenchInput.template("[Thu Sep  2 19:40:54 2021] DNAT: IN=eth0 OUT="),
                BenchInput.template("2021-03-02T18:40:09.984Z pve kernel: 101 6 tap-IN 02/Mar/2021:19:40:07 +0100 ACCEPT: IN=")));
        long last = Instant.parse("2026-03-05T10:00:03Z").toEpochMilli() * 1000;
        BenchInput.Generator g = input.generator(4, List.of("host-01"), 0, 1, last, UTC);

        assertThat(text(g.next())).isEqualTo("Mar  5 10:00:00 host-01 kernel: DROP IN=eth1 OUT=");
        assertThat(text(g.next())).isEqualTo("2026-03-05T10:00:01.000000+00:00 host-01 kernel: [UFW AUDIT] IN= OUT=eth0");
        assertThat(text(g.next())).isEqualTo("[Thu Mar  5 10:00:02 2026] DNAT: IN=eth0 OUT=");
        BenchInput.Line pve = g.next();
        assertThat(text(pve)).isEqualTo("2026-03-05T10:00:03.000000+00:00 host-01 kernel: 101 6 tap-IN "
                + "05/Mar/2026:10:00:03 +0000 ACCEPT: IN=");
        assertThat(pve.timestampMs()).isEqualTo(last / 1000);
        assertThat(g.hasNext()).isFalse();
    }

    @Test
    void hostNamesSpreadEvenlyOverThePartitionsOrAsTheyCome() {
        assertThat(BenchInput.hostNames(3, 0)).containsExactly("host-01", "host-02", "host-03");
        for (int partitions : new int[] {1, 2, 3, 7}) {
            List<String> names = BenchInput.hostNames(50, partitions);
            int[] per = new int[partitions];
            names.forEach(n -> per[Utils.toPositive(Utils.murmur2(n.getBytes(StandardCharsets.UTF_8))) % partitions]++);
            assertThat(names).hasSize(50).doesNotHaveDuplicates();
            assertThat(Arrays.stream(per).max().getAsInt() - Arrays.stream(per).min().getAsInt()).as("%s", names)
                    .isLessThanOrEqualTo(1);
        }
    }

    @Test
    void spreadsTheNonNetfilterShareEvenly() {
        BenchInput input = BenchInput.of(List.of(BenchInput.template("[ 1.000000] DROP IN=eth0 OUT=")));
        BenchInput.Generator g = input.generator(1000, BenchInput.hostNames(3, 0), 10, 1000, 1_000_000_000L, UTC);
        int other = 0;
        while (g.hasNext()) {
            if (!text(g.next()).contains("IN=eth0")) {
                other++;
            }
        }
        assertThat(other).isEqualTo(100);
    }

    /**
     * Every corpus line, sent from each of several hosts: the parser reads the host the line is keyed by (or none,
     * where the envelope has no host) and an event time within a second of the record's (syslog stamps have whole
     * seconds), so nothing is re-keyed and no window sees the corpus' original dates.
     */
    @Test
    void theParserReadsBackTheHostAndTimeOfEveryGeneratedLine() {
        BenchInput input = BenchInput.load(corpus());
        long count = input.lines() * 3L;
        long last = Instant.now().minusSeconds(120).getEpochSecond() * 1_000_000L;
        BenchInput.Generator g = input.generator(count, BenchInput.hostNames(7, 2), 10, 1000, last, UTC);
        LineParser parser = new LineParser(ParserConfig.defaults());
        ParsedLine line = new ParsedLine();
        Map<Outcome, Integer> outcomes = new HashMap<>();
        long previous = Long.MIN_VALUE;
        while (g.hasNext()) {
            BenchInput.Line l = g.next();
            Outcome o = parser.parse(l.value(), 0, l.value().length, line);
            outcomes.merge(o, 1, Integer::sum);
            assertThat(l.timestampMs()).as("record time rises").isGreaterThanOrEqualTo(previous);
            previous = l.timestampMs();
            if (o == Outcome.PACKET || o == Outcome.CONNTRACK) {
                if (line.host() != null) {
                    assertThat(line.host()).as(text(l)).isEqualTo(l.host());
                }
                if (line.eventTimeMicros() != null) {
                    assertThat(line.eventTimeMicros() / 1000).as(text(l))
                            .isBetween(l.timestampMs() - 1000, l.timestampMs());
                }
            }
        }
        assertThat(outcomes.get(Outcome.SKIPPED)).as("the non-netfilter lines").isEqualTo((int) (count / 10));
        assertThat(outcomes.get(Outcome.PACKET)).isGreaterThan((int) (count * 8 / 10));
        assertThat(outcomes.get(Outcome.CONNTRACK)).isPositive();
    }

    private static String text(BenchInput.Line l) {
        return new String(l.value(), StandardCharsets.UTF_8);
    }
}
