package dev.dropstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.schema.ConntrackReason;
import dev.dropstream.schema.InvalidDrop;
import dev.dropstream.schema.JoinMatch;
import dev.dropstream.streams.it.CorpusLine;
import dev.dropstream.streams.it.ItClients;
import dev.dropstream.streams.it.ItPipeline;
import dev.dropstream.testkit.KafkaBroker;
import dev.dropstream.testkit.KafkaTest;
import dev.dropstream.testkit.StreamsAwait;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The invalid-reason join on a real broker, with the real lines of {@code conntrack-and-misc/conntrack-invalid.log}
 * (netdev, kernel 5.10): a NATed SNMP server's replies fail conntrack's UDP checksum check, and each
 * {@code nf_ct_proto_17: bad checksum} record joins the {@code FWD:} LOG record of the request it answers.
 * Their {@code dmesg -T} stamps are of 2021: the topics keep records of any age ({@link ItPipeline}).
 */
@KafkaTest
class InvalidJoinIT {
    private static final String FILE = "conntrack-and-misc/conntrack-invalid.log";
    /** The host a shipper names for these lines: {@code dmesg -T} lines name none. */
    private static final String HOST = "netdev-host";
    private static final Pattern FIRST_ID = Pattern.compile(" ID=(\\d+) ");

    @TempDir
    Path stateDir;

    @Test
    void eachBadChecksumBecomesOneMatchedDropWithTheForwardedRequestOfItsFlow(KafkaBroker kafka) throws Exception {
        List<String> lines = Corpus.lines(FILE);
        List<Long> requestIds = requestsAnswered(lines);
        ItPipeline run = ItPipeline.named("invalid-join");
        run.createTopics(kafka.bootstrapServers());
        StreamsAppConfig config = run.config(kafka.bootstrapServers(), "mock://" + run.applicationId(), stateDir);

        try (DropstreamApp app = DropstreamApp.start(config, stateDir)) {
            StreamsAwait.awaitStreamsState(app.streams(), KafkaStreams.State.RUNNING);
            List<CorpusLine> records = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                records.add(new CorpusLine(FILE, i + 1, lines.get(i), HOST, null));
            }
            ItClients.produce(kafka.bootstrapServers(), run.topic("topics.raw"), records);

            // The join emits an entry when its window has ended in stream time, or in wall-clock time after the last record.
            List<InvalidDrop> badChecksums = badChecksums(ItClients.readCommitted(kafka.bootstrapServers(),
                    app.topics().invalid().name(), app.topics().invalid().keySerde().deserializer(),
                    app.topics().invalid().valueSerde().deserializer(),
                    read -> badChecksums(read).size() >= requestIds.size(), Duration.ofMinutes(2)));

            assertThat(badChecksums).hasSize(requestIds.size()).allSatisfy(d -> {
                assertThat(d.getMatch()).isEqualTo(JoinMatch.MATCHED);
                assertThat(d.getHost()).isEqualTo(HOST);
                assertThat(d.getPrefix()).isEqualTo("FWD: ");
                assertThat(d.getConntrack().getReasonText()).startsWith("bad checksum");
                assertThat(d.getConntrack().getPacket().getPacket().getSrc()).as("the reply").isEqualTo("192.168.4.2");
                assertThat(d.getPacket().getPacket().getSrc()).as("the forwarded request").isEqualTo("185.243.112.54");
            });
            assertThat(badChecksums).extracting(d -> d.getPacket().getPacket().getId())
                    .as("each reply joins the request logged right before it").containsExactlyInAnyOrderElementsOf(requestIds);
        }
    }

    private static List<InvalidDrop> badChecksums(List<ConsumerRecord<String, InvalidDrop>> read) {
        return read.stream().map(ConsumerRecord::value).filter(d -> d.getReason() == ConntrackReason.BAD_CHECKSUM).toList();
    }

    /** For each bad-checksum record, the IP ID of the nearest {@code FWD:} record above it: the request it answers. */
    private static List<Long> requestsAnswered(List<String> lines) {
        List<Long> ids = new ArrayList<>();
        Long lastForwarded = null;
        for (String l : lines) {
            if (l.contains("] FWD: ")) {
                Matcher m = FIRST_ID.matcher(l);
                lastForwarded = m.find() ? Long.parseLong(m.group(1)) : null;
            } else if (l.contains("nf_ct_proto_17: bad checksum")) {
                ids.add(lastForwarded);
            }
        }
        return ids;
    }
}
