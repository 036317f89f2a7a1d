package dev.dropstream.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code dropstream ship --once} as its own JVM, started with the options the launcher gives {@code ship}
 * ({@value #OPTIONS}, read from the class path), for its peak resident memory ({@code VmHWM}, sampled every 20 ms
 * from /proc) and its wall time, JVM start included.
 */
final class ShipProcess {
    static final String OPTIONS = "/dev/dropstream/cli/ship.jvm-options";

    /** What one run measured. */
    record Result(long peakRssBytes, double seconds, List<String> jvmOptions) {
    }

    private ShipProcess() {
    }

    /** The launcher's JVM options for {@code ship}, with {@code -Xmx} replaced by {@code maxHeap} when that is given. */
    static List<String> jvmOptions(String maxHeap) {
        List<String> out = new ArrayList<>();
        try (InputStream in = ShipProcess.class.getResourceAsStream(OPTIONS)) {
            if (in == null) {
                throw new IllegalStateException(OPTIONS + " is not on the class path");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String option = line.replaceFirst("#.*", "").strip();
                if (option.isEmpty() || (maxHeap != null && option.startsWith("-Xmx"))) {
                    continue;
                }
                out.add(option);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (maxHeap != null) {
            out.add(0, "-Xmx" + maxHeap);
        }
        return out;
    }

    /** Ships {@code file} to {@code topic} once, its checkpoints in {@code state}; fails when the process does. */
    static Result run(List<String> jvmOptions, String bootstrap, String topic, Path file, Path state)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.dropstream.cli.Main", "ship", "--once",
                "--bootstrap-servers", bootstrap, "--topic", topic, "--data-dir", state.toString(), "--host", "bench",
                file.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long start = System.nanoTime();
        Process p = pb.start();
        long peak = 0;
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        while (p.isAlive()) {
            peak = Math.max(peak, rssKiB(status));
            p.waitFor(20, TimeUnit.MILLISECONDS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (p.exitValue() != 0) {
            throw new IllegalStateException("the separate shipper exited with " + p.exitValue());
        }
        return new Result(peak * 1024, seconds, jvmOptions);
    }

    private static long rssKiB(Path status) {
        try {
            for (String l : Files.readAllLines(status)) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // The process is gone between the check and the read: keep the last sample.
        }
        return 0;
    }
}
