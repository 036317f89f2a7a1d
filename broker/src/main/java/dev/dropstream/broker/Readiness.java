package dev.dropstream.broker;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Asks a freshly started broker, as a client would, whether it serves metadata yet. */
final class Readiness {
    private Readiness() {
    }

    /** Returns once the broker lists itself as an available node; the admin client retries until then. */
    static void await(String bootstrapServers, Duration timeout) {
        int millis = Math.toIntExact(timeout.toMillis());
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.CLIENT_ID_CONFIG, "dropstream-broker-readiness"))) {
            if (admin.describeCluster().nodes().get(millis, TimeUnit.MILLISECONDS).isEmpty()) {
                throw new IllegalStateException("the broker lists no available nodes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker did not answer: " + EmbeddedKafka.rootMessage(e), e);
        }
    }
}
