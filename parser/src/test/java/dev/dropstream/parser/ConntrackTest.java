package dev.dropstream.parser;

import static dev.dropstream.parser.Parsing.conntrack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.schema.ConntrackEvent;
import dev.dropstream.schema.ConntrackEventKind;
import dev.dropstream.schema.ConntrackReason;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Conntrack diagnostics of all three kernel eras, table full, and rate-limit suppression counts. */
class ConntrackTest {
    private static final String PACKET = " IN=eth0 OUT= MAC=00:00:00:00:00:00:00:00:00:00:00:00:08:00 SRC=10.0.0.1 "
            + "DST=10.0.0.2 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=7 PROTO=TCP SPT=1 DPT=2 SEQ=3 ACK=4 WINDOW=5 "
            + "RES=0x00 ACK URGP=0 ";

    /** Every reason wording of kernel-format.md §6.2; lines constructed from the reason and one packet. */
    static Stream<Arguments> reasons() {
        return Stream.of(
                // 6.x
                Arguments.of("nf_ct_proto_6: truncated packet", ConntrackReason.TRUNCATED_PACKET),
                Arguments.of("nf_ct_proto_6: bad checksum", ConntrackReason.BAD_CHECKSUM),
                Arguments.of("nf_ct_proto_6: invalid tcp flag combination", ConntrackReason.INVALID_TCP_FLAGS),
                Arguments.of("nf_ct_proto_6: invalid new", ConntrackReason.INVALID_NEW),
                Arguments.of("nf_ct_proto_6: 61 bytes more than expected", ConntrackReason.BYTES_MORE_THAN_EXPECTED),
                Arguments.of("nf_ct_proto_6: SEQ is over upper bound 2345 (over the window of the receiver)",
                        ConntrackReason.SEQ_OVER_UPPER_BOUND),
                Arguments.of("nf_ct_proto_6: ACK is over upper bound 39803 (ACKed data not seen yet)",
                        ConntrackReason.ACK_OVER_UPPER_BOUND),
                Arguments.of("nf_ct_proto_6: SEQ is under lower bound 12 (already ACKed data retransmitted)",
                        ConntrackReason.SEQ_UNDER_LOWER_BOUND),
                Arguments.of("nf_ct_proto_6: ignored ACK under lower bound 99 (possible overly delayed)",
                        ConntrackReason.ACK_UNDER_LOWER_BOUND),
                Arguments.of("nf_ct_proto_6: packet (index 0) in dir 0 ignored, state ESTABLISHED",
                        ConntrackReason.PACKET_IGNORED),
                Arguments.of("nf_ct_proto_6: packet (index 0) in dir 1 invalid, state ESTABLISHED",
                        ConntrackReason.INVALID_STATE),
                Arguments.of("nf_ct_proto_6: challenge-ack ignored", ConntrackReason.CHALLENGE_ACK_IGNORED),
                Arguments.of("nf_ct_proto_6: invalid rst", ConntrackReason.INVALID_RST),
                Arguments.of("nf_ct_proto_6: packet (index 2, dir 1) response for index 3 lower timeout to 120",
                        ConntrackReason.RESPONSE_LOWER_TIMEOUT),
                Arguments.of("nf_ct_proto_17: short packet", ConntrackReason.SHORT_PACKET),
                Arguments.of("nf_ct_proto_17: truncated/malformed packet", ConntrackReason.MALFORMED_PACKET),
                Arguments.of("nf_ct_proto_136: invalid checksum coverage", ConntrackReason.INVALID_CHECKSUM_COVERAGE),
                Arguments.of("nf_ct_proto_136: checksum missing", ConntrackReason.CHECKSUM_MISSING),
                Arguments.of("nf_ct_proto_1: bad hw icmp checksum", ConntrackReason.BAD_CHECKSUM),
                Arguments.of("nf_ct_proto_1: invalid icmp type", ConntrackReason.INVALID_ICMP_TYPE),
                Arguments.of("nf_ct_proto_1: outer daddr 10.0.0.9 != inner 10.0.0.2",
                        ConntrackReason.OUTER_INNER_DADDR_MISMATCH),
                Arguments.of("nf_ct_proto_58: ICMPv6 checksum failed", ConntrackReason.BAD_CHECKSUM),
                Arguments.of("nf_ct_proto_58: short redirect", ConntrackReason.SHORT_REDIRECT),
                Arguments.of("nf_ct_proto_58: invalid saddr or hoplimit for redirect", ConntrackReason.INVALID_REDIRECT),
                Arguments.of("nf_ct_proto_58: redirect without options", ConntrackReason.REDIRECT_WITHOUT_OPTIONS),
                Arguments.of("nf_ct_proto_132: nf_ct_sctp: bad CRC", ConntrackReason.BAD_CHECKSUM),
                // 5.x
                Arguments.of("nf_ct_proto_6: SEQ is over the upper bound (over the window of the receiver)",
                        ConntrackReason.SEQ_OVER_UPPER_BOUND),
                Arguments.of("nf_ct_proto_6: SEQ is under the lower bound (already ACKed data retransmitted)",
                        ConntrackReason.SEQ_UNDER_LOWER_BOUND),
                Arguments.of("nf_ct_proto_6: ACK is over the upper bound (ACKed data not seen yet)",
                        ConntrackReason.ACK_OVER_UPPER_BOUND),
                Arguments.of("nf_ct_proto_6: ACK is under the lower bound (possible overly delayed ACK)",
                        ConntrackReason.ACK_UNDER_LOWER_BOUND),
                Arguments.of("nf_ct_proto_6: invalid packet ignored in state SYN_RECV ", ConntrackReason.PACKET_IGNORED),
                Arguments.of("nf_ct_proto_6: invalid state", ConntrackReason.INVALID_STATE),
                // before 4.15
                Arguments.of("nf_ct_tcp: invalid packet ignored in state CLOSE ", ConntrackReason.PACKET_IGNORED),
                Arguments.of("nf_ct_tcp: invalid state ", ConntrackReason.INVALID_STATE),
                Arguments.of("nf_ct_tcp: killing out of sync session ", ConntrackReason.OUT_OF_SYNC_SESSION),
                Arguments.of("nf_ct_tcp: invalid packed ignored ", ConntrackReason.PACKET_IGNORED),
                Arguments.of("nf_ct_tcp: bad TCP checksum ", ConntrackReason.BAD_CHECKSUM),
                Arguments.of("nf_ct_udp: bad UDP checksum ", ConntrackReason.BAD_CHECKSUM),
                Arguments.of("nf_ct_icmp: bad HW ICMP checksum ", ConntrackReason.BAD_CHECKSUM),
                Arguments.of("nf_ct_icmpv6: ICMPv6 checksum failed ", ConntrackReason.BAD_CHECKSUM),
                Arguments.of("nf_ct_proto_47: something a newer kernel says", ConntrackReason.OTHER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reasons")
    void everyReasonWordingIsClassified(String tagAndReason, ConntrackReason expected) {
        // The kernel puts one space after the reason; a reason that ends in a space gives two.
        ConntrackEvent c = conntrack(tagAndReason + PACKET);
        assertThat(c.getKind()).isEqualTo(ConntrackEventKind.INVALID);
        assertThat(c.getReason()).isEqualTo(expected);
        assertThat(c.getPacket()).isNotNull();
        assertThat(c.getPacket().getPacket().getId()).isEqualTo(7L);
        assertThat(c.getReasonText()).doesNotStartWith("nf_ct").doesNotEndWith(" ");
    }

    @Test
    void valuesInTheWordingAreRead() {
        ConntrackEvent ignored = conntrack("nf_ct_proto_6: packet (index 4) in dir 1 ignored, state LAST_ACK" + PACKET);
        assertThat(ignored.getProtocolNumber()).isEqualTo(6);
        assertThat(ignored.getPacketIndex()).isEqualTo(4);
        assertThat(ignored.getDirection()).isEqualTo(1);
        assertThat(ignored.getTcpState()).isEqualTo("LAST_ACK");
        ConntrackEvent bound = conntrack("nf_ct_proto_6: ACK is over upper bound 39803 (ACKed data not seen yet)" + PACKET);
        assertThat(bound.getBound()).isEqualTo(39803L);
        ConntrackEvent bytes = conntrack("nf_ct_proto_6: 61 bytes more than expected" + PACKET);
        assertThat(bytes.getExcessBytes()).isEqualTo(61L);
        ConntrackEvent timeout = conntrack(
                "nf_ct_proto_6: packet (index 2, dir 1) response for index 3 lower timeout to 120" + PACKET);
        assertThat(timeout.getPacketIndex()).isEqualTo(2);
        assertThat(timeout.getDirection()).isEqualTo(1);
        assertThat(timeout.getResponseIndex()).isEqualTo(3);
        assertThat(timeout.getBound()).isEqualTo(120L);
        ConntrackEvent oldState = conntrack("nf_ct_tcp: invalid packet ignored in state SYN_RECV " + PACKET);
        assertThat(oldState.getProtocolNumber()).isEqualTo(6);
        assertThat(oldState.getTcpState()).isEqualTo("SYN_RECV");
        assertThat(oldState.getReasonText()).isEqualTo("invalid packet ignored in state SYN_RECV");
        ConntrackEvent daddr = conntrack("nf_ct_proto_58: outer daddr fd99:0001:0000:0000:0000:0000:0000:0002 != inner "
                + "fd99:0001:0000:0000:0000:0000:0000:0009" + PACKET);
        assertThat(daddr.getOuterAddress()).isEqualTo("fd99:1::2");
        assertThat(daddr.getInnerAddress()).isEqualTo("fd99:1::9");
    }

    @Test
    void realFiveTenLineWithEmptyInterfaces() {
        // conntrack-and-misc/conntrack-invalid.log:4
        ConntrackEvent c = conntrack("[Thu Sep  2 19:40:54 2021] nf_ct_proto_17: bad checksum IN= OUT= "
                + "SRC=192.168.4.2 DST=185.243.112.54 LEN=82 TOS=0x00 PREC=0x00 TTL=64 ID=0 DF PROTO=UDP SPT=161 "
                + "DPT=56523 LEN=61 ");
        assertThat(c.getReason()).isEqualTo(ConntrackReason.BAD_CHECKSUM);
        assertThat(c.getProtocolNumber()).isEqualTo(17);
        assertThat(c.getEventTime()).hasToString("2021-09-02T19:40:54Z");
        assertThat(c.getPacket().getPacket().getSrcPort()).isEqualTo(161);
        assertThat(c.getPacket().getPacket().getUdpLength()).isEqualTo(61);
        assertThat(c.getPacket().getPrefix()).isEqualTo("nf_ct_proto_17: bad checksum ");
    }

    @Test
    void realAbbreviatedLineWithoutInterfaces() {
        // conntrack-and-misc/conntrack-invalid.log:18 (abbreviated by the article's author)
        ConntrackEvent c = conntrack("nf_ct_proto_6: invalid tcp flag combination SRC=10.0.2.1 DST=10.0.96.7 LEN=1040 "
                + "TOS=0x00 PREC=0x00 TTL=255 ID=0 PROTO=TCP SPT=5723 DPT=443 SEQ=1 ACK=0");
        assertThat(c.getReason()).isEqualTo(ConntrackReason.INVALID_TCP_FLAGS);
        assertThat(c.getPacket().getPacket().getDstPort()).isEqualTo(443);
        assertThat(c.getPacket().getInInterface()).isNull();
        assertThat(c.getPacket().getTruncated()).isTrue();
    }

    @Test
    void tableFullInEveryForm() {
        for (String line : new String[] {
            "[104235.156774] nf_conntrack: nf_conntrack: table full, dropping packet",
            "kernel: nf_conntrack: table full, dropping packet",
            "Nov 25 10:00:00 fw1 kernel: nf_conntrack: table full in netns 4026531992, dropping packet"}) {
            ConntrackEvent c = conntrack(line);
            assertThat(c.getKind()).as(line).isEqualTo(ConntrackEventKind.TABLE_FULL);
            assertThat(c.getPacket()).isNull();
        }
        assertThat(conntrack("Nov 25 10:00:00 fw1 kernel: nf_conntrack: table full in netns 4026531992, dropping packet")
                .getNetns()).isEqualTo(4026531992L);
        assertThat(conntrack("Nov 25 10:00:00 fw1 kernel: nf_conntrack: table full, dropping packet").getHost())
                .isEqualTo("fw1");
    }

    @Test
    void rateLimitSuppressionCountIsAttributedToTheHost() {
        ConntrackEvent c = conntrack("Nov 25 10:00:01 fw1 kernel: [104243.800401] net_ratelimit: 3939 callbacks suppressed");
        assertThat(c.getKind()).isEqualTo(ConntrackEventKind.CALLBACKS_SUPPRESSED);
        assertThat(c.getSuppressedCallbacks()).isEqualTo(3939L);
        assertThat(c.getHost()).isEqualTo("fw1");
    }
}
