package dev.dropstream.parser;

import dev.dropstream.schema.ArpPacket;
import dev.dropstream.schema.ConntrackEvent;
import dev.dropstream.schema.IpPacket;
import dev.dropstream.schema.LinkLayer;
import dev.dropstream.schema.PacketEvent;
import dev.dropstream.schema.PacketFamily;
import dev.dropstream.schema.SchemaTrust;
import dev.dropstream.schema.TcpFlag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Builds the Avro events from a {@link ParsedLine}. Holds caches for the strings that repeat from line to
 * line (interfaces, hosts, MACs), so use one instance per thread, beside its {@link LineParser}.
 */
public final class EventMapper {
    static {
        SchemaTrust.trustDropstreamSchemas();
    }

    private static final TcpFlag[] FLAGS = TcpFlag.values();
    private static final List<TcpFlag>[] FLAG_LISTS = flagLists();

    private final StringCache names = new StringCache(1024);
    /** IPv6 addresses as written, each with its RFC 5952 text attached: formatting is the costly part. */
    private final StringCache addresses6 = new StringCache(256);
    /** TCP and IP option bytes as hex text: they repeat per peer and are read as ISO-8859-1. */
    private final StringCache options = new StringCache(256, true);
    /** The last event time and its {@code Instant}: neighbouring lines often share their stamp. */
    private long lastTimeMicros = ParsedLine.NO_TIME;
    private Instant lastTime;

    /** A raw 14-byte Ethernet header's parts, attached to its cache entry so the header is hashed once. */
    private record EthernetHeader(String raw, String destination, String source, Integer etherType) {
    }

    @SuppressWarnings("unchecked")
    private static List<TcpFlag>[] flagLists() {
        // Every flag combination once, shared and immutable: no list per line.
        List<TcpFlag>[] lists = new List[1 << FLAGS.length];
        for (int bits = 0; bits < lists.length; bits++) {
            List<TcpFlag> l = new ArrayList<>(Integer.bitCount(bits));
            for (int i = 0; i < FLAGS.length; i++) {
                if ((bits & (1 << i)) != 0) {
                    l.add(FLAGS[i]);
                }
            }
            lists[bits] = Collections.unmodifiableList(l);
        }
        return lists;
    }

    /** The packet event of a {@link Outcome#PACKET} line (or the packet of a conntrack line). */
    public PacketEvent packetEvent(ParsedLine l, String fallbackHost) {
        byte[] b = l.buf;
        PacketEvent e = new PacketEvent();
        e.setHost(host(l, fallbackHost));
        e.setEventTime(time(l));
        e.setKernelTimeMicros(longOrNull(l.kernelTimeMicros));
        e.setEnvelope(l.envelope);
        e.setPrefix(l.prefix == null ? "" : l.prefix);
        e.setVerdict(l.verdict);
        e.setInInterface(names.get(b, l.inStart, l.inEnd));
        e.setOutInterface(names.get(b, l.outStart, l.outEnd));
        e.setPhysIn(names.get(b, l.physInStart, l.physInEnd));
        e.setPhysOut(names.get(b, l.physOutStart, l.physOutEnd));
        e.setLink(link(l));
        e.setFamily(l.family);
        e.setPacket(l.packet.present() ? ip(b, l.packet) : null);
        e.setQuoted(l.quoted.present() ? ip(b, l.quoted) : null);
        e.setArp(l.family == PacketFamily.ARP ? arp(l) : null);
        e.setUid(longOrNull(l.uid));
        e.setGid(longOrNull(l.gid));
        e.setMark(longOrNull(l.mark));
        e.setTruncated(l.truncated);
        e.setExtraTokens(extraTokens(l));
        return e;
    }

    /** The conntrack event of a {@link Outcome#CONNTRACK} line. */
    public ConntrackEvent conntrackEvent(ParsedLine l, String fallbackHost) {
        byte[] b = l.buf;
        ConntrackEvent c = new ConntrackEvent();
        c.setHost(host(l, fallbackHost));
        c.setEventTime(time(l));
        c.setKernelTimeMicros(longOrNull(l.kernelTimeMicros));
        c.setEnvelope(l.envelope);
        c.setKind(l.conntrackKind);
        c.setProtocolNumber(intOrNull(l.conntrackProtocol));
        c.setReason(l.reason);
        c.setReasonText(Text.ascii(b, l.reasonStart, l.reasonEnd));
        c.setTcpState(Text.ascii(b, l.tcpStateStart, l.tcpStateEnd));
        c.setPacketIndex(intOrNull(l.packetIndex));
        c.setDirection(intOrNull(l.direction));
        c.setResponseIndex(intOrNull(l.responseIndex));
        c.setBound(longOrNull(l.bound));
        c.setExcessBytes(longOrNull(l.excessBytes));
        c.setOuterAddress(address(b, l.outerAddrStart, l.outerAddrEnd));
        c.setInnerAddress(address(b, l.innerAddrStart, l.innerAddrEnd));
        c.setNetns(longOrNull(l.netns));
        c.setSuppressedCallbacks(longOrNull(l.suppressedCallbacks));
        c.setPacket(l.conntrackHasPacket ? packetEvent(l, fallbackHost) : null);
        return c;
    }

