package dev.dropstream.streams.it;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a test needs to know of one real line, read with a few regular expressions instead of the project's
 * parser, so that the integration tests compare the topology with an independent reading: the host and the
 * calendar time of the syslog header, the kernel's monotonic stamp, and for a LOG record its prefix, protocol
 * and destination port. Forms read specially are listed on {@link CorpusExpectation}.
 *
 * @param host the host named by an RFC 3164 / RFC 3339 header, else null
 * @param time the header's (or a {@code dmesg -T} / Proxmox stamp's) calendar time, else null
 * @param monotonicMicros the {@code [ secs.usecs]} or {@code /dev/kmsg} stamp, else null
 * @param logRecord whether the line is a LOG record (not a conntrack diagnostic, not a relay's fragment)
 * @param protocol the IP protocol number of the logged packet, -1 without an IP header
 * @param dstPort the destination port of the logged packet (not of a packet quoted in {@code [ … ]}), else -1
 */
record LineReading(String host, Instant time, Long monotonicMicros, boolean logRecord, String prefix, int protocol,
        int dstPort) {
    /** A file label as {@code grep -H} writes it, before the envelope (psad's fixtures have one). */
    private static final String LABEL = "(?:[\\w.-]+:(?=[A-Z0-9]))?";
    private static final Pattern RFC3164 = Pattern.compile(
            LABEL + "([A-Z][a-z]{2}) ([ \\d]\\d) (\\d\\d):(\\d\\d):(\\d\\d)(?:\\.(\\d{1,6}))? (\\S+) ");
    private static final Pattern RFC3339 = Pattern.compile(
            LABEL + "(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})?(?:Z|[+-]\\d\\d:\\d\\d)) (\\S+) ");
    private static final Pattern DMESG_T = Pattern.compile("\\[\\w{3} (\\w{3}) ([ \\d]\\d) (\\d\\d):(\\d\\d):(\\d\\d) (\\d{4})\\] ");
    /** A syslog tag: {@code kernel:}, with or without a space after it, or with a facility before it. */
    private static final Pattern TAG = Pattern.compile("(?:[\\w.]+ )?kernel: ?");
    private static final Pattern KERNEL_TIME = Pattern.compile("\\[\\s*(\\d+)\\.(\\d{6})\\] ");
    private static final Pattern KMSG = Pattern.compile("\\d+,\\d+,(\\d+),[^;]*;");
    /** Proxmox pvefw-logger: {@code <vmid> <level> <chain> dd/Mon/yyyy:HH:MM:SS ±hhmm <rest of the prefix>}. */
    private static final Pattern PVEFW = Pattern.compile("\\d+ \\d+ (\\S+) (\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4}) ");
    private static final DateTimeFormatter PVEFW_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
    private static final Pattern PROTO = Pattern.compile(" PROTO=(\\w+)");
    private static final Pattern DPT = Pattern.compile(" DPT=(\\d+)");
    private static final Map<String, Integer> PROTOCOLS = Map.of("TCP", 6, "UDP", 17, "UDPLITE", 136, "ICMP", 1,
            "ICMPv6", 58, "SCTP", 132, "AH", 51, "ESP", 50);
    private static final List<String> MONTHS = List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
            "Oct", "Nov", "Dec");

    /** Reads {@code line}; year-less stamps get the latest year that does not put them after {@code now}. */
    static LineReading of(String line, Instant now) {
        String host = null;
        Instant time = null;
        String msg = line;
        Matcher m;
        if ((m = RFC3164.matcher(line)).lookingAt()) {
            host = m.group(7);
            time = yearless(m, now);
            msg = line.substring(m.end());
        } else if ((m = RFC3339.matcher(line)).lookingAt()) {
            host = m.group(2);
            time = OffsetDateTime.parse(m.group(1)).toInstant();
            msg = line.substring(m.end());
        } else if ((m = DMESG_T.matcher(line)).lookingAt()) {
            time = LocalDateTime.of(Integer.parseInt(m.group(6)), month(m.group(1)), Integer.parseInt(m.group(2).strip()),
                    Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)))
                    .toInstant(ZoneOffset.UTC);
            msg = line.substring(m.end());
        }
        if ((m = TAG.matcher(msg)).lookingAt()) {
            msg = msg.substring(m.end());
        }
        Long monotonic = null;
        if ((m = KERNEL_TIME.matcher(msg)).lookingAt()) {
            monotonic = Long.parseLong(m.group(1)) * 1_000_000 + Long.parseLong(m.group(2));
            msg = msg.substring(m.end());
        } else if ((m = KMSG.matcher(msg)).lookingAt()) {
            monotonic = Long.parseLong(m.group(1));
            msg = msg.substring(m.end());
        }
        if ((m = PVEFW.matcher(msg)).lookingAt()) {
            time = ZonedDateTime.parse(m.group(2), PVEFW_TIME).toInstant();
            msg = m.group(1) + " " + msg.substring(m.end());
        }
        boolean conntrack = msg.startsWith("nf_ct_") || msg.startsWith("nf_conntrack") || msg.startsWith("net_ratelimit");
        int in = msg.indexOf("IN=");
        if (conntrack || in < 0) {
            return new LineReading(host, time, monotonic, false, null, -1, -1);
        }
        String record = msg.substring(in);
        int quoted = record.indexOf('[');
        String outer = quoted < 0 ? record : record.substring(0, quoted);
        return new LineReading(host, time, monotonic, true, msg.substring(0, in), protocol(outer), number(DPT, outer));
    }

    private static int protocol(String outer) {
        Matcher p = PROTO.matcher(outer);
        if (!p.find()) {
            return -1;
        }
        String name = p.group(1);
        if (name.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(name);
        }
        Integer n = PROTOCOLS.get(name);
        if (n == null) {
            throw new IllegalStateException("the independent reading does not know PROTO=" + name);
        }
        return n;
    }

    private static int number(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static int month(String name) {
        return MONTHS.indexOf(name) + 1;
    }

    private static Instant yearless(Matcher m, Instant now) {
        String fraction = m.group(6) == null ? "0" : (m.group(6) + "00000").substring(0, 6);
        int nowYear = now.atZone(ZoneOffset.UTC).getYear();
        for (int year = nowYear; year > nowYear - 8; year--) {
            try {
                Instant t = LocalDateTime.of(year, month(m.group(1)), Integer.parseInt(m.group(2).strip()),
                        Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                        Integer.parseInt(fraction) * 1000).toInstant(ZoneOffset.UTC);
                if (!t.isAfter(now)) {
                    return t;
                }
            } catch (DateTimeException e) {
                // 29 February of a common year: try the year before
            }
        }
        throw new IllegalStateException("no year puts '" + m.group() + "' before " + now);
    }
}
