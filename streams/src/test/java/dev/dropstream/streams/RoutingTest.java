package dev.dropstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.schema.ConntrackEvent;
import dev.dropstream.schema.ConntrackEventKind;
import dev.dropstream.schema.ConntrackReason;
import dev.dropstream.schema.DeadLetter;
import dev.dropstream.schema.PacketEvent;
import dev.dropstream.schema.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.Metric;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every routing outcome of a raw line. */
class RoutingTest extends TopologyTestBase {
    static final String UFW = "Dec 26 09:05:47 server01 kernel: [126140.629122] [UFW BLOCK] IN=eth0 OUT= "
            + "MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC=203.0.113.9 DST=192.0.2.10 LEN=52 TOS=0x02 "
            + "PREC=0x00 TTL=128 ID=9209 DF PROTO=TCP SPT=17833 DPT=22 WINDOW=8192 RES=0x00 CWR ECE SYN URGP=0";
    static final String CONNTRACK = "Nov 25 10:00:00 fw1 kernel: [ 4503.2] nf_ct_proto_6: invalid tcp flag combination "
            + "IN= OUT=lo SRC=127.0.0.1 DST=127.0.0.1 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=23649 PROTO=TCP SPT=1332 "
            + "DPT=5555 SEQ=338932154 ACK=1563522356 WINDOW=512 RES=0x00 SYN FIN URGP=0 UID=0 GID=0 ";

    @BeforeEach
    void startDriver() {
        start(settings());
    }

    @Test
    void packetLinesGoToPacketsKeyedByTheirHostAtTheirEventTime() {
        send("server01", UFW, Instant.parse("2026-11-25T11:00:00Z"));
        List<TestRecord<String, PacketEvent>> out = output(topics.packets()).readRecordsToList();
        assertThat(out).hasSize(1);
        TestRecord<String, PacketEvent> r = out.get(0);
        assertThat(r.key()).isEqualTo("server01");
        assertThat(r.getRecordTime()).isEqualTo(Instant.parse("2025-12-26T09:05:47Z"));
        assertThat(r.value().getVerdict()).isEqualTo(Verdict.DROP);
        assertThat(r.value().getPacket().getDstPort()).isEqualTo(22);
        assertThat(output(topics.conntrack()).isEmpty()).isTrue();
        assertThat(output(topics.deadLetter()).isEmpty()).isTrue();
    }

    @Test
    void conntrackLinesGoToConntrack() {
        send("fw1", CONNTRACK, Instant.parse("2026-11-25T11:00:00Z"));
        send("fw1", "Nov 25 10:00:01 fw1 kernel: nf_conntrack: nf_conntrack: table full, dropping packet",
                Instant.parse("2026-11-25T11:00:00Z"));
        List<KeyValue<String, ConntrackEvent>> out = output(topics.conntrack()).readKeyValuesToList();
        assertThat(out).extracting(kv -> kv.key).containsExactly("fw1", "fw1");
        assertThat(out.get(0).value.getReason()).isEqualTo(ConntrackReason.INVALID_TCP_FLAGS);
        assertThat(out.get(0).value.getPacket().getPacket().getId()).isEqualTo(23649L);
        assertThat(out.get(1).value.getKind()).isEqualTo(ConntrackEventKind.TABLE_FULL);
        assertThat(output(topics.packets()).isEmpty()).isTrue();
    }

    @Test
    void unparseableNetfilterLinesBecomeDeadLettersWithTheirBytesAndCoordinates() {
        String bad = "Nov 25 10:00:00 fw1 kernel: DROP IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=4x4 TOS=0x00 "
                + "PREC=0x00 TTL=64 ID=1 PROTO=UDP SPT=1 DPT=2 LEN=24";
        send("fw1", UFW, Instant.parse("2026-11-25T11:00:00Z"));
        send("fw1", bad, Instant.parse("2026-11-25T11:00:01Z"));
        List<KeyValue<String, DeadLetter>> out = output(topics.deadLetter()).readKeyValuesToList();
        assertThat(out).hasSize(1);
        DeadLetter d = out.get(0).value;
        assertThat(out.get(0).key).isEqualTo("fw1");
        assertThat(StandardCharsets.UTF_8.decode(d.getOriginal()).toString()).isEqualTo(bad);
        assertThat(d.getTopic()).isEqualTo("netlog.raw");
        assertThat(d.getPartition()).isZero();
        assertThat(d.getOffset()).isEqualTo(1L);
        assertThat(d.getErrorClass()).isEqualTo("BAD_VALUE");
        assertThat(d.getErrorMessage()).contains("LEN=").contains("at byte");
        assertThat(d.getErrorPosition()).as("where LEN='s value starts").isEqualTo(76);
        assertThat(d.getRecordTime()).isEqualTo(Instant.parse("2026-11-25T11:00:01Z"));
    }

    @Test
    void splitRecordFragmentsAndBinaryGarbageAreDeadLettersOrSkipsNeverFailures() {
        send("gw", "May  5 20:46:45 gw user.info kernel: TTL=126 ID=15317 DF PROTO=TCP SPT=59344 DPT=443 "
                + "WINDOW=8212 RES=0x00 ACK PSH URGP=0", Instant.parse("2026-11-25T11:00:00Z"));
        raw.pipeInput("gw", new byte[] {0, (byte) 0xff, 'I', 'N', '=', 0, (byte) 0xc3}, Instant.parse("2026-11-25T11:00:00Z"));
        raw.pipeInput("gw", (byte[]) null, Instant.parse("2026-11-25T11:00:00Z"));
        assertThat(output(topics.deadLetter()).readValuesToList()).extracting(DeadLetter::getErrorClass)
                .containsExactly("RECORD_FRAGMENT");
        assertThat(output(topics.packets()).readValuesToList()).hasSize(1)
                .allSatisfy(p -> assertThat(p.getTruncated()).isTrue());
    }

