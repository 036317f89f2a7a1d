package dev.dropstream.parser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.schema.ArpPacket;
import dev.dropstream.schema.EnvelopeFormat;
import dev.dropstream.schema.IpPacket;
import dev.dropstream.schema.LinkLayer;
import dev.dropstream.schema.PacketEvent;
import dev.dropstream.schema.PacketFamily;
import dev.dropstream.schema.TcpFlag;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Generates records from the grammar of kernel-format.md, renders each as the kernel (and the envelope
 * writer) would, parses it back and compares every field of the event with what was generated.
 */
class RoundTripPropertyTest {
    private static final VerdictRules RULES = VerdictRules.defaults();
    private final LineParser parser = new LineParser(Parsing.config());
    private final EventMapper mapper = new EventMapper();
    private final ParsedLine line = new ParsedLine();

    /** A generated event and its text. */
    record Case(PacketEvent expected, String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    @Property(tries = 3000)
    void renderedRecordsParseBackToEveryField(@ForAll("records") Case c) {
        Outcome o = parser.parse(c.text(), line);
        assertThat(o).as("%s (%s)", c.text(), line.errorMessage()).isEqualTo(Outcome.PACKET);
        assertThat(mapper.packetEvent(line, null)).as(c.text()).isEqualTo(c.expected());
    }

    @Provide
    Arbitrary<Case> records() {
        Arbitrary<PacketEvent> body = Arbitraries.oneOf(ipv4(), ipv6(), arp());
        return Combinators.combine(body, prefixes(), interfaces(), envelopes()).as(RoundTripPropertyTest::assemble);
    }

    private static Case assemble(PacketEvent generated, String prefix, String[] ifaces, Envelope env) {
        // Generated values may be reused by jqwik (edge cases, shrinking): work on a deep copy.
        PacketEvent e = PacketEvent.newBuilder(generated).build();
        e.setPrefix(prefix);
        e.setVerdict(RULES.verdictOf(prefix));
        e.setEnvelope(env.format);
        e.setHost(env.host);
        e.setEventTime(env.time);
        e.setKernelTimeMicros(env.kernelMicros);
        StringBuilder sb = new StringBuilder(env.text).append(prefix);
        boolean input = !ifaces[0].isEmpty();
        e.setInInterface(ifaces[0]);
        e.setOutInterface(ifaces[1]);
        sb.append("IN=").append(ifaces[0]).append(" OUT=").append(ifaces[1]).append(' ');
        if (!ifaces[2].isEmpty()) {
            e.setPhysIn(ifaces[2]);
            sb.append("PHYSIN=").append(ifaces[2]).append(' ');
        }
        if (!input) {
            // The kernel dumps the link layer only when there is an input device.
            e.setLink(null);
        }
        if (e.getLink() != null) {
            renderLink(e.getLink(), sb);
        }
        if (e.getFamily() == PacketFamily.ARP) {
            renderArp(e.getArp(), sb);
        } else {
            renderIp(e.getPacket(), e.getQuoted(), sb);
            if (e.getUid() != null) {
                sb.append("UID=").append(e.getUid()).append(" GID=").append(e.getGid()).append(' ');
            }
            if (e.getMark() != null) {
                sb.append("MARK=0x").append(Long.toHexString(e.getMark())).append(' ');
            }
        }
        return new Case(e, sb.toString());
    }

    // ---- generators ------------------------------------------------------------------------------

    private static Arbitrary<String> prefixes() {
        return Arbitraries.oneOf(
                Arbitraries.of("", "[UFW BLOCK] ", "[UFW AUDIT] ", "[UFW ALLOW] ", "DROP ", "Shorewall:net2fw:DROP:",
                        "[WAN_LOCAL-default-D]", "nft-dropped: ", "fw-chk drop [STATE=invalid] ", "[FW_ADT]D=O CD=O ",
                        "RULE 24 -- DENY ", "DROP(src wan)", "LOGIN-ATTEMPT ", "TRACE: raw:PREROUTING:policy:3 "),
                Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:-_[]() =*.")
                        .ofMinLength(1).ofMaxLength(29)
                        .filter(p -> !p.contains("IN=") && !p.startsWith("nf_ct_") && !p.startsWith("nf_conntrack")
                                && !p.startsWith("net_ratelimit") && !Character.isDigit(p.charAt(0))
                                && !p.startsWith(" ") && !p.startsWith("[")));
    }

    private static Arbitrary<String[]> interfaces() {
        Arbitrary<String> name = Arbitraries.of("eth0", "enp0s3", "br-9e24f5d888e0", "wlan0", "eth1.999", "lo", "ppp0");
        Arbitrary<String> maybe = Arbitraries.oneOf(Arbitraries.just(""), name);
        return Combinators.combine(maybe, maybe, maybe).as((in, out, phys) -> {
            if (in.isEmpty() && out.isEmpty()) {
                in = "eth0";
            }
            return new String[] {in, out, in.isEmpty() ? "" : phys};
        });
    }

    /** An envelope: its text, and what the parser reads from it. */
    record Envelope(String text, EnvelopeFormat format, String host, Instant time, Long kernelMicros) {
    }

    private static Arbitrary<Envelope> envelopes() {
        long ref = Parsing.REFERENCE.getEpochSecond();
        Arbitrary<Instant> past = Arbitraries.longs().between(ref - 300L * 86400, ref - 86400).map(Instant::ofEpochSecond);
        Arbitrary<Long> uptime = Arbitraries.longs().between(0, 99_999_999_999L);
        Arbitrary<String> host = Arbitraries.of("fw1", "web-7", "edge.example.net", "h");
        DateTimeFormatter rfc3164 = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
        return Arbitraries.oneOf(
                Arbitraries.just(new Envelope("", EnvelopeFormat.BARE, null, null, null)),
                uptime.map(u -> new Envelope(kernelTime(u), EnvelopeFormat.KERNEL_TIME, null, null, u)),
                Combinators.combine(past, host, uptime).as((t, h, u) -> new Envelope(
                        rfc3164.format(t) + " " + h + " kernel: " + kernelTime(u), EnvelopeFormat.RFC3164, h, t, u)),
                Combinators.combine(past, host, Arbitraries.integers().between(0, 999_999)).as((t, h, us) -> new Envelope(
                        t.plusNanos(us * 1000L).atOffset(ZoneOffset.ofHours(-7))
                                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx", Locale.ROOT))
                                + " " + h + " kernel: ", EnvelopeFormat.RFC3339, h, t.plusNanos(us * 1000L), null)),
                uptime.map(u -> new Envelope("4,2834," + u + ",-;", EnvelopeFormat.KMSG, null, null, u)));
    }

    private static String kernelTime(long micros) {
        return String.format(Locale.ROOT, "[%5d.%06d] ", micros / 1_000_000, micros % 1_000_000);
    }

    private static Arbitrary<LinkLayer> links(int etherType) {
        Arbitrary<String> mac = Arbitraries.integers().between(0, 255).list().ofSize(6)
                .map(l -> String.join(":", l.stream().map(i -> String.format(Locale.ROOT, "%02x", i)).toList()));
        Arbitrary<LinkLayer> raw = Combinators.combine(mac, mac).as((dst, src) -> {
            LinkLayer k = new LinkLayer();
            k.setDecoded(false);
            k.setDestinationMac(dst);
            k.setSourceMac(src);
            k.setEtherType(etherType);
            k.setRawHeader(dst + ":" + src + String.format(Locale.ROOT, ":%02x:%02x", etherType >> 8, etherType & 0xff));
            return k;
        });
        Arbitrary<LinkLayer> decoded = Combinators.combine(mac, mac, Arbitraries.integers().between(-1, 4095)).as((s, d, vid) -> {
            LinkLayer k = new LinkLayer();
            k.setDecoded(true);
            k.setSourceMac(s);
            k.setDestinationMac(d);
            k.setEtherType(etherType);
            if (vid >= 0) {
                k.setVlanProto(0x8100);
                k.setVlanId(vid);
            }
            return k;
        });
        return Arbitraries.oneOf(raw, decoded);
    }

    private static Arbitrary<PacketEvent> ipv4() {
        return Combinators.combine(links(0x0800), v4Packet(), l4(4), trailer()).as((link, generated, l4, t) -> {
            IpPacket p = IpPacket.newBuilder(generated).build();
            l4.accept(p);
            return event(PacketFamily.IPV4, link, p, t);
        }).flatMap(e -> withQuoted(e));
    }

    private static Arbitrary<PacketEvent> ipv6() {
        return Combinators.combine(links(0x86dd), v6Packet(), l4(6), trailer()).as((link, generated, l4, t) -> {
            IpPacket p = IpPacket.newBuilder(generated).build();
            l4.accept(p);
            return event(PacketFamily.IPV6, link, p, t);
        });
    }

    private static Arbitrary<PacketEvent> arp() {
        Arbitrary<String> mac = Arbitraries.of("02:99:01:00:00:01", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00");
        return Combinators.combine(links(0x0806), Arbitraries.integers().between(1, 4), mac, v4Address(), mac, v4Address())
                .as((link, op, sm, si, tm, ti) -> {
                    ArpPacket a = new ArpPacket();
                    a.setHardwareType(1);
                    a.setProtocolType(0x0800);
                    a.setOpcode(op);
                    a.setSenderMac(sm);
                    a.setSenderIp(si);
                    a.setTargetMac(tm);
                    a.setTargetIp(ti);
                    PacketEvent e = event(PacketFamily.ARP, link, null, new Long[] {null, null});
                    e.setArp(a);
                    return e;
                });
    }

    private static PacketEvent event(PacketFamily family, LinkLayer link, IpPacket p, Long[] trailer) {
        PacketEvent e = new PacketEvent();
        e.setPrefix("");
        e.setVerdict(dev.dropstream.schema.Verdict.UNKNOWN);
        e.setFamily(family);
        e.setLink(link);
        e.setPacket(p);
        e.setExtraTokens(List.of());
        e.setTruncated(false);
        e.setEnvelope(EnvelopeFormat.BARE);
        if (trailer[0] != null) {
            e.setUid(trailer[0]);
            e.setGid(trailer[0] + 1);
        }
        e.setMark(trailer[1]);
        return e;
    }

    private static Arbitrary<Long[]> trailer() {
        return Combinators.combine(Arbitraries.longs().between(-1, 70000), Arbitraries.longs().between(-1, 0xffffffffL))
                .as((uid, mark) -> new Long[] {uid < 0 ? null : uid, mark <= 0 ? null : mark});
    }

    private static Arbitrary<String> v4Address() {
        return Arbitraries.integers().between(0, 255).list().ofSize(4)
                .map(l -> l.get(0) + "." + l.get(1) + "." + l.get(2) + "." + l.get(3));
    }

    private static Arbitrary<IpPacket> v4Packet() {
        Arbitrary<Integer> byteValue = Arbitraries.integers().between(0, 255);
        return Combinators.combine(v4Address(), v4Address(), Arbitraries.integers().between(20, 65535), byteValue,
                byteValue, Arbitraries.longs().between(0, 65535), Arbitraries.integers().between(0, 7),
                Arbitraries.of("", "94040000", "0101")).as((src, dst, len, tos, ttl, id, bits, opt) -> {
                    IpPacket p = basePacket(4, src, dst, len);
                    p.setTos(tos & 0x1E);
                    p.setPrecedence(tos & 0xE0);
                    p.setTtl(ttl);
                    p.setId(id);
                    p.setCe((bits & 4) != 0);
                    p.setDf((bits & 2) != 0);
                    p.setMf((bits & 1) != 0);
                    p.setIpOptions(opt.isEmpty() ? null : opt);
                    return p;
                });
    }

    private static Arbitrary<String> v6Address() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(0, 0xffff).list().ofSize(8).map(g -> Ipv6Text.of(g)),
                Arbitraries.integers().between(0, 3).list().ofSize(8).map(g -> Ipv6Text.of(g)));
    }

