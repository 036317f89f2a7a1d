package dev.dropstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.schema.ConntrackReason;
import dev.dropstream.schema.InvalidDrop;
import dev.dropstream.schema.JoinMatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The invalid-reason join, on real pairs from the corpus and on constructed orders. */
class InvalidJoinTest extends TopologyTestBase {
    private static final Instant BOOT = Instant.parse("2026-11-25T09:00:00Z");
    private static final Pattern KERNEL_TIME = Pattern.compile("^\\[\\s*(\\d+)\\.(\\d{6})\\] ");
    private static final Pattern FIRST_ID = Pattern.compile(" ID=(\\d+) ");
    private static final Pattern SRC = Pattern.compile(" SRC=(\\S+) ");
    private static final Pattern DST = Pattern.compile(" DST=(\\S+) ");
    private static final Pattern SPT = Pattern.compile(" SPT=(\\d+) ");

    @BeforeEach
    void startDriver() {
        start(settings());
    }

    /** Pipes `[ secs.usecs]` lines with record times at BOOT + the kernel's stamp, then lets the windows end. */
    private List<InvalidDrop> run(List<String> lines, String host) {
        long last = 0;
        for (String l : lines) {
            Matcher m = KERNEL_TIME.matcher(l);
            long micros = m.find() ? Long.parseLong(m.group(1)) * 1_000_000 + Long.parseLong(m.group(2)) : last;
            last = micros;
            send(host, l, BOOT.plusNanos(micros * 1000));
        }
        send(host, "[ 1.0] nothing to see", BOOT.plusNanos(last * 1000).plusSeconds(10));
        driver.advanceWallClockTime(java.time.Duration.ofSeconds(10));
        return output(topics.invalid()).readValuesToList();
    }

