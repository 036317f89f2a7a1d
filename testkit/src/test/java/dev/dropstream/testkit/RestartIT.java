package dev.dropstream.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

@KafkaTest(fresh = true)
class RestartIT {

    @Test
    void recordsAndCommittedOffsetsSurviveARestartAtTheSameAddress(KafkaBroker kafka) throws Exception {
        kafka.createTopic("outage", 2);
        Clients.send(kafka, "outage", "before-1", "before-2");
        try (KafkaConsumer<String, String> consumer = Clients.consumer(kafka, "outage-reader", Map.of())) {
            consumer.subscribe(List.of("outage"));
            assertThat(Clients.read(consumer, 2)).containsExactlyInAnyOrder("before-1", "before-2");
            consumer.commitSync();
        }
        String address = kafka.bootstrapServers();

        kafka.restart();

        assertThat(kafka.bootstrapServers()).isEqualTo(address);
        Clients.send(kafka, "outage", "after");
        try (KafkaConsumer<String, String> resumed = Clients.consumer(kafka, "outage-reader", Map.of());
                KafkaConsumer<String, String> fromStart = Clients.consumer(kafka, "outage-rereader", Map.of())) {
            resumed.subscribe(List.of("outage"));
            fromStart.subscribe(List.of("outage"));
            assertThat(Clients.read(resumed, 1)).as("the group resumes after its committed offsets")
                    .containsExactly("after");
            assertThat(Clients.read(fromStart, 3)).containsExactlyInAnyOrder("before-1", "before-2", "after");
        }
    }
}