    private static Arbitrary<IpPacket> v6Packet() {
        return Combinators.combine(v6Address(), v6Address(), Arbitraries.integers().between(40, 65575),
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(0, 0xfffff), Arbitraries.longs().between(-1, 0xffffffffL))
                .as((src, dst, len, tc, hl, flow, fragId) -> {
                    IpPacket p = basePacket(6, Ipv6Text.compressed(src), Ipv6Text.compressed(dst), len);
                    p.setTrafficClass(tc);
                    p.setHopLimit(hl);
                    p.setFlowLabel(flow);
                    // Rendering needs the expanded text; the event holds the compressed one.
                    p.setIpOptions(src + "|" + dst);
                    if (fragId >= 0) {
                        p.setFragmentOffset(0);
                        p.setFragmentId(fragId);
                        p.setMf(fragId % 2 == 0);
                    }
                    return p;
                });
    }

    private static IpPacket basePacket(int version, String src, String dst, int len) {
        IpPacket p = new IpPacket();
        p.setVersion(version);
        p.setSrc(src);
        p.setDst(dst);
        p.setLength(len);
        p.setExtensionHeaders(List.of());
        p.setTcpFlags(List.of());
        return p;
    }

    /** Fills the layer-4 fields of a packet. */
    interface L4 {
        void accept(IpPacket p);
    }

