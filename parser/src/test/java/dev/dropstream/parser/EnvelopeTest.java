package dev.dropstream.parser;

import static dev.dropstream.parser.Parsing.packet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.schema.EnvelopeFormat;
import dev.dropstream.schema.PacketEvent;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Every envelope of kernel-format.md §7.1 around the same record. */
class EnvelopeTest {
    private static final String RECORD = "[UFW BLOCK] IN=eth0 OUT= MAC=00:15:5d:e6:a2:01:2a:a3:c6:42:b1:90:08:00 "
            + "SRC=172.25.230.143 DST=172.25.230.141 LEN=214 TOS=0x00 PREC=0x00 TTL=128 ID=43131 PROTO=UDP SPT=53540 "
            + "DPT=1514 LEN=194 ";

    @Test
    void rfc3164WithKernelTime() {
        PacketEvent e = packet("May  8 11:59:28 wazuh kernel: [7435195.965031] " + RECORD);
        assertThat(e.getEnvelope()).isEqualTo(EnvelopeFormat.RFC3164);
        assertThat(e.getHost()).isEqualTo("wazuh");
        assertThat(e.getEventTime()).isEqualTo(Instant.parse("2026-05-08T11:59:28Z"));
        assertThat(e.getKernelTimeMicros()).isEqualTo(7_435_195_965_031L);
        assertThat(e.getPrefix()).isEqualTo("[UFW BLOCK] ");
    }

    @Test
    void yearlessStampsAreNeverLaterThanTheReference() {
        // Reference: 2026-11-25T12:00Z. December belongs to last year; today's earlier hour to this one.
        assertThat(packet("Dec 31 23:59:59 h kernel: " + RECORD).getEventTime())
                .isEqualTo(Instant.parse("2025-12-31T23:59:59Z"));
        assertThat(packet("Nov 25 11:00:00 h kernel: " + RECORD).getEventTime())
                .isEqualTo(Instant.parse("2026-11-25T11:00:00Z"));
        assertThat(packet("Nov 25 13:00:00 h kernel: " + RECORD).getEventTime())
                .isEqualTo(Instant.parse("2025-11-25T13:00:00Z"));
        ParserConfig january = Parsing.config()
                .withReferenceTime(() -> Instant.parse("2027-01-02T00:00:00Z").getEpochSecond() * 1_000_000L);
        ParsedLine l = new ParsedLine();
        new LineParser(january).parse("Dec 30 10:00:00 h kernel: " + RECORD, l);
        assertThat(new EventMapper().packetEvent(l, null).getEventTime()).isEqualTo(Instant.parse("2026-12-30T10:00:00Z"));
    }

    @Test
    void zonelessStampsAreReadInTheConfiguredZone() {
        ParserConfig berlin = Parsing.config().withZone(ZoneId.of("Europe/Berlin"));
        ParsedLine l = new ParsedLine();
        new LineParser(berlin).parse("Jul  1 12:00:00 h kernel: " + RECORD, l);
        assertThat(new EventMapper().packetEvent(l, null).getEventTime()).isEqualTo(Instant.parse("2026-07-01T10:00:00Z"));
        new LineParser(berlin).parse("Jan  1 12:00:00 h kernel: " + RECORD, l);
        assertThat(new EventMapper().packetEvent(l, null).getEventTime()).isEqualTo(Instant.parse("2026-01-01T11:00:00Z"));
    }

    @Test
    void rfc3339WithOffsetAndWithZ() {
        PacketEvent e = packet("2025-11-30T00:00:20.570472-07:00 m1 kernel: [4290995.710144] " + RECORD);
        assertThat(e.getEnvelope()).isEqualTo(EnvelopeFormat.RFC3339);
        assertThat(e.getEventTime()).isEqualTo(Instant.parse("2025-11-30T07:00:20.570472Z"));
        assertThat(e.getHost()).isEqualTo("m1");
        assertThat(packet("2021-03-02T18:40:09.984Z pve-bkp kernel: " + RECORD).getEventTime())
                .isEqualTo(Instant.parse("2021-03-02T18:40:09.984Z"));
    }

    @Test
    void rfc5424() {
        // Constructed: the corpus has no RFC 5424 line from a real kernel.
        PacketEvent e = packet("<4>1 2026-11-20T08:15:30.123456+01:00 fw-3 kernel - - - " + RECORD);
        assertThat(e.getEnvelope()).isEqualTo(EnvelopeFormat.RFC5424);
        assertThat(e.getHost()).isEqualTo("fw-3");
        assertThat(e.getEventTime()).isEqualTo(Instant.parse("2026-11-20T07:15:30.123456Z"));
        PacketEvent sd = packet("<4>1 2026-11-20T08:15:30Z fw-3 kernel - - [meta x=\"a]b\" y=\"c\\\"d\"] [ 12.000001] " + RECORD);
        assertThat(sd.getKernelTimeMicros()).isEqualTo(12_000_001L);
        assertThat(sd.getPrefix()).isEqualTo("[UFW BLOCK] ");
    }

