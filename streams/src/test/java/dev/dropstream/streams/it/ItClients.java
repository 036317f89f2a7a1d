package dev.dropstream.streams.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Producing corpus lines to the raw topic and reading committed results back, as a shipper and a consumer would. */
public final class ItClients {
    private ItClients() {
    }

    /** Produces {@code lines} in order (key, record time and UTF-8 text as each says) and waits until all are written. */
    public static void produce(String bootstrapServers, String topic, List<CorpusLine> lines) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer())) {
            for (CorpusLine l : lines) {
                producer.send(new ProducerRecord<>(topic, null, l.recordTime(), l.key(), l.text().getBytes(StandardCharsets.UTF_8)),
                        (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing to " + topic + " failed", failure.get());
        }
    }

    /**
     * Reads {@code topic} from the beginning with {@code isolation.level=read_committed} until {@code complete}
     * holds for what was read and the consumer has reached the last stable offset of every partition, or
     * {@code atMost} has passed; returns what was read either way (the caller's assertions say what is missing).
     */
    public static <K, V> List<ConsumerRecord<K, V>> readCommitted(String bootstrapServers, String topic,
            Deserializer<K> keys, Deserializer<V> values, Predicate<List<ConsumerRecord<K, V>>> complete,
            Duration atMost) {
        List<ConsumerRecord<K, V>> read = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), keys, values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            try {
                Awaitility.await("committed records of " + topic).atMost(atMost).pollInterval(Duration.ofMillis(10))
                        .until(() -> {
                            consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                            return complete.test(read) && caughtUp(consumer, partitions);
                        });
            } catch (ConditionTimeoutException e) {
                // what was read is returned; the caller's assertions tell what is missing
            }
        }
        return read;
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
    }
}
