package dev.dropstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What {@code dropstream ship} says about its sources before it reaches a broker. */
class ShipCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return DropstreamCommand.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Test
    void nothingToShipIsOneSentence() {
        assertThat(run("ship", "--bootstrap-servers", "127.0.0.1:1")).isEqualTo(2);

        assertThat(err.toString()).startsWith("dropstream: give FILEs, '-' (standard input), --kmsg or --journald.");
    }

    @Test
    void standardInputDoesNotMixWithTheKernelSources() {
        assertThat(run("ship", "--bootstrap-servers", "127.0.0.1:1", "--kmsg", "-")).isEqualTo(2);

        assertThat(err.toString()).startsWith("dropstream: '-' (standard input) cannot be mixed with --kmsg or --journald.");
    }

    @Test
    void theKernelSourcesAreInTheHelp() {
        assertThat(run("ship", "--help")).isZero();

        assertThat(out.toString()).contains("--kmsg", "--journald", "[FILE...]");
    }
}
