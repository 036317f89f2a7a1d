package dev.dropstream.cli;

import dev.dropstream.cli.bench.BenchCommand;
import dev.dropstream.cli.parse.ParseCommand;
import dev.dropstream.cli.query.QueryCommand;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code dropstream} command; every feature is a subcommand. */
@Command(
        name = "dropstream",
        mixinStandardHelpOptions = true,
        versionProvider = DropstreamCommand.Version.class,
        description = "Turns the netfilter lines Linux kernels write into answers: which rules drop what, "
                + "on which ports, from whom, and why conntrack called a packet INVALID.",
        subcommands = {ParseCommand.class, BrokerCommand.class, StreamsCommand.class, ShipCommand.class,
            QueryCommand.class, BenchCommand.class})
public final class DropstreamCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The command line with Dropstream's error handling: a bad flag is one clear sentence and exit 2. */
    public static CommandLine commandLine() {
        return commandLine(StdStreams.system());
    }

    /**
     * The command line on the given streams: subcommands that take a {@link StdStreams} in their
     * constructor get these, and picocli's own output (usage, errors) goes to them too, as UTF-8.
     */
    public static CommandLine commandLine(StdStreams io) {
        CommandLine cl = new CommandLine(new DropstreamCommand(), new StreamsFactory(io));
        cl.setOut(new PrintWriter(new OutputStreamWriter(io.out(), StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(io.err(), StandardCharsets.UTF_8), true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
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

    /** Creates commands, handing the streams to those whose constructor asks for them. */
    private static final class StreamsFactory implements CommandLine.IFactory {
        private final StdStreams io;

        StreamsFactory(StdStreams io) {
            this.io = io;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                Constructor<K> c = cls.getDeclaredConstructor(StdStreams.class);
                return c.newInstance(io);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }
}
