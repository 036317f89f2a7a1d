package dev.dropstream.parser;

import static dev.dropstream.parser.Parsing.packet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.schema.EnvelopeFormat;
import dev.dropstream.schema.IpPacket;
import dev.dropstream.schema.PacketEvent;
import dev.dropstream.schema.PacketFamily;
import dev.dropstream.schema.TcpFlag;
import dev.dropstream.schema.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Field-level expectations for real lines of every record form (each line is quoted from the corpus file
 * named above it), and constructed lines, labelled as such, for the forms the corpus lacks.
 */
class RecordFormsTest {

    @Test
    void ipv4TcpWithEcnFlagsBehindUfwBlock() {
        // conntrack-and-misc/issue-quoted-lines.log:1
        PacketEvent e = packet("Dec 26 09:05:47 server01 kernel: [126140.629122] [UFW BLOCK] IN=eth0 OUT= "
                + "MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd SRC=254.253.252.251 DST=191.192.193.194 LEN=52 "
                + "TOS=0x02 PREC=0x00 TTL=128 ID=9209 DF PROTO=TCP SPT=17833 DPT=22 WINDOW=8192 RES=0x00 CWR ECE SYN URGP=0");
        assertThat(e.getHost()).isEqualTo("server01");
        assertThat(e.getEnvelope()).isEqualTo(EnvelopeFormat.RFC3164);
        assertThat(e.getEventTime()).hasToString("2025-12-26T09:05:47Z");
        assertThat(e.getKernelTimeMicros()).isEqualTo(126_140_629_122L);
        assertThat(e.getPrefix()).isEqualTo("[UFW BLOCK] ");
        assertThat(e.getVerdict()).isEqualTo(Verdict.DROP);
        assertThat(e.getInInterface()).isEqualTo("eth0");
        assertThat(e.getOutInterface()).isEmpty();
        assertThat(e.getLink().getDestinationMac()).isEqualTo("00:11:22:33:44:55");
        assertThat(e.getLink().getSourceMac()).isEqualTo("66:77:88:99:aa:bb");
        IpPacket p = e.getPacket();
        assertThat(e.getFamily()).isEqualTo(PacketFamily.IPV4);
        assertThat(p.getSrc()).isEqualTo("254.253.252.251");
        assertThat(p.getDst()).isEqualTo("191.192.193.194");
        assertThat(p.getLength()).isEqualTo(52);
        assertThat(p.getTos()).isEqualTo(2);
        assertThat(p.getTtl()).isEqualTo(128);
        assertThat(p.getId()).isEqualTo(9209L);
        assertThat(p.getDf()).isTrue();
        assertThat(p.getProtocolNumber()).isEqualTo(6);
        assertThat(p.getSrcPort()).isEqualTo(17833);
        assertThat(p.getDstPort()).isEqualTo(22);
        assertThat(p.getTcpWindow()).isEqualTo(8192);
        assertThat(p.getTcpFlags()).containsExactly(TcpFlag.CWR, TcpFlag.ECE, TcpFlag.SYN);
        assertThat(p.getTcpUrgentPointer()).isZero();
        assertThat(e.getTruncated()).isFalse();
    }

