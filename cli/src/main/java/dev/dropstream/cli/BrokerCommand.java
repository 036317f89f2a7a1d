package dev.dropstream.cli;

import dev.dropstream.broker.BrokerStartException;
import dev.dropstream.broker.EmbeddedKafka;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dropstream broker}: runs the embedded single-node Kafka broker in the foreground until Ctrl-C.
 * Writes the broker's data to {@code DATA_DIR/kafka} and its log to {@code DATA_DIR/logs/broker.log};
 * prints the bootstrap address, and nothing else, to stdout.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Runs a single-node Kafka broker (KRaft) in the foreground and prints its bootstrap "
                + "address; Ctrl-C stops it. Its data survives restarts.")
public final class BrokerCommand implements Callable<Integer> {
    static final int DEFAULT_PORT = 9092;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the broker keeps its data and log (default: $XDG_DATA_HOME/dropstream, "
                    + "else ~/.local/share/dropstream).")
    Path dataDir;

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + DEFAULT_PORT,
            description = "The port clients connect to; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--listen", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "The address to listen on (default: ${DEFAULT-VALUE}, loopback only); "
                    + "0.0.0.0 listens everywhere and advertises this host's name.")
    String listen;

    @Override
    @SuppressWarnings("try") // the lock is held, not used, for as long as the broker runs
    public Integer call() {
        if (port < 0 || port > 65_535) {
            throw new ParameterException(spec.commandLine(), "--port must be between 0 and 65535, not " + port);
        }
        Path dir = DataDirs.usable(dataDir != null ? dataDir : DataDirs.defaultDataDir(System.getenv(),
                System.getProperty("user.home")));
        try (FileChannel lockFile = FileChannel.open(dir.resolve("broker.lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = exclusive(lockFile, dir);
                BrokerLog log = BrokerLog.into(DataDirs.usable(dir.resolve("logs")))) {
            EmbeddedKafka kafka = EmbeddedKafka.builder(dir.resolve("kafka"))
                    .listenAddress(listen)
                    .port(port)
                    .build();
            FatalBrokerExit.install(log.file());
            try {
                start(kafka, log);
                return runUntilStopped(kafka, dir, log);
            } finally {
                FatalBrokerExit.uninstall();
            }
        } catch (IOException e) {
            throw new UserError("cannot lock the data directory " + dir + " (" + e.getMessage() + ")", e);
        }
    }

    private static void start(EmbeddedKafka kafka, BrokerLog log) {
        try {
            kafka.start();
        } catch (BrokerStartException e) {
            throw new UserError(e.getMessage() + " (broker log: " + log.file() + ")", e);
        }
    }

    /** Prints the address, then blocks until Ctrl-C (the shutdown hook) or an interrupt stops the broker. */
    private int runUntilStopped(EmbeddedKafka kafka, Path dir, BrokerLog log) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(kafka.bootstrapServers());
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        err.println("dropstream: Kafka broker on " + kafka.bootstrapServers() + ", data in " + dir
                + ", log in " + log.file() + "; Ctrl-C stops it.");
        err.flush();

        Foreground.runUntilStopped(kafka::stop, err, "Kafka broker");
        return 0;
    }

    /** Holds the data directory for this process alone (a broker, or {@code dropstream up}), or says who has it. */
    static FileLock exclusive(FileChannel channel, Path dir) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new UserError("the data directory " + dir + " is in use by another running broker");
        }
        return lock;
    }
}
