package dev.dropstream.streams.it;

import dev.dropstream.schema.DropKey;
import dev.dropstream.schema.DropStats;
import dev.dropstream.schema.Verdict;
import java.time.Instant;

/** The identity of one final drop-aggregate result: its grouping key and the start of its window. */
public record DropCount(String prefix, Verdict verdict, int protocol, int dstPort, Instant windowStart) {

    static DropCount of(DropKey key, DropStats stats) {
        return new DropCount(key.getPrefix(), key.getVerdict(), key.getProtocol(), key.getDstPort(), stats.getWindowStart());
    }
}
