package dev.dropstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.cli.CliRun;
import org.junit.jupiter.api.Test;

/** What {@code dropstream bench ship} says before it starts anything, and how it sums its rounds up. */
class BenchShipCommandTest {
    @Test
    void noRoundsIsOneSentence() {
        CliRun run = CliRun.run("bench", "ship", "--runs", "0");
        assertThat(run.exit()).isEqualTo(2);

        assertThat(run.err()).startsWith("dropstream: --lines, --hosts, --partitions and --runs must be positive");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void theFiguresAreMediansOfTheRounds() {
        assertThat(BenchShipCommand.median(new double[] {3.0, 1.0, 2.0})).isEqualTo(2.0);
        assertThat(BenchShipCommand.median(new double[] {4.0, 1.0, 3.0, 2.0})).isEqualTo(2.5);
        assertThat(BenchShipCommand.median(new double[] {0.7})).isEqualTo(0.7);
    }
}
