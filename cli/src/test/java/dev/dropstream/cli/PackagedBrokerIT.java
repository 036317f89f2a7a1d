package dev.dropstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged command ({@code java -jar cli/target/dropstream.jar broker}, its lib/ as built) in a
 * child JVM, stopped by a signal as Ctrl-C would: catches run-time class path gaps that in-process tests
 * cannot see, and proves the shutdown hook stops the broker cleanly.
 */
class PackagedBrokerIT {
    private static final Path JAR = Path.of("target", "dropstream.jar");

    @TempDir
    Path dataDir;

    @Test
    void startsFromTheJarAndStopsCleanlyOnASignal() throws Exception {
        Path log = dataDir.resolve("logs/broker.log");
        Process broker = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", JAR.toString(), "broker", "--data-dir", dataDir.toString(), "--port", "0")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> firstLine(broker));
            String address = firstLine.get(60, TimeUnit.SECONDS);
            assertThat(address).startsWith("127.0.0.1:");
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", address))) {
                admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("packaged", 1, (short) 1)))
                        .all().get(30, TimeUnit.SECONDS);
            }

            broker.destroy(); // SIGTERM: runs the shutdown hooks, as Ctrl-C does

            assertThat(broker.waitFor(60, TimeUnit.SECONDS)).as("the broker exits").isTrue();
            await("the broker log says it stopped").atMost(Duration.ofSeconds(5))
                    .until(() -> Files.readString(log).contains("Kafka broker on " + address + " stopped"));
            assertThat(dataDir.resolve("kafka/packaged-0")).isDirectory();
        } finally {
            broker.destroyForcibly();
        }
    }

    private static String firstLine(Process p) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            return line == null ? "" : line.strip();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
