package dev.dropstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code dropstream ship} says about its sources and the addresses it cannot use; none of these reach a broker. */
class ShipCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int ship(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "ship";
        all[1] = "--bootstrap-servers";
        all[2] = "127.0.0.1:1";
        all[3] = "--data-dir";
        all[4] = tmp.toString();
        System.arraycopy(args, 0, all, 5, args.length);
        return DropstreamCommand.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(all);
    }

    private String said() {
        return err.toString().strip();
    }

    @Test
    void nothingToShipIsOneSentence() {
        assertThat(ship()).isEqualTo(2);
        assertThat(said()).isEqualTo("dropstream: give FILEs, '-' (standard input), --kmsg, --journald, --listen-udp "
                + "or --listen-tcp.");
    }

    @Test
    void standardInputDoesNotMixWithTheKernelSources() {
        assertThat(ship("--kmsg", "-")).isEqualTo(2);
        assertThat(said()).isEqualTo("dropstream: '-' (standard input) cannot be mixed with --kmsg, --journald, "
                + "--listen-udp or --listen-tcp.");
    }

    @Test
    void everySourceIsInTheHelp() {
        assertThat(DropstreamCommand.commandLine().setOut(new PrintWriter(out, true)).execute("ship", "--help"))
                .isZero();
        assertThat(out.toString()).contains("--kmsg", "--journald", "--listen-udp", "--listen-tcp", "--buffer-bytes",
                "--spool-bytes", "--metrics-listen", "[FILE...]");
    }

    @Test
    void aBadAddressIsOneSentence() {
        assertThat(ship("--listen-udp", "514")).isEqualTo(2);
        assertThat(said()).isEqualTo("dropstream: --listen-udp: '514' is not HOST:PORT.");
        err.getBuffer().setLength(0);
        assertThat(ship("--listen-tcp", "127.0.0.1:70000")).isEqualTo(2);
        assertThat(said()).isEqualTo("dropstream: --listen-tcp: the port in '127.0.0.1:70000' is not between 0 and "
                + "65535.");
        err.getBuffer().setLength(0);
        assertThat(ship("--listen-tcp", "no-such-host.invalid:514")).isEqualTo(2);
        assertThat(said()).isEqualTo("dropstream: --listen-tcp: the host in 'no-such-host.invalid:514' cannot be "
                + "resolved.");
    }

    @Test
    void aPortInUseIsOneSentence() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String at = "127.0.0.1:" + taken.getLocalPort();
            assertThat(ship("--listen-tcp", at)).isEqualTo(2);
            assertThat(said()).startsWith("dropstream: cannot listen for syslog on TCP " + at + " (")
                    .doesNotContain("\n");
            err.getBuffer().setLength(0);
            assertThat(ship("--listen-udp", "127.0.0.1:0", "--metrics-listen", at)).isEqualTo(2);
            assertThat(said()).startsWith("dropstream: cannot serve metrics on " + at + " (").doesNotContain("\n");
        }
    }

    @Test
    void standardInputAndOnceDoNotGoWithListeners() {
        assertThat(ship("--listen-udp", "127.0.0.1:0", "-")).isEqualTo(2);
        assertThat(said()).isEqualTo("dropstream: '-' (standard input) cannot be mixed with --kmsg, --journald, "
                + "--listen-udp or --listen-tcp.");
        err.getBuffer().setLength(0);
        assertThat(ship("--listen-udp", "127.0.0.1:0", "--once")).isEqualTo(2);
        assertThat(said()).isEqualTo("dropstream: --once reads files to their end and stops; it cannot be used with "
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
        assertThat(ship("--listen-udp", "127.0.0.1:0", "--spool-bytes", "lots")).isEqualTo(2);
        assertThat(said()).startsWith("dropstream: Invalid value for option '--spool-bytes': 'lots' is not a size");
    }
}
