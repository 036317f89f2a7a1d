package dev.dropstream.cli.demo;

import static dev.dropstream.cli.demo.KernelLines.SYN;

import dev.dropstream.cli.demo.KernelLines.Firewall;
import dev.dropstream.cli.demo.KernelLines.Host;
import dev.dropstream.cli.demo.KernelLines.Packet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Made-up but realistic netfilter traffic of a fleet, for {@code dropstream up --demo}: hosts behind UFW,
 * nftables and firewalld blocking the internet's background noise (SSH, RDP, SMB, databases), port scans,
 * IPv6, a few UDP and ICMP probes, allowed and audited traffic, conntrack's INVALID reasons each followed by the
 * LOG line of the same packet, and now and then a burst of {@code table full, dropping packet}. The same seed
 * gives the same traffic. Writes nothing itself: {@link #next} returns the lines of one event.
 */
public final class FleetTraffic {
    /** What an event is; a test checks that the mix holds each. */
    public enum Kind { BLOCK, SCAN, IPV6, UDP_ICMP, ALLOW, INVALID, TABLE_FULL }

    /** One event: a packet, a scan's packets, a conntrack reason and its LOG line, or a table-full burst. */
    public record Event(Kind kind, List<String> lines) {
    }

    private static final String[] ROLES = {"web", "api", "db", "cache", "mail", "edge", "k8s-node", "vpn"};
    /** Ports the internet knocks on, each as often as it appears here; other ports are drawn at random. */
    private static final int[] KNOCKED = {22, 22, 22, 22, 22, 22, 23, 23, 23, 3389, 3389, 3389, 445, 445, 80, 80,
        443, 8080, 8080, 5900, 1433, 3306, 3306, 6379, 6379, 25, 8443, 2375, 9200, 5432, 11211, 27017};
    private static final int[] UDP_PORTS = {53, 123, 161, 1900, 5060, 11211, 19, 389};
    private static final String[] TCP_INVALID = {"invalid tcp flag combination", "invalid new", "invalid rst",
        "SEQ is over upper bound 65242 (over the window of the receiver)"};
    private static final String[] INVALID_FLAGS = {"SYN FIN ", "ACK FIN ", "RST ", "ACK PSH "};

    private final SplittableRandom random;
    private final List<Host> hosts = new ArrayList<>();
    private final String[] sources;

    /** A fleet of {@code hostCount} hosts drawing from a few hundred internet addresses, some far busier. */
    public FleetTraffic(long seed, int hostCount, long nowMicros) {
        if (hostCount < 1) {
            throw new IllegalArgumentException("a fleet has at least one host");
        }
        this.random = new SplittableRandom(seed);
        for (int i = 0; i < hostCount; i++) {
            String name = String.format(Locale.ROOT, "%s-%02d", ROLES[i % ROLES.length], i / ROLES.length + 1);
            Firewall firewall = Firewall.values()[i % Firewall.values().length];
            long uptime = random.nextLong(3_600_000_000L, 90L * 86_400_000_000L);
            hosts.add(new Host(name, firewall, firewall != Firewall.UFW, nowMicros - uptime, i % 3 == 0 ? "ens3" : "eth0",
                    mac(0x52), mac(0x00), "198.51.100." + (10 + i % 240),
                    String.format(Locale.ROOT, "2001:0db8:0000:%04x:0000:0000:0000:0010", i + 1)));
        }
        this.sources = new String[400];
        int[] firstOctets = {45, 61, 77, 89, 92, 103, 118, 141, 159, 167, 176, 185, 193, 194, 212, 218, 222};
        for (int i = 0; i < sources.length; i++) {
            sources[i] = firstOctets[random.nextInt(firstOctets.length)] + "." + random.nextInt(256) + "."
                    + random.nextInt(256) + "." + random.nextInt(1, 255);
        }
    }

    public List<String> hostNames() {
        return hosts.stream().map(Host::name).toList();
    }

    /** The next event, its first line stamped {@code epochMicros} and the others microseconds to milliseconds later. */
    public Event next(long epochMicros) {
        Host host = hosts.get(random.nextInt(hosts.size()));
        // Per 10,000 events: 4 table-full bursts, 400 conntrack reasons, 200 scans (15 lines each on average), a
        // thousand each of IPv6, UDP/ICMP and allowed packets; the rest is IPv4 background noise.
        int roll = random.nextInt(10_000);
        if (roll < 4) {
            return tableFull(host, epochMicros);
        }
        if (roll < 404 && host.logsInvalid()) {
            return invalid(host, epochMicros);
        }
        if (roll < 604) {
            return scan(host, epochMicros);
        }
        if (roll < 1604) {
            Packet p = tcp(false, source(), host.ipv6(), port(), SYN);
            return one(Kind.IPV6, KernelLines.log(host, epochMicros, blockPrefix(host, p.dpt()), ipv6Of(p)));
        }
        if (roll < 2604) {
            return one(Kind.UDP_ICMP, KernelLines.log(host, epochMicros, blockPrefix(host, 0), udpOrIcmp(host)));
        }
        if (roll < 3604) {
            Packet p = tcp(true, "10.20." + random.nextInt(8) + "." + random.nextInt(2, 250), host.ipv4(),
                    random.nextBoolean() ? 443 : 80, SYN);
            return one(Kind.ALLOW, KernelLines.log(host, epochMicros, allowPrefix(host), p));
        }
        Packet p = tcp(false, source(), host.ipv4(), port(), SYN);
        return one(Kind.BLOCK, KernelLines.log(host, epochMicros, blockPrefix(host, p.dpt()), p));
    }

    /** One scanner sweeping ports of one host with SYNs from a single source port, as nmap -sS does. */
    private Event scan(Host host, long micros) {
        String scanner = sources[random.nextInt(sources.length)];
        int sourcePort = random.nextInt(32_768, 61_000);
        int count = random.nextInt(6, 24);
        List<String> lines = new ArrayList<>(count);
        long t = micros;
        for (int i = 0; i < count; i++) {
            int dpt = random.nextInt(4) == 0 ? KNOCKED[random.nextInt(KNOCKED.length)] : random.nextInt(1, 1025);
            Packet p = new Packet(false, true, scanner, host.ipv4(), random.nextInt(37, 59), random.nextInt(65_536),
                    false, "TCP", sourcePort, dpt, 44, SYN, 1024, 0, 0, 0, 0);
            lines.add(KernelLines.log(host, t, blockPrefix(host, dpt), p));
            t += random.nextInt(40, 400);
        }
        return new Event(Kind.SCAN, lines);
    }

    /** Conntrack's reason for an INVALID packet, then the LOG rule that dropped that same packet microseconds later. */
    private Event invalid(Host host, long micros) {
        boolean udp = random.nextInt(5) == 0;
        int r = random.nextInt(TCP_INVALID.length);
        Packet p = udp
                ? new Packet(false, false, host.ipv4(), source(), 64, 0, true, "UDP", 161, random.nextInt(1024, 65_536),
                        82, "", 0, 0, 0, 0, 0)
                : new Packet(false, true, source(), host.ipv4(), random.nextInt(40, 64), random.nextInt(65_536), false,
                        "TCP", random.nextInt(1024, 65_536), port(), 40, INVALID_FLAGS[r], 512,
                        random.nextLong(1L << 32), random.nextLong(1L << 32), 0, 0);
        String prefix = host.firewall() == Firewall.FIREWALLD ? "STATE_INVALID_DROP: " : "nft-invalid-drop: ";
        return new Event(Kind.INVALID, List.of(
                KernelLines.conntrackInvalid(host, micros, udp ? "bad checksum" : TCP_INVALID[r], p),
                KernelLines.log(host, micros + random.nextInt(8, 40), prefix, p)));
    }

    /** A few {@code table full} lines milliseconds apart, then what the rate limit swallowed. */
    private Event tableFull(Host host, long micros) {
        List<String> lines = new ArrayList<>();
        long t = micros;
        for (int i = random.nextInt(2, 6); i > 0; i--) {
            lines.add(KernelLines.tableFull(host, t));
            t += random.nextInt(1_000, 20_000);
        }
        lines.add(KernelLines.callbacksSuppressed(host, t, random.nextInt(10, 4_000)));
        return new Event(Kind.TABLE_FULL, lines);
    }

    private Packet udpOrIcmp(Host host) {
        if (random.nextInt(3) == 0) {
            return new Packet(false, true, source(), host.ipv4(), random.nextInt(40, 120), random.nextInt(65_536),
                    random.nextBoolean(), "ICMP", 0, 0, 84, "", 0, random.nextInt(1, 60), 0, 8, random.nextInt(65_536));
        }
        int dpt = UDP_PORTS[random.nextInt(UDP_PORTS.length)];
        return new Packet(false, true, source(), host.ipv4(), random.nextInt(40, 120), random.nextInt(65_536), false,
                "UDP", random.nextInt(1024, 65_536), dpt, random.nextInt(29, 120), "", 0, 0, 0, 0, 0);
    }

    private Packet tcp(boolean df, String src, String dst, int dpt, String flags) {
        return new Packet(false, true, src, dst, random.nextInt(40, 128), df ? 0 : random.nextInt(65_536), df, "TCP",
                random.nextInt(1024, 65_536), dpt, df ? 60 : 44, flags, df ? 64_240 : 1024, 0, 0, 0, 0);
    }

    private Packet ipv6Of(Packet p) {
        String src = String.format(Locale.ROOT, "2a0%d:%04x:%04x:0000:0000:0000:0000:%04x", random.nextInt(1, 10),
                random.nextInt(65_536), random.nextInt(65_536), random.nextInt(1, 65_536));
        return new Packet(true, true, src, p.dst(), random.nextInt(40, 64), random.nextInt(1, 1 << 20), false, "TCP",
                p.spt(), p.dpt(), 80, p.tcpFlags(), 64_800, 0, 0, 0, 0);
    }

    private static String blockPrefix(Host host, int dpt) {
        return switch (host.firewall()) {
            case UFW -> dpt == 22 ? "[UFW LIMIT BLOCK] " : "[UFW BLOCK] ";
            case NFTABLES -> "nft-dropped: ";
            case FIREWALLD -> dpt == 22 ? "filter_IN_public_DROP: " : "filter_IN_public_REJECT: ";
        };
    }

    private static String allowPrefix(Host host) {
        return switch (host.firewall()) {
            case UFW -> "[UFW ALLOW] ";
            case NFTABLES -> "nft-accepted: ";
            case FIREWALLD -> "filter_IN_public_ALLOW: ";
        };
    }

    /** Internet sources, a few of them far busier than the rest (the square skews the draw towards the start). */
    private String source() {
        double u = random.nextDouble();
        return sources[(int) (u * u * sources.length)];
    }

    private int port() {
        return random.nextInt(6) == 0 ? random.nextInt(1, 65_536) : KNOCKED[random.nextInt(KNOCKED.length)];
    }

    private String mac(int first) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%02x", first));
        for (int i = 0; i < 5; i++) {
            b.append(String.format(Locale.ROOT, ":%02x", random.nextInt(256)));
        }
        return b.toString();
    }

    private static Event one(Kind kind, String line) {
        return new Event(kind, List.of(line));
    }
}
