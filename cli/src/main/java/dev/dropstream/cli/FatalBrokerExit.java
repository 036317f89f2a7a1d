package dev.dropstream.cli;

import java.nio.file.Path;
import org.apache.kafka.common.utils.Exit;

/**
 * Kafka's server ends the process itself on a fatal fault (through {@link Exit}), after logging why to
 * the broker log only. This says so in one sentence on stderr first, so that a user of
 * {@code dropstream broker} does not see it vanish without a word. Writes nothing else.
 */
final class FatalBrokerExit {
    private FatalBrokerExit() {
    }

    static void install(Path brokerLog) {
        String sentence = "dropstream: the Kafka broker stopped on a fatal error; see " + brokerLog + ".";
        Exit.setHaltProcedure((status, message) -> {
            System.err.println(sentence);
            Runtime.getRuntime().halt(status);
        });
        Exit.setExitProcedure((status, message) -> {
            System.err.println(sentence);
            System.exit(status);
        });
    }

    static void uninstall() {
        Exit.resetHaltProcedure();
        Exit.resetExitProcedure();
    }
}
