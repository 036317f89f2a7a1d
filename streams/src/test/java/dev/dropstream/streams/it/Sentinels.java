package dev.dropstream.streams.it;

import dev.dropstream.parser.VerdictRules;
import dev.dropstream.schema.DropKey;
import dev.dropstream.topics.TopicCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;

/**
 * LOG lines dated later than the corpus plus the grace, which close every window the corpus opened. A window
 * closes when the stream time of its task passes its end plus grace, and stream time is per partition of
 * the {@code drops-by-rule} repartition, so there is one sentinel for each of its partitions: the lines
 * differ in destination port, and each is chosen for the partition its rule key goes to (the producer's
 * default partitioner: murmur2 of the serialized key). Produce them only once every corpus record has reached
 * that repartition ({@link FinalResults#assertEveryLogRecordOnce}): upstream tasks write to it at their own
 * pace, and a corpus record that came after a sentinel would be a century late.
 */
public final class Sentinels {
    public static final String HOST = "dropstream-it-sentinel";
    private static final String PREFIX = "DROPSTREAM-IT-SENTINEL DROP ";

    private Sentinels() {
    }

    /**
     * One line per partition of {@code pipeline}'s drops repartition, dated {@link ItPipeline#GRACE} and two
     * hours (more than the largest window) after {@code corpusEnd}; keys serialized as {@code catalog} does.
     */
    public static List<CorpusLine> lines(ItPipeline pipeline, TopicCatalog catalog, Instant corpusEnd) {
        Instant at = corpusEnd.plus(ItPipeline.GRACE).plus(Duration.ofHours(2));
        Serializer<DropKey> keys = catalog.drops1m().keySerde().serializer();
        Set<Integer> covered = new HashSet<>();
        List<CorpusLine> lines = new ArrayList<>();
        for (int port = 1; covered.size() < ItPipeline.PARTITIONS; port++) {
            DropKey key = DropKey.newBuilder().setPrefix(PREFIX).setVerdict(VerdictRules.defaults().verdictOf(PREFIX))
                    .setProtocol(6).setDstPort(port).build();
            byte[] bytes = keys.serialize(pipeline.dropsRepartitionTopic(), key);
            if (covered.add(Utils.toPositive(Utils.murmur2(bytes)) % ItPipeline.PARTITIONS)) {
                lines.add(new CorpusLine("sentinel", port, at + " " + HOST + " kernel: " + PREFIX + "IN=eth0 OUT= "
                        + "SRC=192.0.2.1 DST=192.0.2.2 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=1 PROTO=TCP SPT=40000 DPT="
                        + port + " WINDOW=512 RES=0x00 SYN URGP=0 ", HOST, null));
            }
        }
        return lines;
    }
}
