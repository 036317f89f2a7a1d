package dev.dropstream.testkit;

/**
 * The plain Java way to a real broker, for code outside JUnit's extension model:
 * {@code try (KafkaBroker kafka = KafkaBrokers.start()) { ... }}. Picks the kind once per JVM
 * (see {@link BrokerChoice}).
 */
public final class KafkaBrokers {
    private KafkaBrokers() {
    }

    /** Starts a new broker of the kind this JVM uses and returns once it answers. */
    public static KafkaBroker start() {
        return switch (BrokerChoice.kind()) {
            case CONTAINER -> ContainerBroker.start();
            case EMBEDDED -> EmbeddedBroker.start();
        };
    }
}
