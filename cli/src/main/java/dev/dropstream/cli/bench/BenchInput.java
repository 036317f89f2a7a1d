package dev.dropstream.cli.bench;

import dev.dropstream.cli.stamps.SyslogStamps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Utils;

/**
 * The benchmark's input: the real corpus lines, cycled, as a fleet of hosts would send them.
 *
 * <p>Each corpus line is split once into its envelope and the rest. The envelope forms that carry a wall-clock
 * time or a host (RFC 3164, RFC 3339, {@code dmesg -T}) get a new time and host on every use; the others
 * (bare kernel time, {@code /dev/kmsg}, no envelope) are sent as they are, and the topology takes their host
 * from the Kafka key and their time from the record. Line {@code i} belongs to host {@code i % H}; each host
 * walks the corpus in order from its own starting point, so a conntrack line and the LOG line of the same packet
 * stay together on one host, well inside the join window. Event time rises evenly across the fleet at a given
 * rate (lines per second) and the last line is two minutes before the input was made, so the windows that the
 * input spans close as the topology reads on.
 *
 * <p>A share of the lines is not netfilter at all (other kernel and daemon messages, constructed for the
 * benchmark, since the corpus holds netfilter lines only): the full topology parses and drops them, the minimal
 * one counts them like any other.
 *
 * <p>By default the host names are chosen so that each partition carries the same number of hosts, and so the same
 * event-time density ({@link #hostNames}). Kafka Streams processes its tasks side by side record for record, not
 * in event-time order across tasks, so when one partition holds twice the lines per second of another, the task of
 * the thinner one runs ahead in event time while a backlog is read; what the two tasks write to a repartition topic
 * then arrives out of order by up to half the input's span.
 */
final class BenchInput {
    /**
     * Constructed lines that are not netfilter, written as a kernel or a daemon writes them; each is sent with
     * an RFC 3164 envelope. Kept apart from the corpus, which holds real netfilter lines only.
     */
    static final List<String> NON_NETFILTER = List.of(
            "kernel: [ 8123.456789] e1000e 0000:00:1f.6 eno1: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx",
            "kernel: [ 9012.345678] audit: type=1400 audit(1732540000.123:456): apparmor=\"DENIED\" operation=\"open\" "
                    + "profile=\"snap.lxd.lxc\" name=\"/proc/1/cmdline\" pid=2231 comm=\"lxc\" requested_mask=\"r\" "
                    + "denied_mask=\"r\" fsuid=0 ouid=0",
            "sshd[2231]: Accepted publickey for deploy from 10.20.0.5 port 51234 ssh2: ED25519 "
                    + "SHA256:3q2+7w7bX1xq3k2mZt8b0n4kZ5cJr1pQwq0u9s8T2yU",
            "systemd[1]: Started apt-daily.service - Daily apt download activities.",
            "CRON[4021]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)",
            "kernel: [10234.567890] EXT4-fs (sda1): re-mounted 4c1b2d3e-5f60-4a7b-8c9d-0e1f2a3b4c5d r/w. Quota mode: none.",
            "kernel: [11345.678901] usb 1-1.2: new high-speed USB device number 4 using ehci-pci",
            "kernel: [12456.789012] TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies.");

    enum Envelope { RFC3164, RFC3339, DMESG_T, AS_IS }

    /**
     * A corpus line: its envelope form, what comes before the envelope (a file name a collection put there),
     * and everything after the envelope's host (or the whole line). When the message carries a time of its own
     * (Proxmox's {@code pvefw-logger} writes {@code 02/Mar/2021:19:40:07 +0100}, which the parser prefers), the
     * message is split around it so that time moves too: {@code rest} is what comes before the stamp and
     * {@code restTail} what follows it ({@code null} when there is no such stamp).
     */
    record Template(Envelope envelope, String lead, String rest, String restTail) {
        Template(Envelope envelope, String rest) {
            this(envelope, "", rest, null);
        }
    }

