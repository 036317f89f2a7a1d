package dev.dropstream.testkit;

import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;

/**
 * Waits for a Kafka Streams application to reach a state, as tests need before they produce input.
 * Kept apart from {@link KafkaBroker} so that tests without Kafka Streams on their class path never load it.
 */
public final class StreamsAwait {
    private StreamsAwait() {
    }

    /**
     * Returns once {@code streams} is in {@code state}; fails at once if it falls into {@code ERROR}
     * (unless that is what was asked), and after a minute otherwise.
     */
    public static void awaitStreamsState(KafkaStreams streams, KafkaStreams.State state) {
        Awaitility.await("Kafka Streams in state " + state)
                .atMost(AdminBroker.WAIT).pollInterval(Duration.ofMillis(100))
                .failFast("Kafka Streams went into ERROR", () -> state != KafkaStreams.State.ERROR
                        && streams.state() == KafkaStreams.State.ERROR)
                .until(() -> streams.state() == state);
    }
}
