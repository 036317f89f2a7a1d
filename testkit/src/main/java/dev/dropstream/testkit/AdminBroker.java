package dev.dropstream.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartitionInfo;
import org.awaitility.Awaitility;

/**
 * What both kinds of broker do the same way, through an admin client: create topics, wait for groups
 * and for the broker to answer. Subclasses only start, stop and locate their broker.
 */
abstract class AdminBroker implements KafkaBroker {
    static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);

    private Admin admin;

    /** One admin client per broker, created on first use; it reconnects by itself after a restart. */
    final synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                    AdminClientConfig.CLIENT_ID_CONFIG, "dropstream-testkit"));
        }
        return admin;
    }

    final synchronized void closeAdmin() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }

    @Override
    public void createTopic(String name, int partitions) {
        NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(Map.of("retention.ms", "-1"));
        get(admin().createTopics(List.of(topic)).all());
        Awaitility.await("every partition of " + name + " has a leader")
                .atMost(WAIT).pollInterval(POLL).ignoreExceptions()
                .until(() -> leadersKnown(name, partitions));
    }

    @Override
    public ConsumerGroupDescription awaitConsumerGroup(String groupId, GroupState state) {
        return Awaitility.await("consumer group " + groupId + " in state " + state)
                .atMost(WAIT).pollInterval(POLL).ignoreExceptions()
                .until(() -> get(admin().describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId)),
                        d -> d.groupState() == state);
    }

    /** Waits until the broker answers a metadata request again, as after a restart. */
    final void awaitAnswering() {
        Awaitility.await("the broker at " + bootstrapServers() + " answers")
                .atMost(WAIT).pollInterval(POLL).ignoreExceptions()
                .until(() -> !admin().describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty());
    }

    private boolean leadersKnown(String name, int partitions) {
        TopicDescription d = get(admin().describeTopics(List.of(name)).allTopicNames()).get(name);
        return d.partitions().size() == partitions
                && d.partitions().stream().map(TopicPartitionInfo::leader).allMatch(l -> l != null && !l.isEmpty());
    }

    static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the broker did not answer within " + WAIT.toSeconds() + " s", e);
        }
    }
}
