package dev.dropstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.cli.DropstreamCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code dropstream bench topology} in-process on a small input, with its own embedded broker: a smoke test
 * of the whole harness. It checks that the table is there and the rates are positive, never how fast anything is.
 */
class BenchTopologyCommandIT {
    private static final Pattern ROW =
            Pattern.compile("^(full|minimal) +(\\S+) +([0-9,]+) +([0-9.]+) +([0-9.]+) +([0-9.]+) +([0-9,]+)$");

    @Test
    void measuresBothTopologiesAndPrintsTheTable() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String corpus = BenchInputTest.corpus().toString();

        int exit = DropstreamCommand.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute("bench", "topology", "--lines", "2000", "--corpus", corpus);

        assertThat(exit).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0).split(" +")).containsExactly("topology", "run", "lines", "seconds", "start-up", "s",
                "app", "cpu", "s", "lines/s");
        double full = rate(lines.get(1), "full");
        double minimal = rate(lines.get(2), "minimal");
        assertThat(full).isPositive();
        assertThat(minimal).isPositive();
        assertThat(lines.get(3)).startsWith("full/minimal: ").contains("exactly_once_v2");
        assertThat(err.toString()).contains("the topology counted").contains("as in the input");
    }

    private static double rate(String row, String topology) {
        Matcher m = ROW.matcher(row);
        assertThat(m.matches()).as(row).isTrue();
        assertThat(m.group(1)).isEqualTo(topology);
        assertThat(m.group(3)).isEqualTo("2,000");
        assertThat(Double.parseDouble(m.group(4))).as("seconds").isPositive();
        return Double.parseDouble(m.group(7).replace(",", ""));
    }
}
