package dev.dropstream.cli.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dropstream.cli.CliRun;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code dropstream parse} (default {@code --format json}) on real corpus lines: our Avro field names. */
class JsonFormatTest {
    private static final String UFW = "cs456-blueteam/ufw.log";
    private static final String CONNTRACK = "conntrack-and-misc/conntrack-invalid.log";

    /** Runs {@code dropstream parse OPTIONS} on the line as standard input; returns the one object written. */
    static JsonNode parse(String line, String... options) {
        String[] args = new String[options.length + 1];
        args[0] = "parse";
        System.arraycopy(options, 0, args, 1, options.length);
        CliRun run = CliRun.withStdin((line + "\n").getBytes(StandardCharsets.UTF_8), args);
        assertThat(run.exit()).as(run.err()).isZero();
        return run.object();
    }

    @Test
    void ufwBlockOfAnIpv4TcpPacket() {
        JsonNode e = parse(TestCorpus.line(UFW, 1254));
        assertThat(e.get("type").asText()).isEqualTo("packet");
        assertThat(e.get("host").asText()).isEqualTo("m1");
        assertThat(e.get("eventTime").asText()).isEqualTo("2025-11-30T10:01:48.828270Z");
        assertThat(e.get("kernelTimeMicros").asLong()).isEqualTo(4_301_883_890_102L);
        assertThat(e.get("envelope").asText()).isEqualTo("RFC3339");
        assertThat(e.get("prefix").asText()).isEqualTo("[UFW BLOCK] ");
        assertThat(e.get("verdict").asText()).isEqualTo("DROP");
        assertThat(e.get("inInterface").asText()).isEqualTo("eth0");
        assertThat(e.get("outInterface").asText()).isEmpty();
        assertThat(e.get("family").asText()).isEqualTo("IPV4");
        assertThat(e.get("truncated").asBoolean()).isFalse();
        JsonNode link = e.get("link");
        assertThat(link.get("sourceMac").asText()).isEqualTo("bc:24:11:70:b3:41");
        assertThat(link.get("destinationMac").asText()).isEqualTo("bc:24:11:db:62:c9");
        assertThat(link.get("etherType").asInt()).isEqualTo(0x0800);
        JsonNode p = e.get("packet");
        assertThat(p.get("version").asInt()).isEqualTo(4);
        assertThat(p.get("src").asText()).isEqualTo("192.168.0.114");
        assertThat(p.get("dst").asText()).isEqualTo("192.168.0.99");
        assertThat(p.get("length").asInt()).isEqualTo(60);
        assertThat(p.get("ttl").asInt()).isEqualTo(64);
        assertThat(p.get("id").asLong()).isZero();
        assertThat(p.get("df").asBoolean()).isTrue();
        assertThat(p.get("protocol").asText()).isEqualTo("TCP");
        assertThat(p.get("protocolNumber").asInt()).isEqualTo(6);
        assertThat(p.get("srcPort").asInt()).isEqualTo(8080);
        assertThat(p.get("dstPort").asInt()).isEqualTo(52380);
        assertThat(p.get("tcpWindow").asInt()).isEqualTo(65160);
        assertThat(p.get("tcpFlags")).extracting(JsonNode::asText).containsExactly("ACK", "SYN");
        assertThat(p.has("icmpType")).as("nulls are left out").isFalse();
        assertThat(e.has("quoted")).isFalse();
    }

    @Test
    void ipv6AddressesAreCompressed() {
        JsonNode e = parse(TestCorpus.line("psad/ipv6_tcp_connect_nmap_default_scan.log", 2));
        assertThat(e.get("host").asText()).isEqualTo("linux");
        assertThat(e.get("envelope").asText()).isEqualTo("RFC3164");
        // RFC 3164 has no year: it is inferred from today, so only the rest is fixed.
        assertThat(e.get("eventTime").asText()).endsWith("-03-17T13:39:13.000000Z");
        assertThat(e.get("verdict").asText()).isEqualTo("DROP");
        assertThat(e.get("family").asText()).isEqualTo("IPV6");
        JsonNode p = e.get("packet");
        assertThat(p.get("version").asInt()).isEqualTo(6);
        assertThat(p.get("src").asText()).isEqualTo("2001:db8:0:f101::2");
        assertThat(p.get("dst").asText()).isEqualTo("2001:db8:0:f101::1");
        assertThat(p.get("hopLimit").asInt()).isEqualTo(64);
        assertThat(p.get("trafficClass").asInt()).isZero();
        assertThat(p.get("flowLabel").asInt()).isZero();
        assertThat(p.get("dstPort").asInt()).isEqualTo(80);
        assertThat(p.has("ttl")).isFalse();
    }