    private static Arbitrary<L4> l4(int version) {
        Arbitrary<Integer> port = Arbitraries.integers().between(0, 65535);
        Arbitrary<L4> tcp = Combinators.combine(port, port, Arbitraries.longs().between(-1, 0xffffffffL), port,
                Arbitraries.integers().between(0, 511), Arbitraries.of("", "020405B4", "0101080A2F36C1C120EDFB91"))
                .as((s, d, seq, win, flags, opt) -> p -> {
                    p.setProtocol("TCP");
                    p.setProtocolNumber(6);
                    p.setSrcPort(s);
                    p.setDstPort(d);
                    if (seq >= 0) {
                        p.setTcpSeq(seq);
                        p.setTcpAck(seq / 3);
                    }
                    p.setTcpWindow(win);
                    p.setTcpReserved(flags & 0x0f);
                    List<TcpFlag> set = new ArrayList<>();
                    for (TcpFlag f : TcpFlag.values()) {
                        if ((flags & (1 << f.ordinal())) != 0) {
                            set.add(f);
                        }
                    }
                    p.setTcpFlags(set);
                    p.setTcpUrgentPointer(flags % 3);
                    p.setTcpOptions(opt.isEmpty() ? null : opt);
                });
        Arbitrary<L4> udp = Combinators.combine(port, port, Arbitraries.integers().between(8, 65535), Arbitraries.of(17, 136))
                .as((s, d, len, proto) -> p -> {
                    p.setProtocol(proto == 17 ? "UDP" : "UDPLITE");
                    p.setProtocolNumber(proto);
                    p.setSrcPort(s);
                    p.setDstPort(d);
                    p.setUdpLength(len);
                });
        Arbitrary<L4> echo = Combinators.combine(port, port, Arbitraries.of(0, 8)).as((id, seq, type) -> p -> {
            p.setProtocol(version == 4 ? "ICMP" : "ICMPv6");
            p.setProtocolNumber(version == 4 ? 1 : 58);
            p.setIcmpType(version == 4 ? type : 128 + type / 8);
            p.setIcmpCode(0);
            p.setIcmpId(id);
            p.setIcmpSeq(seq);
        });
        Arbitrary<L4> other = Arbitraries.of(2, 47, 132, 41, 89, 253).map(n -> p -> {
            p.setProtocol(Integer.toString(n));
            p.setProtocolNumber(n);
        });
        return Arbitraries.oneOf(tcp, udp, echo, other);
    }

