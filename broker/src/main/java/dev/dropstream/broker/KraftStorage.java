package dev.dropstream.broker;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formats a KRaft log directory the way {@code kafka-storage.sh format} does: writes meta.properties
 * (a new cluster id, our node id) and the bootstrap metadata checkpoint. Reads and writes only that
 * directory.
 */
final class KraftStorage {
    private static final Logger LOG = LoggerFactory.getLogger(KraftStorage.class);

    private KraftStorage() {
    }

    static boolean isFormatted(Path logDir) {
        return Files.isRegularFile(logDir.resolve("meta.properties"));
    }

    static void format(Path logDir, Properties brokerProps) {
        String clusterId = Uuid.randomUuid().toString();
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8)) {
            new Formatter()
                    // The formatter narrates to stdout; our stdout belongs to the command's output.
                    .setPrintStream(quiet)
                    .setNodeId(BrokerProperties.NODE_ID)
                    .setClusterId(clusterId)
                    .setControllerListenerName(BrokerProperties.CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(brokerProps.getProperty("metadata.log.dir"))
                    .addDirectory(brokerProps.getProperty("log.dirs"))
                    .run();
        } catch (Exception e) {
            throw new BrokerStartException("cannot format the broker storage in " + logDir + ": "
                    + EmbeddedKafka.rootMessage(e), e);
        }
        LOG.info("Formatted new Kafka storage in {} (cluster id {})", logDir, clusterId);
    }
}