    @Test
    void everyReasonOfTheKernelLabJoinsTheLogRecordOfItsPacket() {
        List<String> lines = Corpus.lines("kernel-lab/conntrack-invalid.log");
        int pairs = 0;
        int lonelyReasons = 0;
        int lonelyLogs = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            boolean reason = l.contains("] nf_ct_proto_");
            String next = i + 1 < lines.size() ? lines.get(i + 1) : "";
            if (reason && next.contains("LAB-CT-INVALID") && samePacket(l, next)) {
                pairs++;
                i++;
            } else if (reason) {
                lonelyReasons++;
            } else if (l.contains("LAB-CT-INVALID")) {
                lonelyLogs++;
            }
        }
        List<InvalidDrop> out = run(lines, "labB");
        assertThat(out).filteredOn(d -> d.getMatch() == JoinMatch.MATCHED).hasSize(pairs)
                .allSatisfy(d -> {
                    assertThat(d.getPrefix()).startsWith("LAB-CT-INVALID");
                    assertThat(d.getConntrack().getPacket().getPacket().getId()).isEqualTo(d.getPacket().getPacket().getId());
                    assertThat(d.getPacket().getKernelTimeMicros() - d.getConntrack().getKernelTimeMicros())
                            .as("the LOG record right after its reason").isBetween(0L, 1000L);
                    assertThat(d.getConntrackRecords()).isEqualTo(1);
                    assertThat(d.getHost()).isEqualTo("labB");
                });
        assertThat(out).filteredOn(d -> d.getMatch() == JoinMatch.REASON_ONLY).hasSize(lonelyReasons);
        assertThat(out).filteredOn(d -> d.getMatch() == JoinMatch.PACKET_ONLY).hasSize(lonelyLogs)
                .allSatisfy(d -> assertThat(d.getReason()).isNull());
        assertThat(pairs).isGreaterThan(15);
    }

    /** Independent of the join's code: same addresses, same first IP ID and same source port where printed. */
    private static boolean samePacket(String a, String b) {
        for (Pattern p : new Pattern[] {SRC, DST, FIRST_ID, SPT}) {
            Matcher x = p.matcher(a);
            Matcher y = p.matcher(b);
            boolean hx = x.find();
            boolean hy = y.find();
            if (hx != hy || hx && !x.group(1).equals(y.group(1))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aNatedRepliesBadChecksumJoinsTheForwardedRequestOfItsFlow() {
        // conntrack-and-misc/conntrack-invalid.log: the reply's checksum is bad; the LOG lines are the requests.
        List<String> lines = Corpus.lines("conntrack-and-misc/conntrack-invalid.log").subList(0, 14);
        for (String l : lines) {
            Instant t = Instant.parse("2021-09-02T19:40:" + l.substring(18, 20) + "Z");
            send("netdev-host", l, t);
        }
        send("netdev-host", "[Thu Sep  2 19:41:30 2021] nothing", Instant.parse("2021-09-02T19:41:30Z"));
        List<InvalidDrop> out = output(topics.invalid()).readValuesToList();
        long reasons = lines.stream().filter(l -> l.contains("nf_ct_proto_17: bad checksum")).count();
        assertThat(out).hasSize((int) reasons).allSatisfy(d -> {
            assertThat(d.getMatch()).isEqualTo(JoinMatch.MATCHED);
            assertThat(d.getReason()).isEqualTo(ConntrackReason.BAD_CHECKSUM);
            assertThat(d.getPrefix()).isEqualTo("FWD: ");
            assertThat(d.getPacket().getPacket().getSrc()).isEqualTo("185.243.112.54");
            assertThat(d.getConntrack().getPacket().getPacket().getSrc()).isEqualTo("192.168.4.2");
        });
        List<Long> requestIds = new ArrayList<>();
        out.forEach(d -> requestIds.add(d.getPacket().getPacket().getId()));
        assertThat(requestIds).as("each reply joins its own request").doesNotHaveDuplicates()
                .containsExactlyInAnyOrder(1502L, 1637L, 1700L, 1859L, 1946L, 2131L);
    }

    @Test
    void loopbackGivesTwoConntrackRecordsForOnePacketAndThatIsOneReason() {
        // The records kernel-lab.md shows for SYN+FIN on loopback: output-side reason, input-side reason, LOG.
        List<String> lines = List.of(
                "[ 3150.934011] nf_ct_proto_6: invalid tcp flag combination IN= OUT=lo SRC=127.0.0.1 DST=127.0.0.1 LEN=40 "
                        + "TOS=0x00 PREC=0x00 TTL=64 ID=23649 PROTO=TCP SPT=1332 DPT=5555 SEQ=338932154 ACK=1563522356 "
                        + "WINDOW=512 RES=0x00 SYN FIN URGP=0 UID=0 GID=0 ",
                "[ 3150.934119] nf_ct_proto_6: invalid tcp flag combination IN=lo OUT= MAC=00:00:00:00:00:00:00:00:00:00:00:00:08:00 "
                        + "SRC=127.0.0.1 DST=127.0.0.1 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=23649 PROTO=TCP SPT=1332 DPT=5555 "
                        + "SEQ=338932154 ACK=1563522356 WINDOW=512 RES=0x00 SYN FIN URGP=0 ",
                "[ 3150.934140] LAB-INVALID: IN=lo OUT= MAC=00:00:00:00:00:00:00:00:00:00:00:00:08:00 SRC=127.0.0.1 "
                        + "DST=127.0.0.1 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=23649 PROTO=TCP SPT=1332 DPT=5555 WINDOW=512 "
                        + "RES=0x00 SYN FIN URGP=0 ");
        List<InvalidDrop> out = run(lines, "lab");
        assertThat(out).singleElement().satisfies(d -> {
            assertThat(d.getMatch()).isEqualTo(JoinMatch.MATCHED);
            assertThat(d.getConntrackRecords()).isEqualTo(2);
            assertThat(d.getReason()).isEqualTo(ConntrackReason.INVALID_TCP_FLAGS);
            assertThat(d.getPrefix()).isEqualTo("LAB-INVALID: ");
        });
    }

    @Test
    void eitherOrderJoinsAndTwoPacketsOfOneFlowStayApart() {
        String log1 = "[ 10.000100] FW-IN IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=100 "
                + "PROTO=TCP SPT=1000 DPT=80 WINDOW=5 RES=0x00 ACK URGP=0 ";
        String reason1 = "[ 10.000200] nf_ct_proto_6: invalid rst IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=40 TOS=0x00 "
                + "PREC=0x00 TTL=64 ID=100 PROTO=TCP SPT=1000 DPT=80 SEQ=1 ACK=2 WINDOW=5 RES=0x00 ACK URGP=0 ";
        String reason2 = "[ 10.000300] nf_ct_proto_6: invalid rst IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=40 TOS=0x00 "
                + "PREC=0x00 TTL=64 ID=101 PROTO=TCP SPT=1000 DPT=80 SEQ=9 ACK=2 WINDOW=5 RES=0x00 ACK URGP=0 ";
        String log2 = "[ 10.000400] FW-IN IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=101 "
                + "PROTO=TCP SPT=1000 DPT=80 WINDOW=5 RES=0x00 ACK URGP=0 ";
        List<InvalidDrop> out = run(List.of(log1, reason1, reason2, log2), "fw");
        assertThat(out).hasSize(2).allSatisfy(d -> {
            assertThat(d.getMatch()).isEqualTo(JoinMatch.MATCHED);
            assertThat(d.getPacket().getPacket().getId()).isEqualTo(d.getConntrack().getPacket().getPacket().getId());
        });
    }

    @Test
    void unmatchedSidesAreEmittedWhenTheirWindowEndsAndOrdinaryLogLinesAreNot() {
        String reason = "[ 20.000000] nf_ct_proto_17: bad checksum IN=eth0 OUT= SRC=10.0.0.9 DST=10.0.0.2 LEN=28 TOS=0x00 "
                + "PREC=0x00 TTL=64 ID=5 PROTO=UDP SPT=53 DPT=999 LEN=8 ";
        String invalidLog = "[ 21.000000] DROP INVALID IN=eth0 OUT= SRC=10.0.0.7 DST=10.0.0.2 LEN=40 TOS=0x00 PREC=0x00 "
                + "TTL=64 ID=6 PROTO=TCP SPT=1 DPT=2 WINDOW=5 RES=0x00 ACK URGP=0 ";
        String ordinary = "[ 21.500000] DROP IN=eth0 OUT= SRC=10.0.0.8 DST=10.0.0.2 LEN=40 TOS=0x00 PREC=0x00 "
                + "TTL=64 ID=7 PROTO=TCP SPT=1 DPT=2 WINDOW=5 RES=0x00 SYN URGP=0 ";
        send("fw", reason, BOOT.plusSeconds(20));
        send("fw", invalidLog, BOOT.plusSeconds(21));
        send("fw", ordinary, BOOT.plusMillis(21_500));
        assertThat(output(topics.invalid()).isEmpty()).as("windows still open").isTrue();
        List<InvalidDrop> out = run(List.of(), "fw");
        assertThat(out).extracting(InvalidDrop::getMatch).containsExactlyInAnyOrder(JoinMatch.REASON_ONLY, JoinMatch.PACKET_ONLY);
    }

    @Test
    void windowsEndOnWallClockTimeWhenNoMoreRecordsCome() {
        send("fw", "[ 30.000000] nf_ct_proto_17: bad checksum IN=eth0 OUT= SRC=10.0.0.9 DST=10.0.0.2 LEN=28 TOS=0x00 "
                + "PREC=0x00 TTL=64 ID=5 PROTO=UDP SPT=53 DPT=999 LEN=8 ", BOOT.plusSeconds(30));
        assertThat(output(topics.invalid()).isEmpty()).isTrue();
        driver.advanceWallClockTime(java.time.Duration.ofSeconds(6));
        assertThat(output(topics.invalid()).readValuesToList()).singleElement()
                .satisfies(d -> assertThat(d.getMatch()).isEqualTo(JoinMatch.REASON_ONLY));
    }
}