    @Test
    void dmesgTAndKernelTimeAndKmsg() {
        PacketEvent t = packet("[Thu Sep  2 19:40:54 2021] " + RECORD);
        assertThat(t.getEnvelope()).isEqualTo(EnvelopeFormat.DMESG_T);
        assertThat(t.getEventTime()).isEqualTo(Instant.parse("2021-09-02T19:40:54Z"));
        PacketEvent k = packet("[  167.006433] " + RECORD);
        assertThat(k.getEnvelope()).isEqualTo(EnvelopeFormat.KERNEL_TIME);
        assertThat(k.getKernelTimeMicros()).isEqualTo(167_006_433L);
        assertThat(k.getEventTime()).isNull();
        PacketEvent m = packet("4,2834,4466599649,-;" + RECORD);
        assertThat(m.getEnvelope()).isEqualTo(EnvelopeFormat.KMSG);
        assertThat(m.getKernelTimeMicros()).isEqualTo(4_466_599_649L);
    }

    @Test
    void unifiFacilityLevelGluedTagAndBareKernelTag() {
        assertThat(packet("May  5 20:46:45 My-Office-Gateway user.info kernel: " + RECORD).getHost())
                .isEqualTo("My-Office-Gateway");
        assertThat(packet("Aug 17 10:03:37 myhostname kernel:" + RECORD).getPrefix()).isEqualTo("[UFW BLOCK] ");
        assertThat(packet("kernel: [ 9271.326139] " + RECORD).getKernelTimeMicros()).isEqualTo(9_271_326_139L);
        assertThat(packet(RECORD).getEnvelope()).isEqualTo(EnvelopeFormat.BARE);
    }

    @Test
    void grepFileLabelInFrontOfTheEnvelope() {
        // psad/ipv6_ms_sql_server_sig_match.log holds a line as `grep -H` printed it.
        PacketEvent e = packet("ipv6_tcp_connect_nmap_default_scan:Mar 17 13:39:13 linux kernel: [956932.522957] " + RECORD);
        assertThat(e.getHost()).isEqualTo("linux");
        assertThat(e.getPrefix()).isEqualTo("[UFW BLOCK] ");
    }

    @Test
    void journaldJson() {
        // Constructed in the shape of `journalctl -k -o json`.
        String json = "{\"__CURSOR\":\"s=1;i=2\",\"__REALTIME_TIMESTAMP\":\"1764000000123456\",\"_HOSTNAME\":\"web-7\","
                + "\"_TRANSPORT\":\"kernel\",\"_SOURCE_MONOTONIC_TIMESTAMP\":\"4466599649\",\"PRIORITY\":\"4\","
                + "\"MESSAGE\":\"" + RECORD.replace("[UFW BLOCK]", "[UFW \\\"BLOCK\\\"]") + "\"}";
        PacketEvent e = packet(json);
        assertThat(e.getEnvelope()).isEqualTo(EnvelopeFormat.JOURNAL_JSON);
        assertThat(e.getHost()).isEqualTo("web-7");
        assertThat(e.getEventTime()).isEqualTo(Instant.ofEpochSecond(1_764_000_000L, 123_456_000L));
        assertThat(e.getKernelTimeMicros()).isEqualTo(4_466_599_649L);
        assertThat(e.getPrefix()).isEqualTo("[UFW \"BLOCK\"] ");
        assertThat(e.getPacket().getDstPort()).isEqualTo(1514);
    }

    @Test
    void journaldMessageAsByteArrayWhenNotUtf8() {
        StringBuilder bytes = new StringBuilder();
        byte[] raw = ("\u00ff" + RECORD).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (byte b : raw) {
            bytes.append(bytes.length() == 0 ? "" : ",").append(b & 0xff);
        }
        PacketEvent e = packet("{\"_HOSTNAME\":\"h\",\"MESSAGE\":[" + bytes + "]}");
        assertThat(e.getPrefix()).isEqualTo("\ufffd[UFW BLOCK] ");
        assertThat(e.getPacket().getSrcPort()).isEqualTo(53540);
    }

    @Test
    void shipperJsonWithHostObject() {
        // Constructed in the shape Filebeat writes ({"host":{"name":...},"message":...}).
        PacketEvent e = packet("{\"@timestamp\":\"2026-11-25T10:00:00Z\",\"host\":{\"name\":\"edge-1\"},"
                + "\"message\":\"Nov 25 09:59:59 edge-1b kernel: " + RECORD + "\"}");
        assertThat(e.getHost()).isEqualTo("edge-1");
        assertThat(e.getEventTime()).isEqualTo(Instant.parse("2026-11-25T09:59:59Z"));
    }

    @Test
    void malformedJsonIsAnEnvelopeError() {
        ParsedLine l = Parsing.parse("{\"MESSAGE\":\"IN=eth0 OUT= ");
        assertThat(l.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(l.error()).isEqualTo(ParseError.BAD_ENVELOPE);
        assertThat(l.errorMessage()).contains("unterminated string");
    }
}
