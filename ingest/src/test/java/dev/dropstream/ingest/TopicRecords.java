package dev.dropstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dropstream.testkit.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reading what the shipper wrote, for the kernel sources' tests. */
final class TopicRecords {
    private TopicRecords() {
    }

    /** Reads {@code topic} from its start until {@code done} holds for what was read (90 s at most). */
    static List<ConsumerRecord<String, byte[]>> readUntil(KafkaBroker kafka, String topic,
            Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                return done.test(out);
            });
        }
        return out;
    }

    /** Whether the values read include every one of {@code lines}. */
    static Predicate<List<ConsumerRecord<String, byte[]>>> containing(List<String> lines) {
        return rs -> rs.stream().map(TopicRecords::value).toList().containsAll(lines);
    }

    static String value(ConsumerRecord<String, byte[]> r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }

    /** The last value of header {@code name}, or null. */
    static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Each line identity ({@value KafkaLineSink#LINE}) occurs once: nothing was sent twice. */
    static void assertNoLineTwice(List<ConsumerRecord<String, byte[]>> records, String why) {
        Map<String, Long> perLine = records.stream()
                .collect(Collectors.groupingBy(r -> header(r, KafkaLineSink.LINE), Collectors.counting()));
        assertThat(perLine).as(why).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
    }

    /** {@code key=… dropstream.line=… value=…}, for the log. */
    static String describe(ConsumerRecord<String, byte[]> r) {
        return "key=" + r.key() + " " + KafkaLineSink.LINE + "=" + header(r, KafkaLineSink.LINE) + " value=" + value(r);
    }

    /** The record whose value is {@code line}; fails when there is none. */
    static ConsumerRecord<String, byte[]> withValue(List<ConsumerRecord<String, byte[]>> records, String line) {
        return records.stream().filter(r -> value(r).equals(line)).findFirst()
                .orElseThrow(() -> new AssertionError("not in the topic: " + line));
    }
}
