package dev.dropstream.cli.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Watches one Kafka Streams application (its consumer group, through the admin client) until it has finished the
 * input: every input partition's committed offset equals its end offset, and every repartition topic of the
 * application has been read to its end too, so the downstream sub-topologies are done as well.
 *
 * <p>The application writes its repartition topics in transactions, so each ends with a commit marker that the
 * consumer skips: there the committed offset may stay one short of the end offset (the marker's own offset) when
 * nothing follows the marker. A repartition partition is therefore done at {@code committed >= end - 1}, which is
 * exact once the input is committed in full, since then no transaction of the application is open.
 */
final class Completion {
    /** How often the offsets are read. With exactly-once the application commits every 100 ms by default. */
    static final Duration POLL = Duration.ofMillis(100);

    private final Admin admin;
    private final String groupId;
    private final String inputTopic;
    private final Map<TopicPartition, Long> inputEnds;
    private final long lines;

    /** What the watch saw: seconds from the start to the first RUNNING state and to the end of the input. */
    record Timing(double startupSeconds, double seconds) {
    }

    Completion(Admin admin, String groupId, String inputTopic, Map<TopicPartition, Long> inputEnds, long lines) {
        this.admin = admin;
        this.groupId = groupId;
        this.inputTopic = inputTopic;
        this.inputEnds = Map.copyOf(inputEnds);
        this.lines = lines;
    }

    /**
     * Blocks until the application has finished the input. {@code startNanos} is when it was started;
     * {@code progress} is told the committed input offsets from time to time. Fails when the application stops
     * or makes no progress for {@code stall}.
     */
    Timing await(KafkaStreams streams, long startNanos, Duration stall, Consumer<Long> progress)
            throws InterruptedException {
        double startup = Double.NaN;
        long lastChange = System.nanoTime();
        long lastSum = -1;
        long lastReport = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            KafkaStreams.State state = streams.state();
            if (state == KafkaStreams.State.RUNNING && Double.isNaN(startup)) {
                startup = seconds(startNanos, now);
            }
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                    || state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.PENDING_SHUTDOWN) {
                throw new IllegalStateException("the application " + groupId + " stopped (state " + state + ") after "
                        + committedInput(committed()) + " of " + lines + " lines; its log above says why");
            }
            Map<TopicPartition, Long> committed = committed();
            long inputDone = committedInput(committed);
            if (inputDone >= lines && repartitionsDone(committed)) {
                long end = System.nanoTime();
                return new Timing(Double.isNaN(startup) ? seconds(startNanos, end) : startup, seconds(startNanos, end));
            }
            long sum = committed.values().stream().mapToLong(Long::longValue).sum();
            if (sum != lastSum) {
                lastSum = sum;
                lastChange = now;
            } else if (now - lastChange > stall.toNanos()) {
                throw new IllegalStateException("the application " + groupId + " made no progress for "
                        + stall.toSeconds() + " s (state " + state + ", " + inputDone + " of " + lines
                        + " lines committed)");
            }
            if (now - lastReport > Duration.ofSeconds(10).toNanos()) {
                progress.accept(inputDone);
                lastReport = now;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }

    private long committedInput(Map<TopicPartition, Long> committed) {
        long sum = 0;
        for (TopicPartition tp : inputEnds.keySet()) {
            sum += committed.getOrDefault(tp, 0L);
        }
        return sum;
    }

    private Map<TopicPartition, Long> committed() throws InterruptedException {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> m = new HashMap<>();
            offsets.forEach((tp, om) -> {
                if (om != null) {
                    m.put(tp, om.offset());
                }
            });
            return m;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the committed offsets of " + groupId + ": "
                    + e.getCause().getMessage(), e);
        }
    }

    /** Whether every partition of the application's repartition topics has been read to its end. */
    private boolean repartitionsDone(Map<TopicPartition, Long> committed) throws InterruptedException {
        try {
            String prefix = groupId + "-";
            List<String> topics = admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith(prefix) && t.endsWith("-repartition") && !t.equals(inputTopic))
                    .toList();
            if (topics.isEmpty()) {
                return true;
            }
            Map<String, TopicDescription> described = admin.describeTopics(Set.copyOf(topics)).allTopicNames().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            described.values().forEach(d -> d.partitions().forEach(p ->
                    latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : ends.entrySet()) {
                long end = e.getValue().offset();
                Long c = committed.get(e.getKey());
                if (end > 0 && (c == null || c < end - 1)) {
                    return false;
                }
            }
            return true;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the repartition topics of " + groupId + ": "
                    + e.getCause().getMessage(), e);
        }
    }
}
