package dev.dropstream.cli.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * {@code dropstream parse --format ecs} on real corpus lines: ECS plus the {@code iptables.*} fields of
 * Filebeat's iptables module, and our {@code dropstream.*} extension.
 */
class EcsFormatTest {
    private static final String UFW = "cs456-blueteam/ufw.log";
    private static final String CONNTRACK = "conntrack-and-misc/conntrack-invalid.log";

    private static JsonNode ecs(String file, int line) {
        return JsonFormatTest.parse(TestCorpus.line(file, line), "--format", "ecs");
    }

    @Test
    void ufwBlockOfAnIpv4TcpPacket() {
        String line = TestCorpus.line(UFW, 1254);
        JsonNode e = JsonFormatTest.parse(line, "--format", "ecs");
        assertThat(e.get("@timestamp").asText()).isEqualTo("2025-11-30T10:01:48.828270Z");
        assertThat(e.get("message").asText()).isEqualTo(line);
        assertThat(e.at("/ecs/version").asText()).isNotEmpty();
        assertThat(e.at("/event/kind").asText()).isEqualTo("event");
        assertThat(e.at("/event/category")).extracting(JsonNode::asText).containsExactly("network");
        assertThat(e.at("/event/type")).extracting(JsonNode::asText).containsExactly("denied", "connection");
        assertThat(e.at("/event/action").asText()).isEqualTo("drop");
        assertThat(e.at("/event/outcome").asText()).isEqualTo("failure");
        assertThat(e.at("/event/module").asText()).isEqualTo("iptables");
        assertThat(e.at("/event/dataset").asText()).isEqualTo("iptables.log");
        assertThat(e.at("/host/name").asText()).isEqualTo("m1");
        assertThat(e.at("/observer/name").asText()).isEqualTo("m1");
        assertThat(e.at("/observer/ingress/interface/name").asText()).isEqualTo("eth0");
        assertThat(e.has("egress")).isFalse();
        assertThat(e.at("/rule/name").asText()).isEqualTo("[UFW BLOCK]");
        assertThat(e.at("/source/ip").asText()).isEqualTo("192.168.0.114");
        assertThat(e.at("/source/port").asInt()).isEqualTo(8080);
        assertThat(e.at("/source/mac").asText()).isEqualTo("BC-24-11-70-B3-41");
        assertThat(e.at("/destination/ip").asText()).isEqualTo("192.168.0.99");
        assertThat(e.at("/destination/port").asInt()).isEqualTo(52380);
        assertThat(e.at("/destination/mac").asText()).isEqualTo("BC-24-11-DB-62-C9");
        assertThat(e.at("/network/type").asText()).isEqualTo("ipv4");
        assertThat(e.at("/network/transport").asText()).isEqualTo("tcp");
        assertThat(e.at("/network/iana_number").asText()).isEqualTo("6");
        assertThat(e.at("/network/direction").asText()).isEqualTo("ingress");
        assertThat(e.at("/network/community_id").asText()).startsWith("1:").hasSize(30);
        assertThat(e.at("/related/ip")).extracting(JsonNode::asText).containsExactly("192.168.0.114", "192.168.0.99");
        JsonNode ipt = e.get("iptables");
        assertThat(ipt.get("ether_type").asInt()).isEqualTo(2048);
        assertThat(ipt.get("input_device").asText()).isEqualTo("eth0");
        assertThat(ipt.get("output_device").asText()).isEmpty();
        assertThat(ipt.get("length").asInt()).isEqualTo(60);
        assertThat(ipt.get("id").asInt()).isZero();
        assertThat(ipt.get("tos").asInt()).isZero();
        assertThat(ipt.get("precedence_bits").asInt()).isZero();
        assertThat(ipt.get("ttl").asInt()).isEqualTo(64);
        assertThat(ipt.get("fragment_flags")).extracting(JsonNode::asText).containsExactly("DF");
        assertThat(ipt.at("/tcp/window").asInt()).isEqualTo(65160);
        assertThat(ipt.at("/tcp/reserved_bits").asInt()).isZero();
        assertThat(ipt.at("/tcp/flags")).extracting(JsonNode::asText).containsExactly("ACK", "SYN");
        assertThat(e.at("/dropstream/verdict").asText()).isEqualTo("DROP");
        assertThat(e.at("/dropstream/kernel_time_micros").asLong()).isEqualTo(4_301_883_890_102L);
    }