    @Test
    void nonNetfilterLinesAreCountedAndDropped() {
        send("web-7", "Nov 25 10:00:00 web-7 sshd[123]: Accepted publickey for root", Instant.parse("2026-11-25T11:00:00Z"));
        assertThat(output(topics.packets()).isEmpty()).isTrue();
        assertThat(output(topics.deadLetter()).isEmpty()).isTrue();
        assertThat(metric("lines-skipped-total")).isEqualTo(1.0);
        assertThat(metric("lines-parsed-total")).isZero();
    }

    @Test
    void linesKeyedByAnotherNameAreReKeyedByTheirOriginHost() {
        send(null, UFW, Instant.parse("2026-11-25T11:00:00Z"));
        send("relay-3", UFW.replace("server01", "server02"), Instant.parse("2026-11-25T11:00:00Z"));
        send("key-host", UFW.replaceFirst("^.*kernel: \\[[^]]*\\] ", ""), Instant.parse("2026-11-25T11:00:00Z"));
        assertThat(output(topics.packets()).readKeyValuesToList()).extracting(kv -> kv.key)
                .containsExactlyInAnyOrder("server01", "server02", "key-host");
    }

    @Test
    void shipperJsonEnvelopesCarryTheirHost() {
        String vector = "{\"host\":\"edge-1\",\"message\":\"" + UFW.replaceFirst("^.*kernel: \\[[^]]*\\] ", "") + "\"}";
        String filebeat = "{\"host\":{\"name\":\"edge-2\"},\"message\":\"" + UFW + "\"}";
        send(null, vector, Instant.parse("2026-11-25T11:00:00Z"));
        send("edge-2", filebeat, Instant.parse("2026-11-25T11:00:00Z"));
        assertThat(output(topics.packets()).readKeyValuesToList()).extracting(kv -> kv.key)
                .containsExactlyInAnyOrder("edge-1", "edge-2");
    }

    @Test
    void eachOtherShippersDefaultFormatReachesTheTopology() {
        String record = UFW.replaceFirst("^.*kernel: \\[[^]]*\\] ", "");
        String line = "Dec 26 09:05:47 fw-syslog kernel: " + record;
        // Vector's kafka sink (encoding json): the syslog/journald source's fields.
        send(null, "{\"host\":\"vec-1\",\"message\":\"" + record + "\",\"source_type\":\"journald\","
                + "\"timestamp\":\"2026-11-25T10:00:00Z\"}", Instant.parse("2026-11-25T11:00:00Z"));
        // Filebeat's output.kafka (codec json): ECS host.name, the line in message.
        send(null, "{\"@timestamp\":\"2026-11-25T10:00:00.000Z\",\"host\":{\"name\":\"fb-1\"},\"message\":\""
                + line + "\",\"input\":{\"type\":\"filestream\"}}", Instant.parse("2026-11-25T11:00:00Z"));
        // Fluent Bit's kafka output (format json) from the tail input: the line under "log".
        send(null, "{\"@timestamp\":1764064800.0,\"log\":\"" + line.replace("fw-syslog", "fluent-1") + "\"}",
                Instant.parse("2026-11-25T11:00:00Z"));
        // rsyslog omkafka with a JSON template: msg and hostname.
        send(null, "{\"timestamp\":\"2026-11-25T10:00:00+00:00\",\"hostname\":\"rs-1\",\"programname\":\"kernel\","
                + "\"msg\":\" " + record + "\"}", Instant.parse("2026-11-25T11:00:00Z"));
        // rsyslog omkafka with its default template: the plain syslog line.
        send("rs-2", line.replace("fw-syslog", "rs-2"), Instant.parse("2026-11-25T11:00:00Z"));
        List<KeyValue<String, PacketEvent>> out = output(topics.packets()).readKeyValuesToList();
        assertThat(out).extracting(kv -> kv.key).containsExactlyInAnyOrder("vec-1", "fb-1", "fluent-1", "rs-1", "rs-2");
        assertThat(out).allSatisfy(kv -> assertThat(kv.value.getPrefix()).isEqualTo("[UFW BLOCK] "));
        assertThat(output(topics.deadLetter()).isEmpty()).isTrue();
    }

    @Test
    void aLineStampedInTheFutureIsProcessedWhenKafkaGotItAndKeepsItsOwnTime() {
        Instant received = Instant.parse("2026-11-25T11:00:00Z");
        send("fw9", "2099-01-01T00:00:00Z fw9 kernel: " + UFW.replaceFirst("^.*kernel: \\[[^]]*\\] ", ""), received);
        TestRecord<String, PacketEvent> r = output(topics.packets()).readRecord();
        assertThat(r.getRecordTime()).isEqualTo(received);
        assertThat(r.value().getEventTime()).isEqualTo(Instant.parse("2099-01-01T00:00:00Z"));
        assertThat(metric("lines-from-the-future-total")).isEqualTo(1.0);
    }

    private double metric(String name) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().group().equals("stream-dropstream-metrics"))
                .map(e -> ((Metric) e.getValue()).metricValue()).mapToDouble(v -> ((Number) v).doubleValue()).sum();
    }
}
