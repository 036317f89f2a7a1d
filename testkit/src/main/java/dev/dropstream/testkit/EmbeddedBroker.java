package dev.dropstream.testkit;

import dev.dropstream.broker.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A {@link KafkaBroker} backed by the in-process KRaft broker of {@code dropstream-broker}, on free
 * loopback ports, writing only into a temporary directory of its own that {@link #close()} removes.
 */
final class EmbeddedBroker extends AdminBroker {
    private final Path dir;
    private final EmbeddedKafka kafka;

    private EmbeddedBroker(Path dir) {
        this.dir = dir;
        this.kafka = EmbeddedKafka.builder(dir).build();
    }

    static EmbeddedBroker start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("dropstream-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the test broker", e);
        }
        EmbeddedBroker broker = new EmbeddedBroker(dir);
        try {
            broker.kafka.start();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    Path dataDir() {
        return dir;
    }

    @Override
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public void restart() {
        kafka.restart();
    }

    @Override
    public String kind() {
        return "embedded";
    }

    @Override
    public void close() {
        closeAdmin();
        kafka.stop();
        deleteRecursively(dir);
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the test broker's directory " + root, e);
        }
    }
}
