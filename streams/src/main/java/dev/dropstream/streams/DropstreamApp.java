package dev.dropstream.streams;

import dev.dropstream.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the topology against a Kafka cluster: checks that the broker answers and the input topic exists
 * (one clear sentence when not), creates missing output topics, and starts Kafka Streams with the
 * application's guarantees and handlers. {@link #close} stops it cleanly.
 */
public final class DropstreamApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DropstreamApp.class);

    private final KafkaStreams streams;
    private final TopicCatalog topics;

    private DropstreamApp(KafkaStreams streams, TopicCatalog topics) {
        this.streams = streams;
        this.topics = topics;
    }

    /**
     * Prepares the topics and starts the application. Throws {@link IllegalStateException} with one sentence
     * when the cluster cannot be used.
     */
    public static DropstreamApp start(StreamsAppConfig config, Path defaultStateDir) {
        Map<String, Object> serdeConfig = config.serdeConfig();
        TopicCatalog topics = TopicCatalog.create(serdeConfig);
        if (config.get("schema.registry.url").startsWith("mock://")) {
            LOG.warn("schema.registry.url is {}: schema ids are local to this process, so other instances and "
                    + "consumers cannot read the output topics; set a registry URL for a fleet",
                    config.get("schema.registry.url"));
        }
        int inputPartitions = prepareTopics(config, topics);
        Topology topology = DropstreamTopology.build(config.topologySettings().withUpstreamTasks(inputPartitions),
                topics, serdeConfig);
        Properties props = config.streamsProperties(defaultStateDir);
        KafkaStreams streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("a stream thread died ({}); replacing it", e.toString());
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> LOG.info("state {} -> {}", before, now));
        streams.start();
        return new DropstreamApp(streams, topics);
    }

    /** Creates the missing output topics; returns how many partitions the input topic has. */
    private static int prepareTopics(StreamsAppConfig config, TopicCatalog topics) {
        Properties adminProps = new Properties();
        config.streamsProperties(Path.of(".")).forEach((k, v) -> {
            String key = k.toString();
            if (AdminClientConfig.configNames().contains(key)) {
                adminProps.put(key, v);
            } else if (key.startsWith("admin.")) {
                adminProps.put(key.substring("admin.".length()), v);
            }
        });
        long timeoutMs = config.startupTimeout().toMillis();
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMs, 30_000));
        try (Admin admin = Admin.create(adminProps)) {
            try {
                admin.describeCluster().clusterId().get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                throw new IllegalStateException("cannot reach Kafka at " + config.bootstrapServers() + " within "
                        + config.startupTimeout().toSeconds() + " s", e);
            }
            String raw = topics.raw().name();
            TopicDescription input;
            try {
                input = admin.describeTopics(Set.of(raw)).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS).get(raw);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    throw new IllegalStateException("the input topic " + raw + " does not exist on "
                            + config.bootstrapServers() + "; create it, or set topics.raw to the topic your shippers "
                            + "write to", e);
                }
                throw new IllegalStateException("cannot describe the input topic " + raw + ": " + e.getCause(), e);
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka at " + config.bootstrapServers()
                        + " did not describe the input topic in time", e);
            }
            int partitions = config.partitions() > 0 ? config.partitions() : input.partitions().size();
            Optional<Short> rf = config.replicationFactor() > 0 ? Optional.of(config.replicationFactor()) : Optional.empty();
            List<NewTopic> missing = new ArrayList<>();
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            for (TopicCatalog.Topic<?, ?> t : topics.outputs()) {
                if (!existing.contains(t.name())) {
                    missing.add(new NewTopic(t.name(), Optional.of(partitions), rf));
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(timeoutMs, TimeUnit.MILLISECONDS);
                    LOG.info("created output topics {} ({} partitions)", missing.stream().map(NewTopic::name).toList(),
                            partitions);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create the output topics: " + e.getCause().getMessage(), e);
                    }
                }
            }
            return input.partitions().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list the topics on " + config.bootstrapServers() + ": " + e, e);
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    public TopicCatalog topics() {
        return topics;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        // Leaving the group hands this instance's partitions to the others at once; staying (Kafka Streams'
        // default, for rolling restarts) would leave its keys unanswerable until its session times out.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }
}