    /** Some IPv4 events become ICMP errors that quote a generated packet. */
    private static Arbitrary<PacketEvent> withQuoted(PacketEvent generated) {
        Arbitrary<Boolean> quote = Arbitraries.of(false, true);
        return Combinators.combine(quote, v4Packet(), l4(4), Arbitraries.integers().between(0, 15)).as((q, quoted, l4, code) -> {
            if (!q) {
                return generated;
            }
            PacketEvent e = PacketEvent.newBuilder(generated).build();
            IpPacket inner = IpPacket.newBuilder(quoted).build();
            l4.accept(inner);
            IpPacket p = e.getPacket();
            clearL4(p);
            p.setProtocol("ICMP");
            p.setProtocolNumber(1);
            p.setIcmpType(3);
            p.setIcmpCode(code);
            if (code == 4) {
                p.setIcmpMtu(1492);
            }
            e.setQuoted(inner);
            return e;
        });
    }

    private static void clearL4(IpPacket p) {
        p.setSrcPort(null);
        p.setDstPort(null);
        p.setUdpLength(null);
        p.setTcpSeq(null);
        p.setTcpAck(null);
        p.setTcpWindow(null);
        p.setTcpReserved(null);
        p.setTcpFlags(List.of());
        p.setTcpUrgentPointer(null);
        p.setTcpOptions(null);
        p.setIcmpId(null);
        p.setIcmpSeq(null);
    }

