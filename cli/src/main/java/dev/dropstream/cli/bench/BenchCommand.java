package dev.dropstream.cli.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dropstream bench}: the end-to-end benchmarks; each is a subcommand. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "End-to-end benchmarks against a real Kafka broker (the JMH parser benchmarks are in the "
                + "benchmarks module).",
        subcommands = {BenchTopologyCommand.class, BenchShipCommand.class})
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
