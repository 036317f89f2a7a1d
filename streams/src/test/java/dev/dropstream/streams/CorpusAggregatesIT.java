package dev.dropstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.streams.it.CorpusExpectation;
import dev.dropstream.streams.it.FinalResults;
import dev.dropstream.streams.it.ItClients;
import dev.dropstream.streams.it.ItPipeline;
import dev.dropstream.streams.it.Sentinels;
import dev.dropstream.testkit.KafkaBroker;
import dev.dropstream.testkit.KafkaTest;
import dev.dropstream.testkit.StreamsAwait;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole corpus through the application on a real broker: every LOG record reaches the packets topic
 * once, and the final 1-minute and 1-hour drop aggregates equal counts computed independently from the same
 * files ({@link CorpusExpectation}). Lines are keyed by the host of their syslog header, null where there is
 * none, so both the keyed path and the re-keying repartition carry real lines.
 */
@KafkaTest
class CorpusAggregatesIT {
    @TempDir
    Path stateDir;

    @Test
    void theFinalAggregatesOfTheWholeCorpusEqualAnIndependentCount(KafkaBroker kafka) throws Exception {
        CorpusExpectation expected = CorpusExpectation.of(Instant.now());
        ItPipeline run = ItPipeline.named("corpus");
        run.createTopics(kafka.bootstrapServers());
        StreamsAppConfig config = run.config(kafka.bootstrapServers(), "mock://" + run.applicationId(), stateDir);

        try (DropstreamApp app = DropstreamApp.start(config, stateDir)) {
            StreamsAwait.awaitStreamsState(app.streams(), KafkaStreams.State.RUNNING);
            ItClients.produce(kafka.bootstrapServers(), run.topic("topics.raw"), expected.lines());
            FinalResults.assertEveryLogRecordOnce(kafka.bootstrapServers(), app.topics(), expected);
            ItClients.produce(kafka.bootstrapServers(), run.topic("topics.raw"),
                    Sentinels.lines(run, app.topics(), Instant.now()));

            FinalResults.assertFinalAggregates(kafka.bootstrapServers(), app.topics(), expected);
            assertThat(metric(app.streams(), "dropped-records-total"))
                    .as("records Kafka Streams dropped (late, expired, unreadable)").isZero();
            assertThat(metric(app.streams(), "late-drop-records-total"))
                    .as("drop tallies left out of a window that had closed").isZero();
        }
    }

    private static double metric(KafkaStreams streams, String name) {
        return streams.metrics().entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }
}