    // ---- rendering, as nf_log_syslog.c writes it ------------------------------------------------

    private static void renderLink(LinkLayer k, StringBuilder sb) {
        if (!k.getDecoded()) {
            sb.append("MAC=").append(k.getRawHeader()).append(' ');
            return;
        }
        sb.append("MACSRC=").append(k.getSourceMac()).append(" MACDST=").append(k.getDestinationMac()).append(' ');
        if (k.getVlanId() != null) {
            sb.append(String.format(Locale.ROOT, "VPROTO=%04x VID=%d ", k.getVlanProto(), k.getVlanId()));
        }
        sb.append(String.format(Locale.ROOT, "MACPROTO=%04x ", k.getEtherType()));
    }

    private static void renderArp(ArpPacket a, StringBuilder sb) {
        sb.append(String.format(Locale.ROOT, "ARP HTYPE=%d PTYPE=0x%04x OPCODE=%d MACSRC=%s IPSRC=%s MACDST=%s IPDST=%s",
                a.getHardwareType(), a.getProtocolType(), a.getOpcode(), a.getSenderMac(), a.getSenderIp(),
                a.getTargetMac(), a.getTargetIp()));
    }

    private static void renderIp(IpPacket p, IpPacket quoted, StringBuilder sb) {
        if (p.getVersion() == 4) {
            sb.append(String.format(Locale.ROOT, "SRC=%s DST=%s LEN=%d TOS=0x%02X PREC=0x%02X TTL=%d ID=%d ", p.getSrc(),
                    p.getDst(), p.getLength(), p.getTos(), p.getPrecedence(), p.getTtl(), p.getId()));
            sb.append(p.getCe() ? "CE " : "").append(p.getDf() ? "DF " : "").append(p.getMf() ? "MF " : "");
            if (p.getIpOptions() != null) {
                sb.append("OPT (").append(p.getIpOptions()).append(") ");
            }
        } else {
            String[] expanded = p.getIpOptions().split("\\|");
            p.setIpOptions(null);
            sb.append(String.format(Locale.ROOT, "SRC=%s DST=%s LEN=%d TC=%d HOPLIMIT=%d FLOWLBL=%d ", expanded[0],
                    expanded[1], p.getLength(), p.getTrafficClass(), p.getHopLimit(), p.getFlowLabel()));
            if (p.getFragmentId() != null) {
                String frag = String.format(Locale.ROOT, "FRAG:%d %sID:%08x", p.getFragmentOffset(),
                        p.getMf() ? "INCOMPLETE " : "", p.getFragmentId());
                p.setExtensionHeaders(List.of(frag));
                sb.append(frag).append(' ');
            }
        }
        sb.append("PROTO=").append(p.getProtocol()).append(' ');
        if (p.getSrcPort() != null) {
            sb.append("SPT=").append(p.getSrcPort()).append(" DPT=").append(p.getDstPort()).append(' ');
        }
        if (p.getUdpLength() != null) {
            sb.append("LEN=").append(p.getUdpLength()).append(' ');
        }
        if (p.getTcpWindow() != null) {
            if (p.getTcpSeq() != null) {
                sb.append("SEQ=").append(p.getTcpSeq()).append(" ACK=").append(p.getTcpAck()).append(' ');
            }
            sb.append("WINDOW=").append(p.getTcpWindow()).append(String.format(Locale.ROOT, " RES=0x%02x ", p.getTcpReserved()));
            for (TcpFlag f : p.getTcpFlags()) {
                sb.append(f.name()).append(' ');
            }
            sb.append("URGP=").append(p.getTcpUrgentPointer()).append(' ');
            if (p.getTcpOptions() != null) {
                sb.append("OPT (").append(p.getTcpOptions()).append(") ");
            }
        }
        if (p.getIcmpType() != null) {
            sb.append("TYPE=").append(p.getIcmpType()).append(" CODE=").append(p.getIcmpCode()).append(' ');
            if (p.getIcmpId() != null) {
                sb.append("ID=").append(p.getIcmpId()).append(" SEQ=").append(p.getIcmpSeq()).append(' ');
            }
            if (quoted != null) {
                sb.append('[');
                renderIp(quoted, null, sb);
                sb.append("] ");
            }
            if (p.getIcmpMtu() != null) {
                sb.append("MTU=").append(p.getIcmpMtu()).append(' ');
            }
        }
    }

