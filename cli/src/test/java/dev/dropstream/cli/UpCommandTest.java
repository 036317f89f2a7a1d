package dev.dropstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code dropstream up} says when it cannot start, in one sentence and before any broker runs, and which
 * sources it picks when given no file.
 */
class UpCommandTest {
    private static final String NL = System.lineSeparator();

    @TempDir
    Path tmp;

    @Test
    void aTakenDashboardPortIsOneSentence() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String at = "127.0.0.1:" + taken.getLocalPort();

            CliRun run = CliRun.run("up", "--demo", "--data-dir", tmp.toString(), "--listen", at);

            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.err()).isEqualTo("dropstream: cannot listen on " + at + " (Address already in use); give "
                    + "another --listen HOST:PORT, or :0 for any free port." + NL);
            assertThat(run.out()).isEmpty();
            assertThat(tmp.resolve("kafka")).as("no broker started").doesNotExist();
        }
    }

    @Test
    void aDataDirThatIsAFileIsOneSentence() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");

        CliRun run = CliRun.run("up", "--demo", "--data-dir", file.toString(), "--listen", "127.0.0.1:0");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("dropstream: the data directory " + file + " is a file, not a directory." + NL);
    }

    @Test
    void aDataDirInUseIsOneSentence() throws Exception {
        try (FileChannel channel = FileChannel.open(tmp.resolve("broker.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = channel.lock()) {
            CliRun run = CliRun.run("up", "--demo", "--data-dir", tmp.toString(), "--listen", "127.0.0.1:0");

            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.err()).isEqualTo("dropstream: the data directory " + tmp.toAbsolutePath().normalize()
                    + " is in use by another running broker." + NL);
        }
    }

    @Test
    void badFlagsAreOneSentenceEach() {
        assertThat(CliRun.run("up", "--demo", "--demo-rate", "0").err())
                .isEqualTo("dropstream: --demo-rate must be between 1 and 100000 lines per second, not 0." + NL);
        assertThat(CliRun.run("up", "--demo", "--listen", "localhost").err()).isEqualTo("dropstream: --listen: the "
                + "listen address must be HOST:PORT (such as 127.0.0.1:7070 or :0 for any free port), not 'localhost'."
                + NL);
        assertThat(CliRun.run("up", "--demo", "--broker-port", "70000").err())
                .isEqualTo("dropstream: --broker-port must be between 0 and 65535, not 70000." + NL);
        assertThat(CliRun.run("up", "--demo", "--set", "window.1m.grace=soon").err())
                .isEqualTo("dropstream: window.1m.grace must be a duration such as 500ms, 30s, 10m, 2h or 30d, not "
                        + "'soon'." + NL);
        assertThat(CliRun.run("up", "-").err())
                .isEqualTo("dropstream: dropstream up follows files; use dropstream ship for standard input ('-')." + NL);
    }

    @Test
    void withoutFilesItShipsTheReadableUsualLogsElseTheJournal() throws Exception {
        Path kern = Files.writeString(tmp.resolve("kern.log"), "");
        Path missing = tmp.resolve("messages");

        assertThat(UpSources.choose(List.of("a.log", "/var/log/b*.log"), false, List.of(kern), true))
                .isEqualTo(new UpSources(List.of("a.log", "/var/log/b*.log"), false));
        assertThat(UpSources.choose(List.of(), false, List.of(missing, kern), true))
                .isEqualTo(new UpSources(List.of(kern.toString()), false));
        assertThat(UpSources.choose(List.of(), false, List.of(missing), true)).isEqualTo(new UpSources(List.of(), true));
        assertThat(UpSources.choose(List.of(), true, List.of(kern), true))
                .as("the demo alone").isEqualTo(new UpSources(List.of(), false));
    }

    @Test
    void nothingToReadIsOneSentence() {
        Path missing = tmp.resolve("kern.log");

        assertThatThrownBy(() -> UpSources.choose(List.of(), false, List.of(missing), false))
                .isInstanceOf(UserError.class)
                .hasMessage("there is nothing to read: none of " + missing + " can be read by this user and there is "
                        + "no journalctl; give FILEs, or try --demo");
    }
}