    @Test
    void udpKeepsIpLengthAndUdpLengthApart() {
        // iptablogs/iptables.log:3
        PacketEvent e = packet("Feb 20 10:47:14 debian kernel: [  341.493787] [netfilter-INPUT] IN=enp0s3 OUT= "
                + "MAC=08:00:27:b1:ec:36:da:4b:14:4e:8f:da:08:00 SRC=192.168.122.1 DST=192.168.122.235 LEN=72 "
                + "TOS=0x00 PREC=0x00 TTL=64 ID=25053 DF PROTO=UDP SPT=53 DPT=43648 LEN=52 ");
        assertThat(e.getPacket().getLength()).isEqualTo(72);
        assertThat(e.getPacket().getUdpLength()).isEqualTo(52);
        assertThat(e.getLink().getEtherType()).isEqualTo(0x0800);
        assertThat(e.getKernelTimeMicros()).isEqualTo(341_493_787L);
        assertThat(e.getVerdict()).isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void outputPathHasNoMacAndCarriesUidGid() {
        // kernel-lab/envelope-kmsg.log:1
        PacketEvent e = packet("4,2834,4466599649,-;LAB-A-OUT-UID IN= OUT=vethA SRC=10.99.1.1 DST=10.99.1.2 LEN=60 "
                + "TOS=0x00 PREC=0x00 TTL=64 ID=37165 DF PROTO=TCP SPT=46672 DPT=7001 WINDOW=64240 RES=0x00 SYN "
                + "URGP=0 UID=65534 GID=65534 ");
        assertThat(e.getEnvelope()).isEqualTo(EnvelopeFormat.KMSG);
        assertThat(e.getKernelTimeMicros()).isEqualTo(4_466_599_649L);
        assertThat(e.getLink()).isNull();
        assertThat(e.getInInterface()).isEmpty();
        assertThat(e.getOutInterface()).isEqualTo("vethA");
        assertThat(e.getUid()).isEqualTo(65534L);
        assertThat(e.getGid()).isEqualTo(65534L);
    }

    @Test
    void macDecodeWithTcpSequenceAndOptions() {
        // kernel-lab/envelope-kmsg.log:2
        PacketEvent e = packet("4,2835,4466599686,-;LAB-NFT-ALL IN=vethB1 OUT= MACSRC=02:99:01:00:00:01 "
                + "MACDST=02:99:01:00:00:02 MACPROTO=0800 SRC=10.99.1.1 DST=10.99.1.2 LEN=60 TOS=0x00 PREC=0x00 "
                + "TTL=64 ID=37165 DF PROTO=TCP SPT=46672 DPT=7001 SEQ=1942433797 ACK=0 WINDOW=64240 RES=0x00 SYN "
                + "URGP=0 OPT (020405B40402080A594CF8BC000000000103030A) ");
        assertThat(e.getLink().getDecoded()).isTrue();
        assertThat(e.getLink().getSourceMac()).isEqualTo("02:99:01:00:00:01");
        assertThat(e.getLink().getDestinationMac()).isEqualTo("02:99:01:00:00:02");
        assertThat(e.getLink().getEtherType()).isEqualTo(0x0800);
        assertThat(e.getPacket().getTcpSeq()).isEqualTo(1_942_433_797L);
        assertThat(e.getPacket().getTcpAck()).isZero();
        assertThat(e.getPacket().getTcpFlags()).containsExactly(TcpFlag.SYN);
        assertThat(e.getPacket().getTcpOptions()).isEqualTo("020405B40402080A594CF8BC000000000103030A");
    }

    @Test
    void vlanTagAndArpWithMacSourceTwice() {
        // conntrack-and-misc/misc-real-lines.log:13 (the nf_log VLAN patch's own sample)
        PacketEvent e = packet("[12721.157643] test: IN=veth0 OUT= MACSRC=86:6c:92:ea:d6:73 MACDST=0e:3b:eb:86:73:76 "
                + "VPROTO=8100 VID=10 MACPROTO=0806 ARP HTYPE=1 PTYPE=0x0800 OPCODE=2 MACSRC=86:6c:92:ea:d6:73 "
                + "IPSRC=192.168.10.2 MACDST=0e:3b:eb:86:73:76 IPDST=192.168.10.1");
        assertThat(e.getLink().getVlanProto()).isEqualTo(0x8100);
        assertThat(e.getLink().getVlanId()).isEqualTo(10);
        assertThat(e.getLink().getEtherType()).isEqualTo(0x0806);
        assertThat(e.getFamily()).isEqualTo(PacketFamily.ARP);
        assertThat(e.getPacket()).isNull();
        assertThat(e.getArp().getHardwareType()).isEqualTo(1);
        assertThat(e.getArp().getProtocolType()).isEqualTo(0x0800);
        assertThat(e.getArp().getOpcode()).isEqualTo(2);
        assertThat(e.getArp().getSenderMac()).isEqualTo("86:6c:92:ea:d6:73");
        assertThat(e.getArp().getSenderIp()).isEqualTo("192.168.10.2");
        assertThat(e.getArp().getTargetMac()).isEqualTo("0e:3b:eb:86:73:76");
        assertThat(e.getArp().getTargetIp()).isEqualTo("192.168.10.1");
    }

    @Test
    void arpCutShortSaysHowManyBytesItHad() {
        // kernel-lab/l2-macdecode-vlan.log
        PacketEvent e = packet("[ 4488.000000] LAB-NETDEV-PLAIN IN=vethB1 OUT= ARP HTYPE=1 PTYPE=0x0800 OPCODE=1 "
                + "INCOMPLETE [4 bytes]");
        assertThat(e.getArp().getIncompleteBytes()).isEqualTo(4);
        assertThat(e.getArp().getSenderIp()).isNull();
    }

    @Test
    void linkOnlyFrameOfAnotherEtherType() {
        // kernel-lab/l2-macdecode-vlan.log (LLDP)
        PacketEvent e = packet("[ 4488.000000] LAB-NETDEV IN=vethB1 OUT= MACSRC=02:99:0a:00:00:01 "
                + "MACDST=01:80:c2:00:00:0e MACPROTO=88cc ");
        assertThat(e.getFamily()).isEqualTo(PacketFamily.LINK);
        assertThat(e.getLink().getEtherType()).isEqualTo(0x88cc);
        assertThat(e.getPacket()).isNull();
        assertThat(e.getTruncated()).isFalse();
    }

    @Test
    void icmpErrorQuotesTheOriginalPacketWithoutOverwritingTheOuterOne() {
        // conntrack-and-misc/misc-real-lines.log:18
        PacketEvent e = packet("[  168.281559] Inbound IN=wlan0 OUT= MAC=00:1c:df:1b:b7:40:00:1c:df:3b:97:75:08:00 "
                + "SRC=192.168.1.254 DST=192.168.2.2 LEN=56 TOS=0x00 PREC=0x00 TTL=63 ID=0 PROTO=ICMP TYPE=3 CODE=4 "
                + "[SRC=192.168.2.2 DST=83.233.38.158 LEN=1500 TOS=0x00 PREC=0x00 TTL=64 ID=18801 DF PROTO=TCP "
                + "INCOMPLETE [8 bytes] ] MTU=1492 ");
        IpPacket outer = e.getPacket();
        IpPacket inner = e.getQuoted();
        assertThat(outer.getSrc()).isEqualTo("192.168.1.254");
        assertThat(outer.getLength()).isEqualTo(56);
        assertThat(outer.getId()).isZero();
        assertThat(outer.getIcmpType()).isEqualTo(3);
        assertThat(outer.getIcmpCode()).isEqualTo(4);
        assertThat(outer.getIcmpMtu()).isEqualTo(1492);
        assertThat(inner.getSrc()).isEqualTo("192.168.2.2");
        assertThat(inner.getDst()).isEqualTo("83.233.38.158");
        assertThat(inner.getLength()).isEqualTo(1500);
        assertThat(inner.getId()).isEqualTo(18801L);
        assertThat(inner.getProtocolNumber()).isEqualTo(6);
        assertThat(inner.getIncompleteBytes()).isEqualTo(8);
        assertThat(e.getTruncated()).as("a quoted packet is short by design").isFalse();
    }

    @Test
    void echoRequestKeepsIpIdAndIcmpIdApart() {
        // conntrack-and-misc/misc-real-lines.log:16
        PacketEvent e = packet("Aug 17 10:03:37 myhostname kernel: SFW2-INext-DROP-DEFLT IN=eth0 OUT= "
                + "MAC=00:08:02:da:c8:51:00:0f:f7:74:31:8a:08:00 SRC=1.2.3.36 DST=1.2.3.194 LEN=28 TOS=0x00 PREC=0x00 "
                + "TTL=44 ID=60200 PROTO=ICMP TYPE=8 CODE=0 ID=10466 SEQ=21229");
        assertThat(e.getVerdict()).isEqualTo(Verdict.DROP);
        assertThat(e.getPacket().getId()).isEqualTo(60200L);
        assertThat(e.getPacket().getIcmpId()).isEqualTo(10466);
        assertThat(e.getPacket().getIcmpSeq()).isEqualTo(21229);
    }

    @Test
    void redirectWithGatewayAndParameterProblem() {
        // kernel-lab/v4-icmp-udp.log
        PacketEvent redirect = packet("[ 4473.733245] LAB-ICMP-OUT IN= OUT=vethB1 SRC=10.99.1.2 DST=10.99.1.1 LEN=112 "
                + "TOS=0x00 PREC=0xC0 TTL=64 ID=64222 PROTO=ICMP TYPE=5 CODE=1 GATEWAY=10.99.1.3 [SRC=10.99.1.1 "
                + "DST=10.99.9.9 LEN=84 TOS=0x00 PREC=0x00 TTL=63 ID=28284 DF PROTO=ICMP TYPE=8 CODE=0 ID=8821 SEQ=1 ] ");
        assertThat(redirect.getPacket().getIcmpGateway()).isEqualTo("10.99.1.3");
        assertThat(redirect.getPacket().getPrecedence()).isEqualTo(0xC0);
        assertThat(redirect.getQuoted().getIcmpId()).isEqualTo(8821);
        PacketEvent param = packet("[ 4475.141886] LAB-ICMP-OUT IN= OUT=vethB1 SRC=10.99.1.2 DST=10.99.1.1 LEN=64 "
                + "TOS=0x00 PREC=0xC0 TTL=64 ID=64413 PROTO=ICMP TYPE=12 CODE=0 PARAMETER=22 ");
        assertThat(param.getPacket().getIcmpParameter()).isEqualTo(22L);
    }

    @Test
    void ipv6AddressesComeOutCompressed() {
        // psad/ipv6_tcp_connect_nmap_default_scan.log:1
        PacketEvent e = packet("Mar 17 13:39:13 linux kernel: [956932.482127] DROP IN=eth0 OUT= "
                + "MAC=33:33:ff:00:00:01:00:1b:b9:76:9c:e4:86:dd SRC=2001:0db8:0000:f101:0000:0000:0000:0002 "
                + "DST=ff02:0000:0000:0000:0000:0001:ff00:0001 LEN=72 TC=0 HOPLIMIT=255 FLOWLBL=0 PROTO=ICMPv6 "
                + "TYPE=135 CODE=0 ");
        assertThat(e.getFamily()).isEqualTo(PacketFamily.IPV6);
        assertThat(e.getPacket().getVersion()).isEqualTo(6);
        assertThat(e.getPacket().getSrc()).isEqualTo("2001:db8:0:f101::2");
        assertThat(e.getPacket().getDst()).isEqualTo("ff02::1:ff00:1");
        assertThat(e.getPacket().getHopLimit()).isEqualTo(255);
        assertThat(e.getPacket().getTrafficClass()).isZero();
        assertThat(e.getPacket().getProtocol()).isEqualTo("ICMPv6");
        assertThat(e.getPacket().getProtocolNumber()).isEqualTo(58);
        assertThat(e.getPacket().getIcmpType()).isEqualTo(135);
        assertThat(e.getLink().getEtherType()).isEqualTo(0x86dd);
    }

    @Test
    void ipv6ExtensionHeadersFragmentsAhAndEsp() {
        // kernel-lab/v6.log
        PacketEvent frag = packet("[ 4482.99] LAB6-EXT-ALL IN=vethB1 OUT= MACSRC=02:99:01:00:00:01 MACDST=02:99:01:00:00:02 "
                + "MACPROTO=86dd SRC=fd99:0001:0000:0000:0000:0000:0000:0001 DST=fd99:0001:0000:0000:0000:0000:0000:0002 "
                + "LEN=80 TC=0 HOPLIMIT=64 FLOWLBL=703710 OPT ( ) OPT ( ) OPT ( ) OPT ( FRAG:0 ID:00005678 ) PROTO=UDP "
                + "SPT=40004 DPT=7303 LEN=8 ");
        assertThat(frag.getPacket().getExtensionHeaders()).containsExactly("", "", "", "FRAG:0 ID:00005678");
        assertThat(frag.getPacket().getFragmentOffset()).isZero();
        assertThat(frag.getPacket().getFragmentId()).isEqualTo(0x5678L);
        assertThat(frag.getPacket().getFlowLabel()).isEqualTo(703710);
        assertThat(frag.getPacket().getDstPort()).isEqualTo(7303);

        PacketEvent ah = packet("[ 4482.99] LAB6-EXT-ALL IN=vethB1 OUT= MACSRC=02:99:01:00:00:01 MACDST=02:99:01:00:00:02 "
                + "MACPROTO=86dd SRC=fd99:0001:0000:0000:0000:0000:0000:0001 DST=fd99:0001:0000:0000:0000:0000:0000:0002 "
                + "LEN=72 TC=0 HOPLIMIT=64 FLOWLBL=703710 OPT ( AH SPI=0x1001 ) PROTO=ICMPv6 TYPE=128 CODE=0 ID=8003 SEQ=1 ");
        assertThat(ah.getPacket().getSpi()).isEqualTo(0x1001L);
        assertThat(ah.getPacket().getIcmpId()).isEqualTo(8003);

        PacketEvent esp = packet("[ 4482.99] LAB6-EXT-ALL IN=vethB1 OUT= MACSRC=02:99:01:00:00:01 MACDST=02:99:01:00:00:02 "
                + "MACPROTO=86dd SRC=fd99:0001:0000:0000:0000:0000:0000:0001 DST=fd99:0001:0000:0000:0000:0000:0000:0002 "
                + "LEN=64 TC=0 HOPLIMIT=64 FLOWLBL=703710 OPT ( ESP SPI=0x2002 )");
        assertThat(esp.getPacket().getSpi()).isEqualTo(0x2002L);
        assertThat(esp.getPacket().getProtocol()).isNull();
        assertThat(esp.getTruncated()).isFalse();
    }

    @Test
    void fragmentOffsetsAreBytesForBothFamilies() {
        // kernel-lab/fragments.log: IPv4 FRAG:n is in 8-byte units, IPv6 FRAG:n in bytes; INCOMPLETE is MF.
        PacketEvent v4 = packet("[ 4484.9] LAB-FRAG4-RAW IN=vethB1 OUT= MAC=02:99:01:00:00:02:02:99:01:00:00:01:08:00 "
                + "SRC=10.99.1.1 DST=10.99.1.2 LEN=1500 TOS=0x00 PREC=0x00 TTL=64 ID=41859 MF FRAG:185 PROTO=ICMP ");
        assertThat(v4.getPacket().getMf()).isTrue();
        assertThat(v4.getPacket().getFragmentOffset()).isEqualTo(1480);
        assertThat(v4.getPacket().getIcmpType()).isNull();
        assertThat(v4.getTruncated()).isFalse();
        PacketEvent v6 = packet("[ 4484.9] LAB-FRAG6-RAW IN=vethB1 OUT= MAC=02:99:01:00:00:02:02:99:01:00:00:01:86:dd "
                + "SRC=fd99:0001:0000:0000:0000:0000:0000:0001 DST=fd99:0001:0000:0000:0000:0000:0000:0002 LEN=1496 "
                + "TC=0 HOPLIMIT=64 FLOWLBL=915954 FRAG:1448 INCOMPLETE ID:483a63a6 PROTO=ICMPv6 ");
        assertThat(v6.getPacket().getFragmentOffset()).isEqualTo(1448);
        assertThat(v6.getPacket().getMf()).isTrue();
        assertThat(v6.getPacket().getFragmentId()).isEqualTo(0x483a63a6L);
        assertThat(v6.getTruncated()).isFalse();
    }

    @Test
    void prefixGluedToInAndPrefixesHoldingEqualsSigns() {
        // conntrack-and-misc/misc-real-lines.log:15, :9, :11
        PacketEvent glued = packet("Nov 18 13:39:49 OpenWRT kernel: [10051.313745] DROP(src wan)IN=eth0 OUT= "
                + "MAC=c2:56:27:73:33:cf:c4:f0:81:b0:93:24:08:00 SRC=205.205.205.205 DST=192.168.8.100 LEN=44 "
                + "TOS=0x00 PREC=0x00 TTL=31 ID=8549 PROTO=TCP SPT=40952 DPT=23 WINDOW=64144 RES=0x00 SYN URGP=0 "
                + "MARK=0xff00");
        assertThat(glued.getPrefix()).isEqualTo("DROP(src wan)");
        assertThat(glued.getVerdict()).isEqualTo(Verdict.DROP);
        assertThat(glued.getMark()).isEqualTo(0xff00L);
        PacketEvent firewalla = packet("Jul  2 16:35:57 firewalla kernel: [ 6780.606787] [FW_ADT]D=O CD=O IN=br0 "
                + "OUT=eth0 PHYSIN=eth1.999 MAC=20:6d:31:fe:00:07:88:e9:fe:86:ff:94:08:00 SRC=192.168.210.191 "
                + "DST=23.129.64.214 LEN=64 TOS=0x00 PREC=0x00 TTL=63 ID=0 DF PROTO=TCP SPT=63349 DPT=443 "
                + "WINDOW=65535 RES=0x00 SYN URGP=0 MARK=0x87");
        assertThat(firewalla.getPrefix()).isEqualTo("[FW_ADT]D=O CD=O ");
        assertThat(firewalla.getPhysIn()).isEqualTo("eth1.999");
        assertThat(firewalla.getMark()).isEqualTo(0x87L);
        PacketEvent stateInPrefix = packet("Jan 26 09:28:12 defendo kernel: fw-chk drop [STATE=invalid] IN=ipsec0 OUT= "
                + "PHYSIN=eth1 MAC= SRC=192.168.12.1 DST=192.168.11.1 LEN=52 TOS=0x00 PREC=0x00 TTL=64 ID=0 DF "
                + "PROTO=TCP SPT=7 DPT=52476 WINDOW=64240 RES=0x00 ACK SYN URGP=0 MARK=0x1000000");
        assertThat(stateInPrefix.getPrefix()).isEqualTo("fw-chk drop [STATE=invalid] ");
        assertThat(stateInPrefix.getLink().getRawHeader()).isEmpty();
        assertThat(stateInPrefix.getPacket().getTcpFlags()).containsExactly(TcpFlag.ACK, TcpFlag.SYN);
    }

    @Test
    void bridgePortsBothWays() {
        // conntrack-and-misc/misc-real-lines.log:10
        PacketEvent e = packet("Nov 12 19:46:36 nas kernel: CT INVALID OUT: IN=br-lan137 OUT=br-lan137 "
                + "PHYSIN=veth-lan137-1 PHYSOUT=veth5a44ead MAC=72:ff:6f:af:95:56:98:03:9b:c4:d3:04:08:00 "
                + "SRC=192.168.137.250 DST=192.168.137.248 LEN=60 TOS=0x00 PREC=0x00 TTL=63 ID=0 DF PROTO=TCP "
                + "SPT=5000 DPT=55094 WINDOW=65160 RES=0x00 ACK SYN URGP=0");
        assertThat(e.getPhysIn()).isEqualTo("veth-lan137-1");
        assertThat(e.getPhysOut()).isEqualTo("veth5a44ead");
    }

    @Test
    void protocolsWithoutPortsKeepTheirNumber() {
        // conntrack-and-misc/misc-real-lines.log:3 (SCTP) and issue-quoted-lines.log:5 (IGMP with MARK)
        PacketEvent sctp = packet("2026-07-25T23:41:18.402279+00:00 writer kernel: nft-dropped: IN=eth0 OUT= "
                + "MAC=92:00:06:c2:f4:ce:d2:74:7f:6e:37:e3:08:00 SRC=31.56.209.244 DST=46.62.147.41 LEN=52 TOS=0x00 "
                + "PREC=0x00 TTL=53 ID=36324 PROTO=132 ");
        assertThat(sctp.getPacket().getProtocol()).isEqualTo("132");
        assertThat(sctp.getPacket().getProtocolNumber()).isEqualTo(132);
        assertThat(sctp.getPacket().getDstPort()).isNull();
        assertThat(sctp.getVerdict()).isEqualTo(Verdict.DROP);
        assertThat(sctp.getEventTime()).hasToString("2026-07-25T23:41:18.402279Z");
        PacketEvent igmp = packet("Dec 27 11:24:04 audit kernel: lcb-iptables drop IN= OUT=eno5 SRC=192.168.10.5 "
                + "DST=224.0.0.22 LEN=40 TOS=0x00 PREC=0xC0 TTL=1 ID=0 DF PROTO=2 MARK=0xd4");
        assertThat(igmp.getPacket().getProtocolNumber()).isEqualTo(2);
        assertThat(igmp.getMark()).isEqualTo(0xd4L);
    }

    @Test
    void proxmoxPvefwLoggerRerendering() {
        // conntrack-and-misc/issue-quoted-lines.log:8: no OUT=, no RES/URGP, its own stamp with a zone.
        PacketEvent e = packet("2021-03-02T18:40:27.254Z cvn1 kernel: 0 6 PVEFW-HOST-IN 02/Mar/2021:19:40:22 +0100 "
                + "policy DROP: IN=enp1s0f0 MAC=a8:1e:84:96:92:20:a0:93:51:b7:50:73:08:00 SRC=10.11.12.13 "
                + "DST=14.15.16.17 LEN=40 TOS=0x00 PREC=0x00 TTL=241 ID=54321 PROTO=TCP SPT=46363 DPT=8123 "
                + "SEQ=3807223242 ACK=0 WINDOW=65535 SYN");
        assertThat(e.getEnvelope()).isEqualTo(EnvelopeFormat.PVEFW_LOGGER);
        assertThat(e.getEventTime()).hasToString("2021-03-02T18:40:22Z");
        assertThat(e.getPrefix()).isEqualTo("PVEFW-HOST-IN policy DROP: ");
        assertThat(e.getVerdict()).isEqualTo(Verdict.DROP);
        assertThat(e.getOutInterface()).isNull();
        assertThat(e.getPacket().getTcpFlags()).containsExactly(TcpFlag.SYN);
        assertThat(e.getPacket().getTcpUrgentPointer()).isNull();
        assertThat(e.getTruncated()).isFalse();
    }

    @Test
    void unknownTokensAreKeptNotDropped() {
        // conntrack-and-misc/issue-quoted-lines.log:3 ('URGn=0' as quoted in a bug report)
        PacketEvent e = packet("Aug 17 10:03:37 myhostname kernel:FIREWALL_OUT IN=eth0 OUT=eth0 SRC=192.168.6.57 "
                + "DST=216.161.248.225 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=18547 DF PROTO=TCP SPT=46388 DPT=37628 "
                + "WINDOW=6930 RES=0x00 ACK RST URGn=0");
        assertThat(e.getPrefix()).isEqualTo("FIREWALL_OUT ");
        assertThat(e.getExtraTokens()).isEqualTo(List.of("URGn=0"));
    }

    @Test
    void newestFlagsAndReservedBit() {
        // Constructed (kernel-format.md §3.1: AE is the newest flag; CE is the reserved IP bit).
        PacketEvent e = packet("LAB: IN=eth0 OUT= MAC=00:00:00:00:00:00:00:00:00:00:00:00:08:00 SRC=10.0.0.1 "
                + "DST=10.0.0.2 LEN=40 TOS=0x1C PREC=0xE0 TTL=64 ID=1 CE DF MF PROTO=TCP SPT=1 DPT=2 WINDOW=3 "
                + "RES=0x0f AE CWR ECE URG ACK PSH RST SYN FIN URGP=7 ");
        assertThat(e.getPacket().getCe()).isTrue();
        assertThat(e.getPacket().getDf()).isTrue();
        assertThat(e.getPacket().getMf()).isTrue();
        assertThat(e.getPacket().getTos()).isEqualTo(0x1C);
        assertThat(e.getPacket().getPrecedence()).isEqualTo(0xE0);
        assertThat(e.getPacket().getTcpReserved()).isEqualTo(15);
        assertThat(e.getPacket().getTcpFlags()).containsExactly(TcpFlag.values());
        assertThat(e.getPacket().getTcpUrgentPointer()).isEqualTo(7);
    }

    @Test
    void constructedFormsTheCorpusLacks() {
        // Constructed from kernel-format.md: SIT TUNNEL=, IP options, OPT (TRUNCATED), TRUNCATED, vendor TOS=00 / MARK=0.
        PacketEvent sit = packet("T: IN=sit1 OUT= MAC=00:00:00:00 TUNNEL=192.0.2.1->198.51.100.2 "
                + "SRC=2001:db8::1 DST=2001:db8::2 LEN=80 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=UDP SPT=1 DPT=2 LEN=40 ");
        assertThat(sit.getLink().getTunnel()).isEqualTo("192.0.2.1->198.51.100.2");
        assertThat(sit.getPacket().getSrc()).isEqualTo("2001:db8::1");
        PacketEvent ipopt = packet("T: IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=44 TOS=0x00 PREC=0x00 TTL=64 ID=1 "
                + "OPT (94040000) PROTO=UDP SPT=1 DPT=2 LEN=24 ");
        assertThat(ipopt.getPacket().getIpOptions()).isEqualTo("94040000");
        PacketEvent optTruncated = packet("T: IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=44 TOS=0x00 PREC=0x00 TTL=64 "
                + "ID=1 PROTO=TCP SPT=1 DPT=2 WINDOW=5 RES=0x00 SYN URGP=0 OPT (TRUNCATED)");
        assertThat(optTruncated.getTruncated()).isTrue();
        assertThat(optTruncated.getPacket().getDstPort()).isEqualTo(2);
        PacketEvent ipTruncated = packet("T: IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=44 TOS=0x00 PREC=0x00 TTL=64 "
                + "ID=1 TRUNCATED");
        assertThat(ipTruncated.getTruncated()).isTrue();
        assertThat(ipTruncated.getPacket().getProtocol()).isNull();
        PacketEvent vendor = packet("T: IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=44 TOS=00 PREC=0x00 TTL=64 ID=1 "
                + "PROTO=UDP SPT=1 DPT=2 LEN=24 MARK=0");
        assertThat(vendor.getPacket().getTos()).isZero();
        assertThat(vendor.getMark()).isZero();
        PacketEvent unknownExt = packet("T: IN=eth0 OUT= SRC=::1 DST=::2 LEN=48 TC=0 HOPLIMIT=64 FLOWLBL=0 "
                + "Unknown Ext Hdr 253");
        assertThat(unknownExt.getPacket().getExtensionHeaders()).containsExactly("Unknown Ext Hdr 253");
    }

    @Test
    void recordCutByTheKernelBufferKeepsWhatItHad() {
        // Constructed: a real line cut mid-token, as the kernel's 1 KiB buffer or a relay does.
        PacketEvent e = packet("[UFW BLOCK] IN=eth0 OUT= MAC=00:15:5d:e6:a2:01:2a:a3:c6:42:b1:90:08:00 "
                + "SRC=172.25.230.143 DST=172.25.230.141 LEN=214 TOS=0x00 PREC=0x00 TTL=128 ID=43131 PROTO=UDP SP");
        assertThat(e.getTruncated()).isTrue();
        assertThat(e.getPacket().getDst()).isEqualTo("172.25.230.141");
        assertThat(e.getPacket().getProtocolNumber()).isEqualTo(17);
        assertThat(e.getPacket().getSrcPort()).isNull();
    }

    @Test
    void ebtablesTextLogIsAClearError() {
        // Constructed from kernel-format.md §5.3 (the separate ebtables --log format).
        ParsedLine l = Parsing.parse("EBT IN=eth0 OUT= MAC source = 00:11:22:33:44:55 MAC dest = 66:77:88:99:aa:bb "
                + "proto = 0x0800 IP SRC=10.0.0.1 IP DST=10.0.0.2, IP tos=0x00, IP proto=6 SPT=1 DPT=2");
        assertThat(l.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(l.error()).isEqualTo(ParseError.UNSUPPORTED_FORMAT);
        assertThat(l.errorMessage()).contains("ebtables").contains("at byte 17");
    }

    @Test
    void malformedValueInTheMiddleIsAnErrorThatSaysWhere() {
        ParsedLine l = Parsing.parse("T: IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=4x4 TOS=0x00 PREC=0x00 TTL=64 ID=1 "
                + "PROTO=UDP SPT=1 DPT=2 LEN=24");
        assertThat(l.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(l.error()).isEqualTo(ParseError.BAD_VALUE);
        assertThat(l.errorMessage()).isEqualTo("malformed value: LEN= has a value the kernel does not write at byte 46");
    }

    @Test
    void nonNetfilterLinesAreSkipped() {
        assertThat(Parsing.parse("Nov 25 10:00:00 host sshd[123]: Accepted publickey for root").outcome())
                .isEqualTo(Outcome.SKIPPED);
        assertThat(Parsing.parse("[ 12.5] IPv4: martian source 10.0.0.1 from 10.0.0.2, on dev eth0").outcome())
                .isEqualTo(Outcome.SKIPPED);
        assertThat(Parsing.parse("").outcome()).isEqualTo(Outcome.SKIPPED);
    }
}
