package dev.dropstream.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Decides once per JVM which kind of broker tests get, and logs that choice once: Testcontainers'
 * {@code apache/kafka} container when a Docker engine answers, otherwise the embedded KRaft broker.
 * The system property {@value #PROPERTY} or the environment variable {@value #ENV} ({@code auto},
 * {@code embedded} or {@code container}) overrides the probe.
 */
final class BrokerChoice {
    static final String PROPERTY = "dropstream.testkit.broker";
    static final String ENV = "DROPSTREAM_TESTKIT_BROKER";

    enum Kind { EMBEDDED, CONTAINER }

    private static final Logger LOG = LoggerFactory.getLogger(BrokerChoice.class);
    private static Kind chosen;

    private BrokerChoice() {
    }

    static synchronized Kind kind() {
        if (chosen == null) {
            String asked = System.getProperty(PROPERTY, System.getenv().getOrDefault(ENV, "auto"))
                    .strip().toLowerCase(Locale.ROOT);
            chosen = switch (asked) {
                case "embedded" -> log(Kind.EMBEDDED, "asked for by " + PROPERTY + "/" + ENV);
                case "container" -> log(Kind.CONTAINER, "asked for by " + PROPERTY + "/" + ENV);
                case "auto", "" -> dockerAnswers()
                        ? log(Kind.CONTAINER, "a Docker engine answered")
                        : log(Kind.EMBEDDED, "no Docker engine answered");
                default -> throw new IllegalArgumentException(PROPERTY + "/" + ENV + " is '" + asked
                        + "'; use auto, embedded or container");
            };
        }
        return chosen;
    }

    private static boolean dockerAnswers() {
        if (!dockerConfigured()) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            // Testcontainers reports a missing engine by returning false; anything it throws means the same.
            return false;
        }
    }

    /**
     * Whether anything on this machine points at a Docker (or Podman) engine. Testcontainers' own probe
     * logs an ERROR with "execution cannot continue" when there is none, which reads as a failure in
     * every build log of a machine without Docker; this cheap look first spares it that. Anything
     * unusual (a remote engine, a Docker context, Testcontainers configuration) goes to the real probe.
     */
    private static boolean dockerConfigured() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return true;
        }
        for (String env : new String[] {"DOCKER_HOST", "DOCKER_CONTEXT", "TESTCONTAINERS_HOST_OVERRIDE"}) {
            if (System.getenv(env) != null) {
                return true;
            }
        }
        Path home = Path.of(System.getProperty("user.home", "/"));
        String runtime = System.getenv().getOrDefault("XDG_RUNTIME_DIR", "/run/user/0");
        return Stream.of(home.resolve(".testcontainers.properties"), Path.of("/var/run/docker.sock"),
                        Path.of(runtime, "docker.sock"), Path.of(runtime, "podman", "podman.sock"),
                        home.resolve(".docker/run/docker.sock"), home.resolve(".docker/desktop/docker.sock"),
                        home.resolve(".colima/default/docker.sock"), home.resolve(".rd/docker.sock"))
                .anyMatch(Files::exists);
    }

    private static Kind log(Kind kind, String why) {
        LOG.info("Kafka for tests: {} ({})", kind == Kind.CONTAINER
                ? "Testcontainers " + ContainerBroker.IMAGE : "embedded KRaft broker from the Kafka jars", why);
        return kind;
    }
}