    private static final Pattern RFC3164 =
            Pattern.compile("^([A-Za-z0-9_]+:)?[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} (\\S+) (.*)$");
    private static final Pattern PVEFW_STAMP =
            Pattern.compile("[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}");
    private static final Pattern RFC3339 = Pattern.compile("^[0-9]{4}-[0-9]{2}-[0-9]{2}T\\S+ (\\S+) (.*)$");
    private static final Pattern DMESG_T =
            Pattern.compile("^\\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}\\] (.*)$");

    private final Path root;
    private final int files;
    private final List<Template> corpus;

    private BenchInput(Path root, int files, List<Template> corpus) {
        this.root = root;
        this.files = files;
        this.corpus = corpus;
    }

    /**
     * Finds the corpus folder: {@code path} itself if it is a folder; a relative path is also tried from each
     * folder above the working directory, so the default {@code ../shared/corpus} is found from the repository
     * root and from a module folder alike.
     */
    static Optional<Path> locate(String path) {
        Path given = Paths.get(path);
        if (Files.isDirectory(given)) {
            return Optional.of(given.toAbsolutePath().normalize());
        }
        if (!given.isAbsolute()) {
            for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(path).normalize();
                if (Files.isDirectory(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Every line of every {@code *.log} file under {@code root}, in path order; empty if there are none. */
    static BenchInput load(Path root) {
        List<Path> logs;
        try (Stream<Path> s = Files.walk(root)) {
            logs = s.filter(p -> p.getFileName().toString().endsWith(".log") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the corpus folder " + root, e);
        }
        List<Template> templates = new ArrayList<>();
        for (Path log : logs) {
            List<String> lines;
            try {
                lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + log, e);
            }
            for (String line : lines) {
                String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
                if (!l.isEmpty()) {
                    templates.add(template(l));
                }
            }
        }
        return new BenchInput(root, logs.size(), List.copyOf(templates));
    }

    /** An input of the given lines, as if read from a corpus (for tests). */
    static BenchInput of(List<Template> templates) {
        return new BenchInput(null, 0, List.copyOf(templates));
    }

    static Template template(String line) {
        Matcher m = DMESG_T.matcher(line);
        if (m.matches()) {
            return new Template(Envelope.DMESG_T, m.group(1));
        }
        m = RFC3339.matcher(line);
        if (m.matches()) {
            return withMessageStamp(Envelope.RFC3339, "", m.group(2));
        }
        m = RFC3164.matcher(line);
        if (m.matches()) {
            return withMessageStamp(Envelope.RFC3164, m.group(1) == null ? "" : m.group(1), m.group(3));
        }
        return new Template(Envelope.AS_IS, line);
    }

    private static Template withMessageStamp(Envelope envelope, String lead, String rest) {
        Matcher m = PVEFW_STAMP.matcher(rest);
        if (m.find()) {
            return new Template(envelope, lead, rest.substring(0, m.start()), rest.substring(m.end()));
        }
        return new Template(envelope, lead, rest, null);
    }

    Path root() {
        return root;
    }

    int files() {
        return files;
    }

    int lines() {
        return corpus.size();
    }

    List<Template> templates() {
        return corpus;
    }

    /**
     * The lines to send: {@code count} of them over {@code hosts} hosts, {@code nonNetfilterPercent} % of them
     * not netfilter, {@code linesPerSecond} of event time across the fleet, the last one at
     * {@code lastEventMicros}; zone-less stamps are written in {@code zone}.
     */
    Generator generator(long count, List<String> hosts, int nonNetfilterPercent, int linesPerSecond,
            long lastEventMicros, ZoneId zone) {
        return new Generator(count, hosts, nonNetfilterPercent, 1_000_000.0 / linesPerSecond, lastEventMicros, zone);
    }

    /**
     * {@code count} host names, {@code host-01} on. With {@code partitions > 0} the names are chosen so that the
     * default partitioner spreads them evenly over that many partitions (names that would overfill a partition are
     * skipped), so that every partition holds as many lines per second of event time as the others; with
     * {@code partitions == 0} they are taken as they come, and the partitions get whatever the hash gives them.
     */
    static List<String> hostNames(int count, int partitions) {
        int width = Math.max(2, Integer.toString(count).length());
        List<String> names = new ArrayList<>();
        int[] perPartition = new int[Math.max(partitions, 1)];
        for (int n = 1; names.size() < count; n++) {
            String name = String.format("host-%0" + width + "d", n);
            if (partitions > 0) {
                int p = Utils.toPositive(Utils.murmur2(name.getBytes(StandardCharsets.UTF_8))) % partitions;
                // At most ceil(count / partitions) per partition, and only as many partitions at that as the remainder.
                int full = count / partitions;
                int atFullPlusOne = 0;
                for (int q : perPartition) {
                    atFullPlusOne += q > full ? 1 : 0;
                }
                if (perPartition[p] > full || perPartition[p] == full && atFullPlusOne >= count % partitions) {
                    continue;
                }
                perPartition[p]++;
            }
            names.add(name);
        }
        return names;
    }

    /** One generated line: its Kafka key (the host), its bytes and its record timestamp. */
    record Line(String host, byte[] value, long timestampMs) {
    }

    /** Makes the lines one after the other; not thread-safe. */
    final class Generator {
        private final long count;
        private final int nonNetfilterPercent;
        private final long firstEventMicros;
        private final double stepMicros;
        private final ZoneId zone;
        private final String[] hostNames;
        private final int[] cursor;
        private final int[] otherCursor;
        private long next;

        private Generator(long count, List<String> hosts, int nonNetfilterPercent, double stepMicros,
                long lastEventMicros, ZoneId zone) {
            this.count = count;
            this.nonNetfilterPercent = nonNetfilterPercent;
            this.stepMicros = stepMicros;
            this.firstEventMicros = lastEventMicros - Math.round((count - 1) * stepMicros);
            this.zone = zone;
            this.hostNames = hosts.toArray(new String[0]);
            this.cursor = new int[hostNames.length];
            this.otherCursor = new int[hostNames.length];
            for (int h = 0; h < hostNames.length; h++) {
                cursor[h] = (int) ((long) h * corpus.size() / hostNames.length);
                otherCursor[h] = h % NON_NETFILTER.size();
            }
        }

        long firstEventMicros() {
            return firstEventMicros;
        }

        boolean hasNext() {
            return next < count;
        }

        Line next() {
            long i = next++;
            int h = (int) (i % hostNames.length);
            String host = hostNames[h];
            long micros = firstEventMicros + Math.round(i * stepMicros);
            String text;
            if (nonNetfilter(i)) {
                text = rfc3164(micros) + " " + host + " " + NON_NETFILTER.get(otherCursor[h]);
                otherCursor[h] = (otherCursor[h] + 1) % NON_NETFILTER.size();
            } else {
                Template t = corpus.get(cursor[h]);
                cursor[h] = (cursor[h] + 1) % corpus.size();
                String rest = t.restTail() == null ? t.rest() : t.rest() + SyslogStamps.pvefw(micros) + t.restTail();
                text = switch (t.envelope()) {
                    case RFC3164 -> t.lead() + rfc3164(micros) + " " + host + " " + rest;
                    case RFC3339 -> SyslogStamps.rfc3339(micros) + " " + host + " " + rest;
                    case DMESG_T -> dmesgT(micros) + " " + rest;
                    case AS_IS -> rest;
                };
            }
            return new Line(host, text.getBytes(StandardCharsets.UTF_8), Math.floorDiv(micros, 1000L));
        }

        /** Spreads the non-netfilter lines evenly: line i is one when the running share crosses a whole line. */
        private boolean nonNetfilter(long i) {
            return (i + 1) * nonNetfilterPercent / 100 != i * nonNetfilterPercent / 100;
        }

        private LocalDateTime local(long micros) {
            long seconds = Math.floorDiv(micros, 1_000_000L);
            ZoneOffset offset = zone.getRules().getOffset(java.time.Instant.ofEpochSecond(seconds));
            return LocalDateTime.ofEpochSecond(seconds, 0, offset);
        }

        private String rfc3164(long micros) {
            return SyslogStamps.rfc3164(local(micros));
        }

        private String dmesgT(long micros) {
            return SyslogStamps.dmesgT(local(micros));
        }
    }
}
