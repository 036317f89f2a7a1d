package dev.dropstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.cli.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code dropstream bench topology} says before it starts anything. */
class BenchTopologyCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingCorpusIsOneSentence() {
        Path missing = tmp.resolve("no-corpus");

        CliRun run = CliRun.run("bench", "topology", "--corpus", missing.toString());
        assertThat(run.exit()).isEqualTo(2);

        assertThat(run.err()).startsWith("dropstream: the corpus folder " + missing + " was not found from ")
                .endsWith("or any folder above it; give --corpus DIR." + System.lineSeparator())
                .hasLineCount(1);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anEmptyCorpusIsOneSentence() {
        CliRun run = CliRun.run("bench", "topology", "--corpus", tmp.toString());
        assertThat(run.exit()).isEqualTo(2);

        assertThat(run.err()).isEqualTo("dropstream: the corpus folder " + tmp.toAbsolutePath().normalize()
                + " has no lines in *.log files." + System.lineSeparator());
    }

    @Test
    void aBadCountIsAUsageError() {
        CliRun run = CliRun.run("bench", "topology", "--lines", "0");
        assertThat(run.exit()).isEqualTo(2);

        assertThat(run.err()).startsWith("dropstream: --lines must be at least 1, not 0.")
                .contains("dropstream bench topology --help");
    }

    @Test
    void benchAloneListsItsBenchmarks() {
        CliRun run = CliRun.run("bench");
        assertThat(run.exit()).isZero();

        assertThat(run.out()).contains("topology");
    }
}