    private String host(ParsedLine l, String fallbackHost) {
        if (l.hostText != null) {
            return l.hostText;
        }
        if (l.hostStart >= 0) {
            return names.get(l.buf, l.hostStart, l.hostEnd);
        }
        return fallbackHost;
    }

    private Instant time(ParsedLine l) {
        if (l.eventTimeMicros == ParsedLine.NO_TIME) {
            return null;
        }
        long m = l.eventTimeMicros;
        if (m != lastTimeMicros) {
            lastTime = Instant.ofEpochSecond(Math.floorDiv(m, 1_000_000L), Math.floorMod(m, 1_000_000L) * 1000L);
            lastTimeMicros = m;
        }
        return lastTime;
    }

    private LinkLayer link(ParsedLine l) {
        if (l.linkForm == 0) {
            return null;
        }
        byte[] b = l.buf;
        LinkLayer k = new LinkLayer();
        if (l.linkForm == 1) {
            k.setDecoded(false);
            // An Ethernet header is 14 bytes: destination, source, EtherType.
            if (l.macEnd - l.macStart == 41) {
                EthernetHeader h = ethernetHeader(b, l.macStart, l.macEnd);
                k.setRawHeader(h.raw());
                k.setDestinationMac(h.destination());
                k.setSourceMac(h.source());
                k.setEtherType(h.etherType());
            } else {
                k.setRawHeader(names.get(b, l.macStart, l.macEnd));
            }
            k.setTunnel(Text.ascii(b, l.tunnelStart, l.tunnelEnd));
        } else {
            k.setDecoded(true);
            k.setSourceMac(names.get(b, l.macSrcStart, l.macSrcEnd));
            k.setDestinationMac(names.get(b, l.macDstStart, l.macDstEnd));
            k.setEtherType(intOrNull(l.etherType));
            k.setVlanProto(intOrNull(l.vlanProto));
            k.setVlanId(intOrNull(l.vlanId));
        }
        return k;
    }

    /** A 41-byte raw header and its parts, derived once per distinct header. */
    private EthernetHeader ethernetHeader(byte[] b, int s, int e) {
        EthernetHeader h = (EthernetHeader) names.attached(b, s, e);
        if (h == null) {
            int etherType = (Text.hexValue(b[s + 36]) << 12) | (Text.hexValue(b[s + 37]) << 8)
                    | (Text.hexValue(b[s + 39]) << 4) | Text.hexValue(b[s + 40]);
            h = new EthernetHeader(Text.utf8(b, s, e), Text.utf8(b, s, s + 17), Text.utf8(b, s + 18, s + 35),
                    etherType);
            names.attach(h);
        }
        return h;
    }

    /** The RFC 5952 text of an IPv6 address, by the bytes it was written with. */
    private String ipv6(byte[] b, int s, int e, long hi, long lo) {
        if (s < 0) {
            // A record cut before its DST= still has the (zero) address it always had.
            return Ipv6.format(hi, lo);
        }
        String text = (String) addresses6.attached(b, s, e);
        if (text == null) {
            text = Ipv6.format(hi, lo);
            addresses6.attach(text);
        }
        return text;
    }

