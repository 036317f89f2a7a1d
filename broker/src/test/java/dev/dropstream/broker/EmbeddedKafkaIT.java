package dev.dropstream.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {
    @TempDir
    Path dir;

    @Test
    void recordsAndClusterSurviveARestartOnTheSamePort() throws Exception {
        Set<String> threadsBefore = threadNames();
        try (EmbeddedKafka kafka = EmbeddedKafka.builder(dir.resolve("kafka")).build().start()) {
            String bootstrap = kafka.bootstrapServers();
            assertThat(bootstrap).startsWith("127.0.0.1:");
            String clusterId = Files.readString(dir.resolve("kafka/meta.properties"));
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic("lines", 1, (short) 1))).all().get();
            }
            produce(bootstrap, "lines", "first", "second");

            kafka.restart();

            assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
            assertThat(Files.readString(dir.resolve("kafka/meta.properties"))).isEqualTo(clusterId);
            assertThat(consumeAll(bootstrap, "lines", 2)).containsExactly("first", "second");
        }
        assertThat(threadsLeftSince(threadsBefore)).as("threads left behind by the broker and its clients").isEmpty();
    }

    @Test
    void aTakenPortIsOneClearSentence() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            EmbeddedKafka kafka = EmbeddedKafka.builder(dir).port(taken.getLocalPort()).build();
            assertThatThrownBy(kafka::start)
                    .isInstanceOf(BrokerStartException.class)
                    .hasMessage("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use");
        }
    }

    static void produce(String bootstrap, String topic, String... values) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
            for (String v : values) {
                producer.send(new ProducerRecord<>(topic, v)).get();
            }
        }
    }

    static List<String> consumeAll(String bootstrap, String topic, int expected) {
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(r.value());
                }
            }
        }
        return seen;
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .collect(Collectors.toSet());
    }

    /**
     * New live threads, less the two daemon tick threads of Yammer's JVM-wide default metrics registry:
     * Kafka's server creates that registry once per JVM and it cannot be shut down without breaking
     * the next broker started in the same JVM.
     */
    static Set<String> threadsLeftSince(Set<String> before) {
        return threadNames().stream()
                .filter(n -> !before.contains(n))
                .filter(n -> !n.startsWith("metrics-meter-tick-thread-"))
                .collect(Collectors.toSet());
    }
}
