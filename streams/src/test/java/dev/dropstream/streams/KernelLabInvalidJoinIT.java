package dev.dropstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.schema.ConntrackReason;
import dev.dropstream.schema.InvalidDrop;
import dev.dropstream.schema.JoinMatch;
import dev.dropstream.testkit.NetnsLab.KmsgRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invalid-reason join on records this machine's own kernel writes (issue 4, "real pairs from this machine's
 * own kernel"): SYN+FIN packets over loopback in a {@link KernelLab} namespace. Conntrack sees each packet twice
 * (output, then input) and writes {@code nf_ct_proto_6: invalid tcp flag combination …} both times; the
 * {@code ct state invalid log … drop} rule writes the LOG record. Each packet must become exactly one
 * {@link InvalidDrop} carrying its reason: its two conntrack records are one reason, not a match and an orphan.
 * Skipped, saying why, where the lab cannot run (not root, no namespaces, tools missing).
 */
class KernelLabInvalidJoinIT extends TopologyTestBase {
    private static final Logger LOG = LoggerFactory.getLogger(KernelLabInvalidJoinIT.class);
    private static final int PACKETS = 5;
    private static final String REASON = "nf_ct_proto_6: invalid tcp flag combination ";
    private static final Instant BOOT = Instant.parse("2026-11-25T09:00:00Z");
    private static final Pattern ID = Pattern.compile(" ID=(\\d+) ");

    @Test
    void eachInvalidPacketOfTheKernelBecomesExactlyOneInvalidDropWithItsReason() {
        int port = ThreadLocalRandom.current().nextInt(20_000, 60_000);
        List<KmsgRecord> records;
        try (KernelLab lab = KernelLab.open()) {
            records = lab.sendSynFin(PACKETS, port);
            LOG.info("namespace {}, SYN+FIN to 127.0.0.1:{}; the kernel wrote:\n{}", lab.namespace(), port,
                    records.stream().map(KmsgRecord::line).collect(Collectors.joining("\n")));
        }

        // What the kernel wrote, read independently of the parser: per packet (IP ID) the output-side reason
        // (OUT=lo, UID=/GID=), the input-side reason (IN=lo) and the LOG record, in that order.
        Map<Long, List<String>> byPacket = records.stream().collect(Collectors.groupingBy(
                r -> ipId(r.message()), TreeMap::new,
                Collectors.mapping(KmsgRecord::message, Collectors.toList())));
        assertThat(byPacket).as("one IP ID per packet").hasSize(PACKETS);
        assertThat(byPacket.values()).allSatisfy(messages -> assertThat(messages).satisfiesExactly(
                m -> assertThat(m).startsWith(REASON + "IN= OUT=lo ").contains(" UID=0 GID=0"),
                m -> assertThat(m).startsWith(REASON + "IN=lo OUT= "),
                m -> assertThat(m).startsWith(KernelLab.PREFIX + "IN=lo OUT= ")));

        start(settings());
        for (KmsgRecord r : records) {
            send("dslab", r.line(), BOOT.plusNanos(r.usec() * 1000));
        }
        assertThat(output(topics.invalid()).isEmpty()).as("join windows still open").isTrue();
        driver.advanceWallClockTime(Duration.ofSeconds(10)); // no more records come: wall time ends the windows

        List<InvalidDrop> drops = output(topics.invalid()).readValuesToList();
        assertThat(drops).hasSize(PACKETS).allSatisfy(d -> {
            assertThat(d.getMatch()).isEqualTo(JoinMatch.MATCHED);
            assertThat(d.getReason()).isEqualTo(ConntrackReason.INVALID_TCP_FLAGS);
            assertThat(d.getConntrackRecords()).as("the output- and input-side records of one packet").isEqualTo(2);
            assertThat(d.getPrefix()).isEqualTo(KernelLab.PREFIX);
            assertThat(d.getHost()).isEqualTo("dslab");
            assertThat(d.getPacket().getPacket().getDstPort()).isEqualTo(port);
            assertThat(d.getConntrack().getPacket().getPacket().getId()).isEqualTo(d.getPacket().getPacket().getId());
        });
        assertThat(drops).extracting(d -> d.getPacket().getPacket().getId())
                .containsExactlyInAnyOrderElementsOf(byPacket.keySet());
        assertThat(output(topics.conntrack()).getQueueSize()).isEqualTo(2 * PACKETS);
        assertThat(output(topics.packets()).getQueueSize()).isEqualTo(PACKETS);
        assertThat(output(topics.deadLetter()).isEmpty()).isTrue();
    }

    private static long ipId(String message) {
        Matcher m = ID.matcher(message);
        if (!m.find()) {
            throw new AssertionError("no IP ID in " + message);
        }
        return Long.parseLong(m.group(1));
    }
}
