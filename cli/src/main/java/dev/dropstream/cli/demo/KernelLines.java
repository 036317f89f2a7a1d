package dev.dropstream.cli.demo;

import dev.dropstream.cli.stamps.SyslogStamps;

/**
 * Writes netfilter records the way the kernel's {@code nf_log_syslog} does (LOG targets, nftables {@code log},
 * conntrack's {@code nf_conntrack_log_invalid}), field for field and space for space, inside the envelope
 * rsyslog's high-precision file format gives kernel messages. Reads nothing; every method returns one line.
 */
final class KernelLines {
    /** The TCP flags of a packet in the kernel's order, each followed by a space: {@code "ACK FIN "}. */
    static final String SYN = "SYN ";

    private KernelLines() {
    }

    /** A host as its own log shows it: its name, boot time, interface and addresses. */
    record Host(String name, Firewall firewall, boolean logsInvalid, long bootMicros, String iface, String mac,
            String gatewayMac, String ipv4, String ipv6) {
    }

    /** How the host's firewall names its rules. */
    enum Firewall { UFW, NFTABLES, FIREWALLD }

    /** One packet of IPv4 or IPv6 and its transport header. */
    record Packet(boolean ipv6, boolean inbound, String src, String dst, int ttl, int id, boolean df, String proto,
            int spt, int dpt, int length, String tcpFlags, int window, long seq, long ack, int icmpType, int icmpId) {
    }

    /** {@code 2026-11-25T17:20:00.123456+00:00 web-07 kernel: [ 4466.599649] }: the envelope of every line. */
    static String envelope(Host host, long epochMicros) {
        return SyslogStamps.rfc3339(epochMicros) + " " + host.name() + " kernel: "
                + SyslogStamps.kernel(epochMicros - host.bootMicros()) + " ";
    }

    /** A LOG record: {@code prefix} (spaces included, as configured) followed by the packet. */
    static String log(Host host, long epochMicros, String prefix, Packet p) {
        return envelope(host, epochMicros) + prefix + packet(host, p, false);
    }

    /**
     * A conntrack reason for an INVALID packet on a 6.x kernel: {@code nf_ct_proto_N: <reason> } then the packet
     * as {@code nf_log} writes it with every flag on, so TCP's sequence numbers are there too.
     */
    static String conntrackInvalid(Host host, long epochMicros, String reason, Packet p) {
        int protocol = switch (p.proto()) {
            case "TCP" -> 6;
            case "UDP" -> 17;
            case "ICMP" -> 1;
            default -> 58;
        };
        return envelope(host, epochMicros) + "nf_ct_proto_" + protocol + ": " + reason + " " + packet(host, p, true);
    }

    /** Conntrack's table ran out of entries (the current kernels' wording, with its doubled {@code pr_fmt}). */
    static String tableFull(Host host, long epochMicros) {
        return envelope(host, epochMicros) + "nf_conntrack: nf_conntrack: table full, dropping packet";
    }

    static String callbacksSuppressed(Host host, long epochMicros, int count) {
        return envelope(host, epochMicros) + "net_ratelimit: " + count + " callbacks suppressed";
    }

    private static String packet(Host host, Packet p, boolean sequenceNumbers) {
        StringBuilder b = new StringBuilder(256);
        if (p.inbound()) {
            b.append("IN=").append(host.iface()).append(" OUT= MAC=").append(host.mac()).append(':')
                    .append(host.gatewayMac()).append(p.ipv6() ? ":86:dd" : ":08:00");
        } else {
            b.append("IN= OUT=").append(host.iface());
        }
        b.append(" SRC=").append(p.src()).append(" DST=").append(p.dst()).append(" LEN=").append(p.length());
        if (p.ipv6()) {
            b.append(" TC=0 HOPLIMIT=").append(p.ttl()).append(" FLOWLBL=").append(p.id() & 0xFFFFF);
        } else {
            b.append(" TOS=0x00 PREC=0x00 TTL=").append(p.ttl()).append(" ID=").append(p.id());
            if (p.df()) {
                b.append(" DF");
            }
        }
        b.append(" PROTO=").append(p.proto());
        switch (p.proto()) {
            case "TCP" -> {
                b.append(" SPT=").append(p.spt()).append(" DPT=").append(p.dpt());
                if (sequenceNumbers) {
                    b.append(" SEQ=").append(p.seq()).append(" ACK=").append(p.ack());
                }
                b.append(" WINDOW=").append(p.window()).append(" RES=0x00 ").append(p.tcpFlags()).append("URGP=0 ");
            }
            case "UDP" -> b.append(" SPT=").append(p.spt()).append(" DPT=").append(p.dpt()).append(" LEN=")
                    .append(p.length() - (p.ipv6() ? 40 : 20)).append(' ');
            default -> b.append(" TYPE=").append(p.icmpType()).append(" CODE=0 ID=").append(p.icmpId())
                    .append(" SEQ=").append(p.seq()).append(' ');
        }
        return b.toString();
    }
}
