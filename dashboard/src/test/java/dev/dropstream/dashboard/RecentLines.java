package dev.dropstream.dashboard;

import dev.dropstream.streams.Corpus;
import dev.dropstream.streams.it.CorpusLine;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Real corpus lines re-dated to a recent span, so that a range picked on the dashboard shows them. Each line's
 * header (RFC 3164, RFC 3339 or {@code dmesg -T}, and its {@code kernel:} tag) is replaced by an RFC 3339 header
 * with a new time, spread evenly over the span given for its file, and its own host (or the fallback given for
 * lines that name none); the kernel's record after the header stays as the kernel wrote it.
 *
 * <p>What the page must then show is counted here with a few regular expressions, not with the project's parser:
 * LOG records by destination port (the first {@code DPT=} before a quoted packet, "-1" without one) and by
 * prefix (the text before {@code IN=}), and conntrack diagnostics by wording.
 */
final class RecentLines {
    private static final Pattern RFC3164 = Pattern.compile("[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,6})? (\\S+) ");
    private static final Pattern RFC3339 = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})?(?:Z|[+-]\\d\\d:\\d\\d) (\\S+) ");
    private static final Pattern DMESG_T = Pattern.compile("\\[\\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}\\] ");
    private static final Pattern TAG = Pattern.compile("(?:[\\w.]+ )?kernel: ?");
    private static final Pattern KERNEL_TIME = Pattern.compile("\\[\\s*\\d+\\.\\d{6}\\] ");
    private static final Pattern DPT = Pattern.compile(" DPT=(\\d+)");
    private static final DateTimeFormatter HEADER_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx", Locale.ROOT).withZone(ZoneOffset.UTC);

    /**
     * One re-dated line: where it comes from, its new time, its host, and the kernel's record (with its monotonic
     * stamp, if any).
     */
    record Line(String file, int number, Instant time, String host, String record) {
        String text() {
            return HEADER_TIME.format(time) + " " + host + " kernel: " + record;
        }

        private String message() {
            Matcher m = KERNEL_TIME.matcher(record);
            return m.lookingAt() ? record.substring(m.end()) : record;
        }

        boolean isLogRecord() {
            String msg = message();
            return !msg.startsWith("nf_ct_") && !msg.startsWith("nf_conntrack") && !msg.startsWith("net_ratelimit")
                    && msg.contains("IN=");
        }

        String prefix() {
            String msg = message();
            return msg.substring(0, msg.indexOf("IN="));
        }

        String dstPort() {
            String msg = message();
            String fields = msg.substring(msg.indexOf("IN="));
            int quoted = fields.indexOf('[');
            Matcher m = DPT.matcher(quoted < 0 ? fields : fields.substring(0, quoted));
            return m.find() ? m.group(1) : "-1";
        }
    }

    private final List<Line> lines = new ArrayList<>();

    /** Adds every line of {@code file} (relative to the corpus root), dated evenly from {@code start} to {@code end}. */
    RecentLines add(String file, Instant start, Instant end, String fallbackHost) {
        List<String> text = Corpus.lines(file);
        Duration step = Duration.between(start, end).dividedBy(Math.max(1, text.size()));
        for (int i = 0; i < text.size(); i++) {
            lines.add(redate(file, i + 1, text.get(i), start.plus(step.multipliedBy(i)), fallbackHost));
        }
        return this;
    }

    private static Line redate(String file, int number, String original, Instant time, String fallbackHost) {
        String host = fallbackHost;
        String rest = original;
        Matcher m;
        if ((m = RFC3164.matcher(original)).lookingAt() || (m = RFC3339.matcher(original)).lookingAt()) {
            host = m.group(1);
            rest = original.substring(m.end());
        } else if ((m = DMESG_T.matcher(original)).lookingAt()) {
            rest = original.substring(m.end());
        }
        if ((m = TAG.matcher(rest)).lookingAt()) {
            rest = rest.substring(m.end());
        }
        return new Line(file, number, time, host, rest);
    }

    /** The lines in time order, as a shipper would send them (keyed by host, the producer's clock as record time). */
    List<CorpusLine> toProduce() {
        return lines.stream().sorted(Comparator.comparing(Line::time))
                .map(l -> new CorpusLine(l.file(), l.number(), l.text(), l.host(), null)).toList();
    }

    /** LOG records at or after {@code since}, counted by {@code what}, in key order. */
    Map<String, Long> logRecordsBy(Function<Line, String> what, Instant since) {
        return lines.stream().filter(l -> !l.time().isBefore(since)).filter(Line::isLogRecord)
                .collect(Collectors.groupingBy(what, TreeMap::new, Collectors.counting()));
    }

    /** Lines whose record satisfies {@code test}, counted by host. */
    Map<String, Long> recordsByHost(Predicate<String> test) {
        return lines.stream().filter(l -> test.test(l.record()))
                .collect(Collectors.groupingBy(Line::host, TreeMap::new, Collectors.counting()));
    }

    /** Every host the lines name. */
    List<String> hosts() {
        return lines.stream().map(Line::host).distinct().sorted().toList();
    }
}