    /** IPv6 text forms for the generator: the kernel's expanded one and RFC 5952. */
    static final class Ipv6Text {
        private Ipv6Text() {
        }

        static String of(List<Integer> groups) {
            StringBuilder sb = new StringBuilder();
            for (int g : groups) {
                sb.append(sb.length() == 0 ? "" : ":").append(String.format(Locale.ROOT, "%04x", g));
            }
            return sb.toString();
        }

        /** Compressed independently of the parser: longest run of two or more zero groups, first on a tie. */
        static String compressed(String expanded) {
            String[] g = expanded.split(":");
            int best = -1;
            int bestLen = 1;
            for (int i = 0; i < 8;) {
                int j = i;
                while (j < 8 && Integer.parseInt(g[j], 16) == 0) {
                    j++;
                }
                if (j - i > bestLen) {
                    best = i;
                    bestLen = j - i;
                }
                i = Math.max(j, i + 1);
            }
            if (best == 0 && bestLen == 5 && Integer.parseInt(g[5], 16) == 0xffff) {
                int hi = Integer.parseInt(g[6], 16);
                int lo = Integer.parseInt(g[7], 16);
                return "::ffff:" + (hi >> 8) + "." + (hi & 0xff) + "." + (lo >> 8) + "." + (lo & 0xff);
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                if (i == best) {
                    sb.append("::");
                    i += bestLen - 1;
                    continue;
                }
                if (sb.length() > 0 && !sb.toString().endsWith(":")) {
                    sb.append(':');
                }
                sb.append(Integer.toHexString(Integer.parseInt(g[i], 16)));
            }
            return sb.toString();
        }
    }
}
