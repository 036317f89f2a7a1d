package dev.dropstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.cli.DropstreamCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code dropstream bench topology} says before it starts anything. */
class BenchTopologyCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return DropstreamCommand.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Test
    void aMissingCorpusIsOneSentence() {
        Path missing = tmp.resolve("no-corpus");

        assertThat(run("bench", "topology", "--corpus", missing.toString())).isEqualTo(2);

        assertThat(err.toString()).startsWith("dropstream: the corpus folder " + missing + " was not found from ")
                .endsWith("or any folder above it; give --corpus DIR." + System.lineSeparator())
                .hasLineCount(1);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anEmptyCorpusIsOneSentence() {
        assertThat(run("bench", "topology", "--corpus", tmp.toString())).isEqualTo(2);

        assertThat(err.toString()).isEqualTo("dropstream: the corpus folder " + tmp.toAbsolutePath().normalize()
                + " has no lines in *.log files." + System.lineSeparator());
    }

    @Test
    void aBadCountIsAUsageError() {
        assertThat(run("bench", "topology", "--lines", "0")).isEqualTo(2);

        assertThat(err.toString()).startsWith("dropstream: --lines must be at least 1, not 0.")
                .contains("dropstream bench topology --help");
    }

    @Test
    void benchAloneListsItsBenchmarks() {
        assertThat(run("bench")).isZero();

        assertThat(out.toString()).contains("topology");
    }
}
