package dev.dropstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.cli.DropstreamCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code dropstream bench ship} in-process on a small input with its own embedded broker: a smoke test of the
 * harness (both senders, the separate shipper process and its memory sample). It never checks how fast.
 */
class BenchShipCommandIT {
    @Test
    void measuresTheShipperAndTheBareProducer() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = DropstreamCommand.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute("bench", "ship", "--lines", "3000", "--corpus", BenchInputTest.corpus().toString());

        assertThat(exit).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0).split(" +")).containsExactly("sender", "lines", "seconds", "lines/s", "MB/s");
        assertThat(lines.get(1)).matches("shipper +3,000 +[0-9.]+ +[0-9,]+ +[0-9.]+");
        assertThat(lines.get(2)).matches("producer +3,000 +[0-9.]+ +[0-9,]+ +[0-9.]+");
        assertThat(lines.get(3)).matches("shipper/producer: [0-9.]+ .*");
        assertThat(lines.get(4)).matches("shipper process .*peak RSS [1-9][0-9]* MiB .*[0-9.]+ s .*JVM options: .*")
                .contains(String.join(" ", ShipProcess.jvmOptions(null)));
    }
}
