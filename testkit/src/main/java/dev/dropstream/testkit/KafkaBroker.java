package dev.dropstream.testkit;

import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;

/**
 * A running, real Kafka broker for a test: where to connect, and the few operations tests need that
 * clients alone do not give. Tests isolate themselves by unique topic names and group / application ids,
 * since the broker is shared by every test in the JVM unless {@link KafkaTest#fresh()} asks otherwise.
 */
public interface KafkaBroker extends AutoCloseable {

    /** The {@code host:port} list for {@code bootstrap.servers}; the same before and after {@link #restart()}. */
    String bootstrapServers();

    /**
     * Creates a topic with replication factor 1 and {@code retention.ms=-1} (tests may use old
     * timestamps without the broker deleting their records), and returns once every partition has a leader.
     */
    void createTopic(String name, int partitions);

    /** Waits (Awaitility, up to a minute) until the consumer group is in {@code state}, and returns its description. */
    ConsumerGroupDescription awaitConsumerGroup(String groupId, GroupState state);

    /**
     * Stops the broker and starts it again with the same data and the same address, as a broker outage
     * would; returns once it answers again. Clients that stay open reconnect by themselves. Ask for a
     * {@link KafkaTest#fresh() fresh} broker in tests that call this, so other tests never see the outage.
     */
    void restart();

    /** {@code "embedded"} (a KRaft broker in this JVM) or {@code "container"} (Testcontainers). */
    String kind();

    /** Stops the broker and removes what it wrote. */
    @Override
    void close();
}
