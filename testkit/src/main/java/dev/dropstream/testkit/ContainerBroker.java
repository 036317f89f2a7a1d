package dev.dropstream.testkit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@link KafkaBroker} in Testcontainers' {@code apache/kafka} container (KRaft, one node). Its client
 * port is published on a fixed host port chosen at start, so that {@link #restart()} (a Docker stop and
 * start of the same container, which keeps its file system and so its data) leaves the address clients
 * know, and the one the broker advertises, unchanged.
 */
final class ContainerBroker extends AdminBroker {
    static final String IMAGE = "apache/kafka:4.3.1";
    private static final int KAFKA_PORT = 9092;

    private final KafkaContainer container;

    private ContainerBroker(KafkaContainer container) {
        this.container = container;
    }

    @SuppressWarnings("resource") // closed by close()
    static ContainerBroker start() {
        int hostPort = freeLocalPort();
        KafkaContainer container = new KafkaContainer(DockerImageName.parse(IMAGE))
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                // Replaces the random host port Testcontainers would publish; the advertised listener
                // is derived from this mapping, so it stays valid across a restart.
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                        new PortBinding(Ports.Binding.bindPort(hostPort), ExposedPort.tcp(KAFKA_PORT))));
        container.start();
        return new ContainerBroker(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void restart() {
        DockerClient docker = container.getDockerClient();
        docker.stopContainerCmd(container.getContainerId()).withTimeout(30).exec();
        docker.startContainerCmd(container.getContainerId()).exec();
        awaitAnswering();
    }

    @Override
    public String kind() {
        return "container";
    }

    @Override
    public void close() {
        closeAdmin();
        container.stop();
    }

    private static int freeLocalPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port for the Kafka container", e);
        }
    }
}
