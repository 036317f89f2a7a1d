package dev.dropstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code dropstream broker} says when it cannot start; none of these reach a broker. */
class BrokerCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aDataDirThatIsAFileIsOneSentence() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");

        CliRun run = CliRun.run("broker", "--data-dir", file.toString());
        assertThat(run.exit()).isEqualTo(2);

        assertThat(run.err()).isEqualTo("dropstream: the data directory " + file
                + " is a file, not a directory." + System.lineSeparator());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aPortOutOfRangeIsAUsageError() {
        CliRun run = CliRun.run("broker", "--data-dir", tmp.toString(), "--port", "70000");
        assertThat(run.exit()).isEqualTo(2);

        assertThat(run.err()).startsWith("dropstream: --port must be between 0 and 65535, not 70000.")
                .contains("dropstream broker --help");
    }

    @Test
    void anUnknownFlagIsAUsageError() {
        CliRun run = CliRun.run("broker", "--prot=1");
        assertThat(run.exit()).isEqualTo(2);

        assertThat(run.err()).isEqualTo("dropstream: Unknown option: '--prot=1'. (see 'dropstream broker --help')"
                + System.lineSeparator());
    }

    @Test
    void theDefaultDataDirFollowsXdg() {
        assertThat(DataDirs.defaultDataDir(Map.of("XDG_DATA_HOME", "/srv/data"), "/home/ana"))
                .isEqualTo(Path.of("/srv/data/dropstream"));
        assertThat(DataDirs.defaultDataDir(Map.of(), "/home/ana"))
                .isEqualTo(Path.of("/home/ana/.local/share/dropstream"));
        assertThat(DataDirs.defaultDataDir(Map.of("XDG_DATA_HOME", "relative"), "/home/ana"))
                .as("a relative XDG_DATA_HOME is ignored, as the spec says")
                .isEqualTo(Path.of("/home/ana/.local/share/dropstream"));
    }
}