    @Test
    void ipv6HopLimitAndTrafficClassAreFilebeatsTtlAndTos() {
        JsonNode e = ecs("psad/ipv6_tcp_connect_nmap_default_scan.log", 2);
        assertThat(e.at("/network/type").asText()).isEqualTo("ipv6");
        assertThat(e.at("/source/ip").asText()).isEqualTo("2001:db8:0:f101::2");
        assertThat(e.at("/iptables/ttl").asInt()).isEqualTo(64);
        assertThat(e.at("/iptables/tos").asInt()).isZero();
        assertThat(e.at("/iptables/flow_label").asInt()).isZero();
        assertThat(e.at("/iptables/ether_type").asInt()).isEqualTo(0x86dd);
        assertThat(e.at("/iptables/id").isMissingNode()).isTrue();
    }

    @Test
    void icmpErrorHasTypeAndCodeAndTheQuotedPacketInTheExtension() {
        JsonNode e = ecs(UFW, 3381);
        assertThat(e.at("/event/action").asText()).isEqualTo("audit");
        assertThat(e.at("/event/type")).extracting(JsonNode::asText).containsExactly("connection");
        assertThat(e.at("/event/outcome").asText()).isEqualTo("unknown");
        assertThat(e.at("/network/transport").asText()).isEqualTo("icmp");
        assertThat(e.at("/network/direction").asText()).isEqualTo("egress");
        assertThat(e.at("/network/community_id").asText()).startsWith("1:");
        assertThat(e.at("/iptables/icmp/type").asInt()).isEqualTo(3);
        assertThat(e.at("/iptables/icmp/code").asInt()).isEqualTo(1);
        assertThat(e.at("/source/port").isMissingNode()).isTrue();
        assertThat(e.at("/related/ip")).extracting(JsonNode::asText).containsExactly("10.89.0.1");
        assertThat(e.at("/dropstream/quoted/dst").asText()).isEqualTo("192.168.0.100");
        assertThat(e.at("/dropstream/quoted/src_port").asInt()).isEqualTo(9993);
        assertThat(e.at("/dropstream/quoted/udp_length").asInt()).isEqualTo(177);
    }

    @Test
    void conntrackInvalidIsOurDatasetWithThePacketAsForAPacket() {
        JsonNode e = ecs(CONNTRACK, 4);
        assertThat(e.at("/@timestamp").asText()).isEqualTo("2021-09-02T19:40:54.000000Z");
        assertThat(e.at("/event/module").asText()).isEqualTo("dropstream");
        assertThat(e.at("/event/dataset").asText()).isEqualTo("dropstream.conntrack");
        assertThat(e.at("/event/action").asText()).isEqualTo("conntrack-invalid");
        assertThat(e.at("/event/type")).extracting(JsonNode::asText).containsExactly("error", "connection");
        assertThat(e.at("/source/ip").asText()).isEqualTo("192.168.4.2");
        assertThat(e.at("/source/port").asInt()).isEqualTo(161);
        assertThat(e.at("/destination/port").asInt()).isEqualTo(56523);
        assertThat(e.at("/network/transport").asText()).isEqualTo("udp");
        assertThat(e.at("/iptables/udp/length").asInt()).isEqualTo(61);
        assertThat(e.at("/iptables/fragment_flags")).extracting(JsonNode::asText).containsExactly("DF");
        assertThat(e.at("/dropstream/conntrack/kind").asText()).isEqualTo("INVALID");
        assertThat(e.at("/dropstream/conntrack/reason").asText()).isEqualTo("BAD_CHECKSUM");
        assertThat(e.at("/dropstream/conntrack/reason_text").asText()).isEqualTo("bad checksum");
        assertThat(e.at("/dropstream/conntrack/protocol_number").asInt()).isEqualTo(17);
        assertThat(e.at("/rule").isMissingNode()).as("a conntrack tag is not a rule").isTrue();
        assertThat(e.at("/dropstream/verdict").isMissingNode()).as("nor does it give a verdict").isTrue();
    }

