package dev.dropstream.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;

/**
 * Keeps a long-running command in the foreground until Ctrl-C/SIGTERM (a shutdown hook) or, when the command
 * runs in-process (tests, {@code dropstream up}), an interrupt; either way the service is stopped once.
 */
final class Foreground {
    private Foreground() {
    }

    /** Blocks until stopped; {@code stop} closes the service, {@code what} names it in the last message. */
    static void runUntilStopped(Runnable stop, PrintWriter err, String what) {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.run();
            err.println("dropstream: " + what + " stopped.");
            err.flush();
            stopped.countDown();
        }, "dropstream-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            stop.run();
            err.println("dropstream: " + what + " stopped.");
            err.flush();
            Thread.currentThread().interrupt();
        }
    }
}
