package dev.dropstream.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@KafkaTest
class KafkaBrokerExtensionIT {

    @Test
    void producedRecordsAreConsumedInOrder(KafkaBroker kafka) throws Exception {
        kafka.createTopic("plain", 3);
        Clients.send(kafka, "plain", "a", "b", "c");

        try (KafkaConsumer<String, String> consumer = Clients.consumer(kafka, "plain-reader", Map.of())) {
            consumer.subscribe(List.of("plain"));
            assertThat(Clients.read(consumer, 3)).containsExactlyInAnyOrder("a", "b", "c");

            ConsumerGroupDescription group = kafka.awaitConsumerGroup("plain-reader", GroupState.STABLE);
            assertThat(group.members()).hasSize(1);
        }
    }

    @Test
    void committedTransactionsAreVisibleToReadCommittedAndAbortedOnesAreNot(KafkaBroker kafka) throws Exception {
        kafka.createTopic("tx", 1);
        try (KafkaProducer<String, String> producer = Clients.producer(kafka,
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-writer"))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", "committed-1"));
            producer.send(new ProducerRecord<>("tx", "committed-2"));
            producer.commitTransaction();
        }

        try (KafkaConsumer<String, String> consumer = Clients.consumer(kafka, "tx-reader",
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            consumer.subscribe(List.of("tx"));
            assertThat(Clients.read(consumer, 2)).containsExactly("committed-1", "committed-2");
        }
    }

    @Test
    void anExactlyOnceStreamsAppRunsAndCopiesRecords(KafkaBroker kafka, @TempDir java.nio.file.Path state)
            throws Exception {
        kafka.createTopic("eos-in", 1);
        kafka.createTopic("eos-out", 1);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("eos-in", Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(v -> v.toUpperCase(java.util.Locale.ROOT))
                .to("eos-out", Produced.with(Serdes.String(), Serdes.String()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "eos-copier");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);

        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();
            StreamsAwait.awaitStreamsState(streams, KafkaStreams.State.RUNNING);
            Clients.send(kafka, "eos-in", "drop", "reject");

            try (KafkaConsumer<String, String> consumer = Clients.consumer(kafka, "eos-reader",
                    Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
                consumer.subscribe(List.of("eos-out"));
                assertThat(Clients.read(consumer, 2)).containsExactly("DROP", "REJECT");
            }
        }
    }

    @Test
    void everyTestInTheJvmSharesOneBroker(KafkaBroker first, KafkaBroker second) {
        assertThat(first).isSameAs(second);
        assertThat(first.bootstrapServers()).isNotBlank();
    }
}
