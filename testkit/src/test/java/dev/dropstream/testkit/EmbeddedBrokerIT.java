package dev.dropstream.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The embedded kind directly, whatever kind this JVM chose: it must clean up after itself. */
class EmbeddedBrokerIT {

    @Test
    void closingRemovesItsDirectory() throws Exception {
        Path dir;
        try (EmbeddedBroker kafka = EmbeddedBroker.start()) {
            dir = kafka.dataDir();
            kafka.createTopic("cleanup", 1);
            Clients.send(kafka, "cleanup", "x");
            assertThat(dir.resolve("cleanup-0")).isDirectory();
        }
        assertThat(Files.exists(dir)).as("the broker's temporary directory is removed").isFalse();
    }
}
