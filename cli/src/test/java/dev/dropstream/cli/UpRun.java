package dev.dropstream.cli;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code dropstream up} running in-process on a thread of its own, as a test starts and stops it: its output is
 * read while it runs, and {@link #stop()} interrupts it as Ctrl-C would stop it.
 */
final class UpRun {
    private static final Pattern KAFKA = Pattern.compile("Kafka on (\\S+),");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Thread thread;

    private UpRun(String... args) {
        StdStreams io = new StdStreams(new ByteArrayInputStream(new byte[0]), out,
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        String[] all = new String[args.length + 1];
        all[0] = "up";
        System.arraycopy(args, 0, all, 1, args.length);
        thread = new Thread(() -> exit.complete(DropstreamCommand.commandLine(io).execute(all)), "dropstream-up-test");
    }

    /** Starts {@code dropstream up ARGS} and returns once it printed the dashboard's URL. */
    static UpRun start(String... args) {
        UpRun run = new UpRun(args);
        run.thread.start();
        await("dropstream up printing its URL").atMost(Duration.ofSeconds(180))
                .failFast("dropstream up ended early: " + run.err(), run.exit::isDone)
                .until(() -> run.out().endsWith("\n"));
        return run;
    }

    URI baseUri() {
        return URI.create(out().strip());
    }

    /** The embedded broker's address, from the start-up sentence. */
    String bootstrapServers() {
        Matcher m = KAFKA.matcher(err());
        if (!m.find()) {
            throw new AssertionError("no broker address in: " + err());
        }
        return m.group(1);
    }

    /** Stops it as Ctrl-C would and returns its exit status. */
    int stop() throws Exception {
        thread.interrupt();
        return exit.get(120, TimeUnit.SECONDS);
    }

    String out() {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    String err() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }
}
