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
        e.setKernelTimeMicros(l.kernelTimeMicros < 0 ? null : l.kernelTimeMicros);
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
        e.setUid(l.uid < 0 ? null : l.uid);
        e.setGid(l.gid < 0 ? null : l.gid);
        e.setMark(l.mark < 0 ? null : l.mark);
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
        c.setKernelTimeMicros(l.kernelTimeMicros < 0 ? null : l.kernelTimeMicros);
        c.setEnvelope(l.envelope);
        c.setKind(l.conntrackKind);
        c.setProtocolNumber(l.conntrackProtocol < 0 ? null : l.conntrackProtocol);
        c.setReason(l.reason);
        c.setReasonText(Text.ascii(b, l.reasonStart, l.reasonEnd));
        c.setTcpState(Text.ascii(b, l.tcpStateStart, l.tcpStateEnd));
        c.setPacketIndex(l.packetIndex < 0 ? null : l.packetIndex);
        c.setDirection(l.direction < 0 ? null : l.direction);
        c.setResponseIndex(l.responseIndex < 0 ? null : l.responseIndex);
        c.setBound(l.bound < 0 ? null : l.bound);
        c.setExcessBytes(l.excessBytes < 0 ? null : l.excessBytes);
        c.setOuterAddress(address(b, l.outerAddrStart, l.outerAddrEnd));
        c.setInnerAddress(address(b, l.innerAddrStart, l.innerAddrEnd));
        c.setNetns(l.netns < 0 ? null : l.netns);
        c.setSuppressedCallbacks(l.suppressedCallbacks < 0 ? null : l.suppressedCallbacks);
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

    private static Instant time(ParsedLine l) {
        if (l.eventTimeMicros == ParsedLine.NO_TIME) {
            return null;
        }
        long m = l.eventTimeMicros;
        return Instant.ofEpochSecond(Math.floorDiv(m, 1_000_000L), Math.floorMod(m, 1_000_000L) * 1000L);
    }

    private LinkLayer link(ParsedLine l) {
        if (l.linkForm == 0) {
            return null;
        }
        byte[] b = l.buf;
        LinkLayer k = new LinkLayer();
        if (l.linkForm == 1) {
            k.setDecoded(false);
            k.setRawHeader(names.get(b, l.macStart, l.macEnd));
            // An Ethernet header is 14 bytes: destination, source, EtherType.
            if (l.macEnd - l.macStart == 41) {
                k.setDestinationMac(names.get(b, l.macStart, l.macStart + 17));
                k.setSourceMac(names.get(b, l.macStart + 18, l.macStart + 35));
                k.setEtherType((Text.hexValue(b[l.macStart + 36]) << 12) | (Text.hexValue(b[l.macStart + 37]) << 8)
                        | (Text.hexValue(b[l.macStart + 39]) << 4) | Text.hexValue(b[l.macStart + 40]));
            }
            k.setTunnel(Text.ascii(b, l.tunnelStart, l.tunnelEnd));
        } else {
            k.setDecoded(true);
            k.setSourceMac(names.get(b, l.macSrcStart, l.macSrcEnd));
            k.setDestinationMac(names.get(b, l.macDstStart, l.macDstEnd));
            k.setEtherType(l.etherType < 0 ? null : l.etherType);
            k.setVlanProto(l.vlanProto < 0 ? null : l.vlanProto);
            k.setVlanId(l.vlanId < 0 ? null : l.vlanId);
        }
        return k;
    }

    private IpPacket ip(byte[] b, PacketFields f) {
        IpPacket p = new IpPacket();
        p.setVersion(f.version);
        if (f.version == 6) {
            p.setSrc(Ipv6.format(f.src6Hi, f.src6Lo));
            p.setDst(Ipv6.format(f.dst6Hi, f.dst6Lo));
        } else {
            p.setSrc(names.get(b, f.srcStart, f.srcEnd));
            p.setDst(names.get(b, f.dstStart, f.dstEnd));
        }
        p.setLength(intOrNull(f.length));
        p.setTos(intOrNull(f.tos));
        p.setPrecedence(intOrNull(f.precedence));
        p.setTtl(intOrNull(f.ttl));
        p.setId(f.id < 0 ? null : f.id);
        p.setCe(f.ce);
        p.setDf(f.df);
        p.setMf(f.mf);
        p.setFragmentOffset(intOrNull(f.fragmentOffset));
        p.setFragmentId(f.fragmentId < 0 ? null : f.fragmentId);
        p.setIpOptions(Text.ascii(b, f.ipOptStart, f.ipOptEnd));
        p.setTrafficClass(intOrNull(f.trafficClass));
        p.setHopLimit(intOrNull(f.hopLimit));
        p.setFlowLabel(intOrNull(f.flowLabel));
        p.setExtensionHeaders(extensionHeaders(b, f));
        p.setProtocol(names.get(b, f.protoStart, f.protoEnd));
        p.setProtocolNumber(intOrNull(f.protocolNumber));
        p.setSrcPort(intOrNull(f.srcPort));
        p.setDstPort(intOrNull(f.dstPort));
        p.setUdpLength(intOrNull(f.udpLength));
        p.setTcpSeq(f.tcpSeq < 0 ? null : f.tcpSeq);
        p.setTcpAck(f.tcpAck < 0 ? null : f.tcpAck);
        p.setTcpWindow(intOrNull(f.tcpWindow));
        p.setTcpReserved(intOrNull(f.tcpReserved));
        p.setTcpFlags(FLAG_LISTS[f.tcpFlags]);
        p.setTcpUrgentPointer(intOrNull(f.tcpUrgentPointer));
        p.setTcpOptions(Text.ascii(b, f.tcpOptStart, f.tcpOptEnd));
        p.setIcmpType(intOrNull(f.icmpType));
        p.setIcmpCode(intOrNull(f.icmpCode));
        p.setIcmpId(intOrNull(f.icmpId));
        p.setIcmpSeq(intOrNull(f.icmpSeq));
        p.setIcmpParameter(f.icmpParameter < 0 ? null : f.icmpParameter);
        p.setIcmpGateway(Text.ascii(b, f.gatewayStart, f.gatewayEnd));
        p.setIcmpMtu(intOrNull(f.icmpMtu));
        p.setSpi(f.spi < 0 ? null : f.spi);
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

    private static Integer intOrNull(int v) {
        return v < 0 ? null : v;
    }
}