    private IpPacket ip(byte[] b, PacketFields f) {
        IpPacket p = new IpPacket();
        p.setVersion(f.version);
        if (f.version == 6) {
            p.setSrc(ipv6(b, f.srcStart, f.srcEnd, f.src6Hi, f.src6Lo));
            p.setDst(ipv6(b, f.dstStart, f.dstEnd, f.dst6Hi, f.dst6Lo));
        } else {
            p.setSrc(names.get(b, f.srcStart, f.srcEnd));
            p.setDst(names.get(b, f.dstStart, f.dstEnd));
        }
        p.setLength(intOrNull(f.length));
        p.setTos(intOrNull(f.tos));
        p.setPrecedence(intOrNull(f.precedence));
        p.setTtl(intOrNull(f.ttl));
        p.setId(longOrNull(f.id));
        p.setCe(f.ce);
        p.setDf(f.df);
        p.setMf(f.mf);
        p.setFragmentOffset(intOrNull(f.fragmentOffset));
        p.setFragmentId(longOrNull(f.fragmentId));
        p.setIpOptions(options.get(b, f.ipOptStart, f.ipOptEnd));
        p.setTrafficClass(intOrNull(f.trafficClass));
        p.setHopLimit(intOrNull(f.hopLimit));
        p.setFlowLabel(intOrNull(f.flowLabel));
        p.setExtensionHeaders(extensionHeaders(b, f));
        p.setProtocol(names.get(b, f.protoStart, f.protoEnd));
        p.setProtocolNumber(intOrNull(f.protocolNumber));
        p.setSrcPort(intOrNull(f.srcPort));
        p.setDstPort(intOrNull(f.dstPort));
        p.setUdpLength(intOrNull(f.udpLength));
        p.setTcpSeq(longOrNull(f.tcpSeq));
        p.setTcpAck(longOrNull(f.tcpAck));
        p.setTcpWindow(intOrNull(f.tcpWindow));
        p.setTcpReserved(intOrNull(f.tcpReserved));
        p.setTcpFlags(FLAG_LISTS[f.tcpFlags]);
        p.setTcpUrgentPointer(intOrNull(f.tcpUrgentPointer));
        p.setTcpOptions(options.get(b, f.tcpOptStart, f.tcpOptEnd));
        p.setIcmpType(intOrNull(f.icmpType));
        p.setIcmpCode(intOrNull(f.icmpCode));
        p.setIcmpId(intOrNull(f.icmpId));
        p.setIcmpSeq(intOrNull(f.icmpSeq));
        p.setIcmpParameter(longOrNull(f.icmpParameter));
        p.setIcmpGateway(Text.ascii(b, f.gatewayStart, f.gatewayEnd));
        p.setIcmpMtu(intOrNull(f.icmpMtu));
        p.setSpi(longOrNull(f.spi));
        p.setIncompleteBytes(intOrNull(f.incompleteBytes));
        return p;
    }

    private static List<String> extensionHeaders(byte[] b, PacketFields f) {
        if (f.extCount == 0) {
            return List.of();
        }
        List<String> l = new ArrayList<>(f.extCount);
        for (int i = 0; i < f.extCount; i++) {
            l.add(Text.ascii(b, f.extStart[i], f.extEnd[i]));
        }
        return l;
    }

    private static List<String> extraTokens(ParsedLine l) {
        if (l.extraCount == 0) {
            return List.of();
        }
        List<String> t = new ArrayList<>(l.extraCount);
        for (int i = 0; i < l.extraCount; i++) {
            t.add(Text.utf8(l.buf, l.extraStart[i], l.extraEnd[i]));
        }
        return t;
    }

    private ArpPacket arp(ParsedLine l) {
        byte[] b = l.buf;
        ArpPacket a = new ArpPacket();
        a.setHardwareType(Math.max(0, l.arpHardwareType));
        a.setProtocolType(Math.max(0, l.arpProtocolType));
        a.setOpcode(Math.max(0, l.arpOpcode));
        a.setSenderMac(names.get(b, l.arpSenderMacStart, l.arpSenderMacEnd));
        a.setSenderIp(names.get(b, l.arpSenderIpStart, l.arpSenderIpEnd));
        a.setTargetMac(names.get(b, l.arpTargetMacStart, l.arpTargetMacEnd));
        a.setTargetIp(names.get(b, l.arpTargetIpStart, l.arpTargetIpEnd));
        a.setIncompleteBytes(intOrNull(l.arpIncompleteBytes));
        return a;
    }

    private static String address(byte[] b, int s, int e) {
        if (s < 0) {
            return null;
        }
        long[] v6 = new long[2];
        if (!Text.isIpv4(b, s, e) && Ipv6.parse(b, s, e, v6)) {
            return Ipv6.format(v6[0], v6[1]);
        }
        return Text.ascii(b, s, e);
    }

    // Boxing is left to the JVM: a table of shared boxes (tried with 2,048 and 65,536 entries) saved
    // allocation but cost more time in cache misses than the allocation it saved.
    private static Integer intOrNull(int v) {
        return v < 0 ? null : v;
    }

    private static Long longOrNull(long v) {
        return v < 0 ? null : v;
    }
}
