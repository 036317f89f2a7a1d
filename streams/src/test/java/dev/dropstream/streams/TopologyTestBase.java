package dev.dropstream.streams;

import dev.dropstream.parser.ParserConfig;
import dev.dropstream.topics.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Builds the production topology around a TopologyTestDriver with a private mock:// registry scope. */
abstract class TopologyTestBase {
    /** Year-less stamps are read relative to this time. */
    static final Instant REFERENCE = Instant.parse("2026-11-25T12:00:00Z");

    final Map<String, String> serdeConfig = Map.of("schema.registry.url", "mock://" + UUID.randomUUID());
    final TopicCatalog topics = TopicCatalog.create(serdeConfig);
    TopologyTestDriver driver;
    @TempDir
    Path stateDir;
    TestInputTopic<String, byte[]> raw;

    static TopologySettings settings() {
        return TopologySettings.defaults().withParser(ParserConfig.defaults().withZone(ZoneOffset.UTC)
                .withReferenceTime(() -> REFERENCE.getEpochSecond() * 1_000_000L));
    }

    void start(TopologySettings settings) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dropstream-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // Its own folder: drivers of concurrent builds on one machine would otherwise lock each other's RocksDB.
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(DropstreamTopology.build(settings, topics, serdeConfig), props);
        raw = driver.createInputTopic(topics.raw().name(), new StringSerializer(), new ByteArraySerializer());
    }

    <K, V> TestOutputTopic<K, V> output(TopicCatalog.Topic<K, V> t) {
        return driver.createOutputTopic(t.name(), t.keySerde().deserializer(), t.valueSerde().deserializer());
    }

    void send(String key, String line, Instant recordTime) {
        raw.pipeInput(key, line.getBytes(StandardCharsets.UTF_8), recordTime);
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }
}
