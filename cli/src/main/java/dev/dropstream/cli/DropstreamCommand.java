package dev.dropstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code dropstream} command; every feature is a subcommand. */
@Command(
        name = "dropstream",
        mixinStandardHelpOptions = true,
        versionProvider = DropstreamCommand.Version.class,
        description = "Turns the netfilter lines Linux kernels write into answers: which rules drop what, "
                + "on which ports, from whom, and why conntrack called a packet INVALID.",
        subcommands = {BrokerCommand.class})
public final class DropstreamCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The command line with Dropstream's error handling: a bad flag is one clear sentence and exit 2. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new DropstreamCommand());
        cl.setParameterExceptionHandler(new OneSentenceErrors());
        cl.setExecutionExceptionHandler(new OneSentenceErrors());
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = DropstreamCommand.class.getPackage().getImplementationVersion();
            return new String[] {"dropstream " + (v == null ? "(development build)" : v)};
        }
    }
}