    @Test
    void tableFullIsADenialWithoutEnds() {
        JsonNode e = ecs(CONNTRACK, 19);
        assertThat(e.at("/event/action").asText()).isEqualTo("conntrack-table-full");
        assertThat(e.at("/event/type")).extracting(JsonNode::asText).containsExactly("denied");
        assertThat(e.at("/event/outcome").asText()).isEqualTo("failure");
        assertThat(e.has("@timestamp")).as("a kernel stamp is no wall-clock time").isFalse();
        assertThat(e.has("source")).isFalse();
        assertThat(e.at("/dropstream/kernel_time_micros").asLong()).isEqualTo(104_235_156_774L);
        assertThat(e.at("/dropstream/conntrack/kind").asText()).isEqualTo("TABLE_FULL");
    }

    @Test
    void bothDirectionsOfAFlowShareTheCommunityId() {
        // A DNS query out (line 1) and its answer in (line 3).
        JsonNode query = ecs("iptablogs/iptables.log", 1);
        JsonNode answer = ecs("iptablogs/iptables.log", 3);
        assertThat(query.at("/source/port").asInt()).isEqualTo(answer.at("/destination/port").asInt());
        assertThat(query.at("/network/community_id").asText())
                .isEqualTo(answer.at("/network/community_id").asText())
                .isNotEmpty();
        assertThat(query.at("/rule/name").asText()).isEqualTo("[netfilter-OUTPUT]");
    }

    @Test
    void socketOwnerIsUserAndGroup() {
        JsonNode e = ecs("kernel-lab/v4-tcp.log", 1);
        assertThat(e.at("/user/id").asText()).isEqualTo("65534");
        assertThat(e.at("/group/id").asText()).isEqualTo("65534");
        assertThat(e.at("/host").isMissingNode()).as("a bare kernel line names no host").isTrue();
        assertThat(e.at("/event/action").isMissingNode()).as("no verdict, no action").isTrue();
        assertThat(e.at("/event/outcome").asText()).isEqualTo("unknown");
    }

    @Test
    void vlanAndDecodedMacs() {
        JsonNode e = ecs("kernel-lab/l2-macdecode-vlan.log", 3);
        assertThat(e.at("/network/vlan/id").asText()).isEqualTo("10");
        assertThat(e.at("/source/mac").asText()).isEqualTo("02-99-0A-00-00-01");
        assertThat(e.at("/iptables/ether_type").asInt()).isEqualTo(0x0800);
        assertThat(e.at("/iptables/icmp/id").asInt()).isEqualTo(7702);
        assertThat(e.at("/iptables/icmp/seq").asInt()).isEqualTo(1);
        assertThat(e.at("/dropstream/link/decoded").asBoolean()).isTrue();
        assertThat(e.at("/dropstream/link/vlan_proto").asInt()).isEqualTo(0x8100);
    }

    @Test
    void arpEndsAreSenderAndTarget() {
        JsonNode e = ecs("kernel-lab/arp.log", 1);
        assertThat(e.at("/network/type").asText()).isEqualTo("arp");
        assertThat(e.at("/source/ip").asText()).isEqualTo("10.99.1.1");
        assertThat(e.at("/destination/ip").asText()).isEqualTo("10.99.1.2");
        assertThat(e.at("/network/community_id").isMissingNode()).isTrue();
        assertThat(e.at("/dropstream/arp/opcode").asInt()).isEqualTo(1);
        assertThat(e.at("/dropstream/arp/sender_mac").asText()).isEqualTo("02:99:01:00:00:01");
    }
}
