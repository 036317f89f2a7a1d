package dev.dropstream.streams.it;

import dev.dropstream.streams.Names;
import dev.dropstream.streams.StreamsAppConfig;
import dev.dropstream.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * One run of the application in an integration test: an application id and topic names of its own (tests
 * share a broker), the settings under which the corpus's final aggregates are exact, and its topics, created
 * before the application starts.
 *
 * <p>Why a grace of a century: records reach the windowed aggregates through the {@code drops-by-rule}
 * repartition, into which every upstream task writes at its own pace, so event times arrive there in no
 * order the test could impose by producing in event-time order; and the corpus spans 2015 to today. A grace
 * wider than the corpus means no record is ever late, and {@link Sentinels} then close every window with
 * records dated a century later. Such records are more than an hour ahead of the broker's clock, which Kafka 4
 * rejects by default ({@code message.timestamp.after.max.ms}), so every topic here, and every internal
 * topic ({@code topic.} prefix), accepts any timestamp; all keep their records ({@code retention.ms=-1}),
 * since the corpus's times are years old.
 */
public final class ItPipeline {
    /** Partitions of the raw topic, so of every repartition and task group. */
    public static final int PARTITIONS = 3;
    /** Grace of both window sizes: wider than the corpus. */
    public static final Duration GRACE = Duration.ofDays(36_500);
    private static final String ANY_TIMESTAMP = "message.timestamp.after.max.ms";
    private static final String MAX = Long.toString(Long.MAX_VALUE);

    private final String applicationId;
    private final Map<String, String> settings = new TreeMap<>();

    private ItPipeline(String applicationId) {
        this.applicationId = applicationId;
        settings.put("application.id", applicationId);
        TopicCatalog.NAME_KEYS.forEach((key, name) -> settings.put(key, applicationId + "." + name));
        String grace = GRACE.toDays() + "d";
        String retention = GRACE.plusDays(1).toDays() + "d";
        settings.put("window.1m.grace", grace);
        settings.put("window.1h.grace", grace);
        settings.put("retention.1m", retention);
        settings.put("retention.1h", retention);
        settings.put("topic." + ANY_TIMESTAMP, MAX);
        // Tests run side by side: the query API of a `dropstream streams` run takes any free port.
        settings.put("query.listen", "127.0.0.1:0");
        // The sentinels that close every window are dated a century ahead on purpose.
        settings.put("event.time.max.future", GRACE.plusDays(365).toDays() + "d");
    }

    /** A run whose application id starts with {@code purpose}. */
    public static ItPipeline named(String purpose) {
        return new ItPipeline(purpose + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    public String applicationId() {
        return applicationId;
    }

    /** Dropstream's and Kafka's settings of the run (to add {@code bootstrap.servers} and the registry to). */
    public Map<String, String> settings() {
        return Collections.unmodifiableMap(settings);
    }

    /** The settings as {@code dropstream streams} flags: {@code --set key=value} each. */
    public List<String> flags() {
        List<String> args = new ArrayList<>();
        settings.forEach((k, v) -> {
            args.add("--set");
            args.add(k + "=" + v);
        });
        return args;
    }

    /** The configuration of an in-process run, as {@code dropstream streams} would load it from these flags. */
    public StreamsAppConfig config(String bootstrapServers, String registryUrl, Path stateDir) {
        Map<String, String> flags = new TreeMap<>(settings);
        flags.put("bootstrap.servers", bootstrapServers);
        flags.put("schema.registry.url", registryUrl);
        flags.put("state.dir", stateDir.toString());
        return StreamsAppConfig.load(null, Map.of(), flags);
    }

    /** The run's topics with serdes on the given registry, for reading what the application wrote. */
    public TopicCatalog catalog(String registryUrl) {
        Map<String, String> config = new TreeMap<>(settings);
        config.put("schema.registry.url", registryUrl);
        return TopicCatalog.create(config);
    }

    /** The topic under one of {@link TopicCatalog#NAME_KEYS}. */
    public String topic(String key) {
        return settings.get(key);
    }

    /** The repartition topic the drop aggregates read, named by Kafka Streams after {@link Names#DROPS_BY_RULE}. */
    public String dropsRepartitionTopic() {
        return applicationId + "-" + Names.DROPS_BY_RULE + "-repartition";
    }

    /** Creates the raw topic and every output topic, keeping records of any age and any timestamp. */
    public void createTopics(String bootstrapServers) throws Exception {
        Map<String, String> configs = Map.of("retention.ms", "-1", ANY_TIMESTAMP, MAX);
        List<NewTopic> topics = new ArrayList<>();
        TopicCatalog.NAME_KEYS.keySet().forEach(k -> topics.add(new NewTopic(topic(k), PARTITIONS, (short) 1).configs(configs)));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
    }
}
