package dev.dropstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.schema.DropStats;
import dev.dropstream.schema.IpPacket;
import dev.dropstream.schema.PacketEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A tally's arithmetic: packets in, partials merged, and the serialized form read back. */
class DropTallyTest {
    private static final long START = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();

    private static PacketEvent packet(String host, String src, int length) {
        PacketEvent e = new PacketEvent();
        e.setHost(host);
        IpPacket p = new IpPacket();
        p.setSrc(src);
        p.setLength(length);
        e.setPacket(p);
        return e;
    }

    @Test
    void partialsMergedDownstreamGiveWhatOneTallyOfAllThePacketsGives() {
        List<PacketEvent> packets = List.of(packet("fw1", "203.0.113.1", 60), packet("fw2", "203.0.113.1", 40),
                packet("fw1", "203.0.113.2", 52), packet("fw3", "203.0.113.1", 1500));
        DropTally whole = new DropTally(START, START + 60_000);
        DropTally first = new DropTally(START, START + 60_000);
        DropTally second = new DropTally(START, START + 60_000);
        for (int i = 0; i < packets.size(); i++) {
            whole.add(packets.get(i), START + 1000L * i);
            (i < 2 ? first : second).add(packets.get(i), START + 1000L * i);
        }
        DropTally merged = new DropTally(START, START + 60_000);
        merged.add(first.stats());
        merged.add(second.stats());
        // Through a store and back, as a window does between commits.
        DropTally reread = DropTally.of(merged.stats(), START, START + 60_000);

        for (DropStats s : List.of(DropTally.finish(whole.stats()), DropTally.finish(reread.stats()))) {
            assertThat(s.getPackets()).isEqualTo(4);
            assertThat(s.getBytes()).isEqualTo(1652);
            assertThat(s.getDistinctSources()).isEqualTo(2);
            assertThat(s.getDistinctHosts()).isEqualTo(3);
            assertThat(s.getFirstSeen()).isEqualTo(Instant.ofEpochMilli(START));
            assertThat(s.getLastSeen()).isEqualTo(Instant.ofEpochMilli(START + 3000));
            assertThat(s.getWindowStart()).isEqualTo(Instant.ofEpochMilli(START));
            assertThat(s.getWindowEnd()).isEqualTo(Instant.ofEpochMilli(START + 60_000));
            assertThat(FrequentItems.top(s.getTopSources(), 2)).extracting(FrequentItems.Item::value,
                    FrequentItems.Item::estimate).containsExactly(org.assertj.core.groups.Tuple.tuple("203.0.113.1", 3L),
                    org.assertj.core.groups.Tuple.tuple("203.0.113.2", 1L));
            assertThat(FrequentItems.top(s.getTopHosts(), 1)).extracting(FrequentItems.Item::value)
                    .containsExactly("fw1");
        }
    }

    @Test
    void aPacketWithoutAddressesCountsWithEmptySketches() {
        DropTally t = new DropTally(START, START + 60_000);
        t.add(new PacketEvent(), START);
        DropStats s = DropTally.finish(t.stats());
        assertThat(s.getPackets()).isEqualTo(1);
        assertThat(s.getDistinctSources()).isZero();
        assertThat(s.getSourceSketch().hasRemaining()).isFalse();
    }
}
