package dev.dropstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code dropstream ship} says about its sources and the addresses it cannot use; none of these reach a broker. */
class ShipCommandTest {
    @TempDir
    Path tmp;

    /** Runs {@code dropstream ship} with the given arguments, expects the usage-error exit and returns what it said. */
    private String refused(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "ship";
        all[1] = "--bootstrap-servers";
        all[2] = "127.0.0.1:1";
        all[3] = "--data-dir";
        all[4] = tmp.toString();
        System.arraycopy(args, 0, all, 5, args.length);
        CliRun run = CliRun.run(all);
        assertThat(run.exit()).as("exit status of %s", String.join(" ", args)).isEqualTo(2);
        return run.err().strip();
    }

    @Test
    void nothingToShipIsOneSentence() {
        assertThat(refused())
                .isEqualTo("dropstream: give FILEs, '-' (standard input), --kmsg, --journald, --listen-udp "
                        + "or --listen-tcp.");
    }

    @Test
    void standardInputDoesNotMixWithTheKernelSources() {
        assertThat(refused("--kmsg", "-"))
                .isEqualTo("dropstream: '-' (standard input) cannot be mixed with --kmsg, --journald, "
                        + "--listen-udp or --listen-tcp.");
    }

    @Test
    void everySourceIsInTheHelp() {
        CliRun help = CliRun.run("ship", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--kmsg", "--journald", "--listen-udp", "--listen-tcp", "--buffer-bytes",
                "--spool-bytes", "--metrics-listen", "--read-compressed", "[FILE...]");
    }

    @Test
    void aBadAddressIsOneSentence() {
        assertThat(refused("--listen-udp", "514"))
                .isEqualTo("dropstream: --listen-udp: '514' is not HOST:PORT.");
        assertThat(refused("--listen-tcp", "127.0.0.1:70000"))
                .isEqualTo("dropstream: --listen-tcp: the port in '127.0.0.1:70000' is not between 0 and "
                        + "65535.");
        assertThat(refused("--listen-tcp", "no-such-host.invalid:514"))
                .isEqualTo("dropstream: --listen-tcp: the host in 'no-such-host.invalid:514' cannot be "
                        + "resolved.");
    }

    @Test
    void aPortInUseIsOneSentence() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String at = "127.0.0.1:" + taken.getLocalPort();
            assertThat(refused("--listen-tcp", at))
                    .startsWith("dropstream: cannot listen for syslog on TCP " + at + " (")
                    .doesNotContain("\n");
            assertThat(refused("--listen-udp", "127.0.0.1:0", "--metrics-listen", at))
                    .startsWith("dropstream: cannot serve metrics on " + at + " (")
                    .doesNotContain("\n");
        }
    }

    @Test
    void standardInputAndOnceDoNotGoWithListeners() {
        assertThat(refused("--listen-udp", "127.0.0.1:0", "-"))
                .isEqualTo("dropstream: '-' (standard input) cannot be mixed with --kmsg, --journald, "
                        + "--listen-udp or --listen-tcp.");
        assertThat(refused("--listen-udp", "127.0.0.1:0", "--once"))
                .isEqualTo("dropstream: --once reads files to their end and stops; it cannot be used with "
                        + "--listen-udp or --listen-tcp.");
    }

    @Test
    void sizesTakeBinarySuffixes() {
        ShipCommand.ByteSize size = new ShipCommand.ByteSize();
        assertThat(size.convert("1048576")).isEqualTo(1L << 20);
        assertThat(size.convert("512KiB")).isEqualTo(512L << 10);
        assertThat(size.convert("16MiB")).isEqualTo(16L << 20);
        assertThat(size.convert("16m")).isEqualTo(16L << 20);
        assertThat(size.convert("2G")).isEqualTo(2L << 30);
        assertThat(refused("--listen-udp", "127.0.0.1:0", "--spool-bytes", "lots"))
                .startsWith("dropstream: Invalid value for option '--spool-bytes': 'lots' is not a size");
    }
}