    @Test
    void icmpErrorKeepsTheQuotedPacketApart() {
        JsonNode e = parse(TestCorpus.line(UFW, 3381));
        assertThat(e.get("verdict").asText()).isEqualTo("AUDIT");
        JsonNode p = e.get("packet");
        assertThat(p.get("protocol").asText()).isEqualTo("ICMP");
        assertThat(p.get("icmpType").asInt()).isEqualTo(3);
        assertThat(p.get("icmpCode").asInt()).isEqualTo(1);
        assertThat(p.get("id").asLong()).isEqualTo(24498);
        assertThat(p.get("precedence").asInt()).isEqualTo(0xC0);
        assertThat(p.has("srcPort")).isFalse();
        JsonNode q = e.get("quoted");
        assertThat(q.get("src").asText()).isEqualTo("10.89.0.1");
        assertThat(q.get("dst").asText()).isEqualTo("192.168.0.100");
        assertThat(q.get("id").asLong()).isEqualTo(21940);
        assertThat(q.get("protocol").asText()).isEqualTo("UDP");
        assertThat(q.get("srcPort").asInt()).isEqualTo(9993);
        assertThat(q.get("dstPort").asInt()).isEqualTo(47042);
        assertThat(q.get("udpLength").asInt()).isEqualTo(177);
    }

    @Test
    void conntrackInvalidCarriesItsPacket() {
        JsonNode c = parse(TestCorpus.line(CONNTRACK, 4));
        assertThat(c.get("type").asText()).isEqualTo("conntrack");
        assertThat(c.get("kind").asText()).isEqualTo("INVALID");
        assertThat(c.get("reason").asText()).isEqualTo("BAD_CHECKSUM");
        assertThat(c.get("reasonText").asText()).isEqualTo("bad checksum");
        assertThat(c.get("protocolNumber").asInt()).isEqualTo(17);
        assertThat(c.get("envelope").asText()).isEqualTo("DMESG_T");
        assertThat(c.get("eventTime").asText()).isEqualTo("2021-09-02T19:40:54.000000Z");
        JsonNode p = c.get("packet").get("packet");
        assertThat(p.get("src").asText()).isEqualTo("192.168.4.2");
        assertThat(p.get("dst").asText()).isEqualTo("185.243.112.54");
        assertThat(p.get("srcPort").asInt()).isEqualTo(161);
        assertThat(p.get("dstPort").asInt()).isEqualTo(56523);
    }

    @Test
    void zoneAppliesToStampsWithoutOne() {
        JsonNode c = parse(TestCorpus.line(CONNTRACK, 4), "--zone", "Europe/Berlin");
        assertThat(c.get("eventTime").asText()).isEqualTo("2021-09-02T17:40:54.000000Z");
    }

    @Test
    void tableFullHasNoPacket() {
        JsonNode c = parse(TestCorpus.line(CONNTRACK, 19));
        assertThat(c.get("kind").asText()).isEqualTo("TABLE_FULL");
        assertThat(c.get("kernelTimeMicros").asLong()).isEqualTo(104_235_156_774L);
        assertThat(c.has("packet")).isFalse();
        assertThat(c.has("host")).isFalse();
    }

    @Test
    void hostFillsInWhereTheEnvelopeNamesNone() {
        assertThat(parse(TestCorpus.line(CONNTRACK, 19), "--host", "fw1").get("host").asText()).isEqualTo("fw1");
        assertThat(parse(TestCorpus.line(UFW, 1254), "--host", "fw1").get("host").asText()).isEqualTo("m1");
    }

    @Test
    void verdictRulesComeBeforeThePresets() {
        String line = TestCorpus.line(UFW, 1254);
        assertThat(parse(line, "--verdict-rule", "contains:UFW=ACCEPT").get("verdict").asText()).isEqualTo("ACCEPT");
        assertThat(parse(line, "--no-verdict-presets").get("verdict").asText()).isEqualTo("UNKNOWN");
        assertThat(parse(line, "--verdict-presets", "words").get("verdict").asText()).isEqualTo("DROP");
        assertThat(parse(line, "--verdict-presets", "suse,firewalld").get("verdict").asText()).isEqualTo("UNKNOWN");
    }
}
