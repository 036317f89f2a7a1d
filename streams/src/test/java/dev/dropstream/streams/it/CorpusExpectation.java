package dev.dropstream.streams.it;

import dev.dropstream.parser.VerdictRules;
import dev.dropstream.schema.Verdict;
import dev.dropstream.streams.Corpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The whole corpus ({@code *.log} under the corpus root, in path order) as lines to produce, and what the
 * topology must make of it, computed without the project's parser ({@link LineReading}): the number of LOG
 * records, and the packet count of every (prefix, verdict, protocol, destination port, window) for 1-minute
 * and 1-hour windows. The verdict is the production presets' ({@link VerdictRules#defaults()}).
 *
 * <p>Line forms the independent reading treats specially:
 * <ul>
 *   <li>a {@code grep -H} file label before the envelope ({@code name:Mar 17 …}, psad) is skipped;</li>
 *   <li>{@code kernel:} without a space after it, or with a facility before it ({@code user.info kernel:}),
 *       is a tag, not part of the prefix;</li>
 *   <li>Proxmox pvefw-logger's re-rendering ({@code kernel: <vmid> <level> <chain> dd/Mon/yyyy:HH:MM:SS ±hhmm
 *       <rest>}): the prefix is {@code <chain> <rest>} and the event time is the pvefw stamp, not the syslog one;</li>
 *   <li>conntrack diagnostics ({@code nf_ct_…}, {@code nf_conntrack:}, {@code net_ratelimit:}) are not LOG
 *       records, and neither are lines without {@code IN=} (the relay-split fragments of
 *       {@code issue-quoted-lines.log}, lines 11–14, the corpus's negative cases);</li>
 *   <li>protocol and destination port are the first {@code PROTO=} / {@code DPT=} before the first {@code [}
 *       after {@code IN=}: an ICMP error quotes the offending packet in brackets; -1 where there is none
 *       (ARP, MAC-only frames, ICMP, later fragments);</li>
 *   <li>a line without a calendar stamp ({@code [ secs.usecs]} alone, raw {@code /dev/kmsg}, a bare record,
 *       {@code dmesg} with a bare {@code kernel:} tag) is produced with the record time {@link #BOOT} plus its
 *       monotonic stamp (or {@link #BOOT} without one): the topology takes that as its event time;</li>
 *   <li>stamps without a zone are UTC (the default {@code parser.zone}); year-less stamps get the latest year
 *       that does not put them after the time the expectation is computed (the parser does the same at parse
 *       time, so a stamp that falls between the two, once a year for seconds, would read differently).</li>
 * </ul>
 * Lines with a calendar stamp are produced with the producer's clock as record time, so the tests also show
 * that the topology windows by the line's own time, not by the record's.
 */
public final class CorpusExpectation {
    /** The record time of line zero for lines without a calendar stamp: about when kernel-lab's machine booted. */
    public static final Instant BOOT = Instant.parse("2026-11-22T10:54:39Z");

    private final List<CorpusLine> lines;
    private final long packets;
    private final Map<DropCount, Long> perMinute;
    private final Map<DropCount, Long> perHour;

    private CorpusExpectation(List<CorpusLine> lines, long packets, Map<DropCount, Long> perMinute,
            Map<DropCount, Long> perHour) {
        this.lines = lines;
        this.packets = packets;
        this.perMinute = perMinute;
        this.perHour = perHour;
    }

    /** Reads every {@code *.log} under the corpus root; {@code now} decides the year of year-less stamps. */
    public static CorpusExpectation of(Instant now) {
        VerdictRules verdicts = VerdictRules.defaults();
        List<CorpusLine> lines = new ArrayList<>();
        long packets = 0;
        Map<DropCount, Long> minute = new HashMap<>();
        Map<DropCount, Long> hour = new HashMap<>();
        for (Path file : logFiles()) {
            String name = Corpus.root().relativize(file).toString();
            List<String> text = read(file);
            for (int i = 0; i < text.size(); i++) {
                LineReading r = LineReading.of(text.get(i), now);
                Long recordTime = r.time() != null ? null
                        : BOOT.toEpochMilli() + (r.monotonicMicros() == null ? 0 : r.monotonicMicros() / 1000);
                lines.add(new CorpusLine(name, i + 1, text.get(i), r.host(), recordTime));
                if (r.logRecord()) {
                    packets++;
                    Instant t = r.time() != null ? r.time().truncatedTo(ChronoUnit.MILLIS) : Instant.ofEpochMilli(recordTime);
                    Verdict v = verdicts.verdictOf(r.prefix());
                    minute.merge(new DropCount(r.prefix(), v, r.protocol(), r.dstPort(), t.truncatedTo(ChronoUnit.MINUTES)),
                            1L, Long::sum);
                    hour.merge(new DropCount(r.prefix(), v, r.protocol(), r.dstPort(), t.truncatedTo(ChronoUnit.HOURS)),
                            1L, Long::sum);
                }
            }
        }
        return new CorpusExpectation(Collections.unmodifiableList(lines), packets, Collections.unmodifiableMap(minute),
                Collections.unmodifiableMap(hour));
    }

    private static List<Path> logFiles() {
        try (Stream<Path> files = Files.walk(Corpus.root())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the corpus at " + Corpus.root(), e);
        }
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Every line, in file order then line order. */
    public List<CorpusLine> lines() {
        return lines;
    }

    /** How many lines are LOG records: the records {@code netlog.packets} must hold. */
    public long packets() {
        return packets;
    }

    /** Packets per key and 1-minute window. */
    public Map<DropCount, Long> perMinute() {
        return perMinute;
    }

    /** Packets per key and 1-hour window. */
    public Map<DropCount, Long> perHour() {
        return perHour;
    }
}
