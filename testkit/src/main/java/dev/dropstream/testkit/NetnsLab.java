package dev.dropstream.testkit;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * Makes this machine's own kernel write real netfilter records, as {@code ../shared/kernel-lab.md} describes: a
 * throw-away network namespace ({@code <prefix>-<random>}, {@code lo} up) with the caller's nft ruleset, packets
 * crafted by hping3 inside it, and the kernel records written meanwhile, read back from {@code /dev/kmsg}.
 *
 * <p>Nothing outside the namespace is touched except {@code net.netfilter.nf_log_all_netns} (the kernel drops LOG
 * records of non-initial namespaces without it): set to 1 while the lab is open, put back on {@link #close}. The lab
 * holds an exclusive file lock ({@code /run/lock/dropstream-kernel-lab.lock}) while open, so two builds on one
 * machine (other worktrees, other modules) never interleave their namespaces or the switch.
 *
 * <p>Where the lab cannot run, {@link #open} aborts the calling test (JUnit assumption) with a message naming the
 * missing prerequisite: not Linux, not root, a tool missing, {@code /dev/kmsg} unreadable, no
 * {@code nf_log_all_netns} switch, or {@code ip netns add} refused. Past those checks a failure is a real one.
 */
public final class NetnsLab implements AutoCloseable {
    private static final Path LOG_ALL_NETNS = Path.of("/proc/sys/net/netfilter/nf_log_all_netns");
    private static final Path KMSG = Path.of("/dev/kmsg");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** The tools the lab runs, with the Debian package that has each. */
    private static final Map<String, String> TOOLS = Map.of(
            "ip", "iproute2", "nft", "nftables", "hping3", "hping3", "timeout", "coreutils", "dd", "coreutils");

    /** One /dev/kmsg record: {@code line} as read ({@code PRIO,SEQ,USEC,FLAGS;MESSAGE}), its fields parsed. */
    public record KmsgRecord(long seq, long usec, String message, String line) {
        public static KmsgRecord parse(String line) {
            int semi = line.indexOf(';');
            String[] f = line.substring(0, semi).split(",");
            return new KmsgRecord(Long.parseLong(f[1]), Long.parseLong(f[2]), line.substring(semi + 1), line);
        }
    }

    /** A finished command: its exit status and output. */
    public record Result(List<String> command, int exit, String out, String err) {
    }

    private final Map<String, String> tools;
    private final String namespace;
    private final Thread onExit = new Thread(this::closeQuietly, "kernel-lab-cleanup");
    private FileChannel lockFile;
    private FileLock lock;
    private boolean namespaceAdded;
    private String savedLogAllNetns;
    private boolean closed;

    private NetnsLab(Map<String, String> tools, String prefix) {
        this.tools = tools;
        this.namespace = String.format(Locale.ROOT, "%s-%08x", prefix, ThreadLocalRandom.current().nextInt());
    }

    /**
     * Checks the prerequisites (aborting the test where one is missing), takes the lock, builds the namespace
     * {@code <prefix>-<random>} with {@code lo} up, loads {@code ruleset} (nft syntax) in it, runs each of
     * {@code setup} there ({@code sh -c}; {@code /proc/sys/net} there is the namespace's) and sets
     * {@code nf_log_all_netns} to 1.
     */
    public static NetnsLab open(String prefix, String ruleset, String... setup) {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"),
                "kernel lab: needs Linux, this is " + System.getProperty("os.name"));
        long uid = effectiveUid();
        Assumptions.assumeTrue(uid == 0, "kernel lab: needs root (network namespaces, nft, raw sockets), running as uid " + uid);
        Map<String, String> tools = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        TOOLS.forEach((tool, pkg) -> {
            String path = which(tool);
            if (path == null) {
                missing.add(tool + " (package " + pkg + ")");
            } else {
                tools.put(tool, path);
            }
        });
        Assumptions.assumeTrue(missing.isEmpty(), () -> "kernel lab: missing " + String.join(", ", missing)
                + "; .ci/run installs them");
        Assumptions.assumeTrue(Files.isReadable(KMSG), "kernel lab: /dev/kmsg is not readable");
        Assumptions.assumeTrue(Files.isWritable(LOG_ALL_NETNS), "kernel lab: no writable " + LOG_ALL_NETNS
                + " (without it the kernel drops LOG records written in other namespaces)");
        NetnsLab lab = new NetnsLab(tools, prefix);
        try {
            lab.lock();
            lab.build(ruleset, setup);
            return lab;
        } catch (RuntimeException | Error e) {
            try {
                lab.close();
            } catch (RuntimeException c) {
                e.addSuppressed(c);
            }
            throw e;
        }
    }

    public String namespace() {
        return namespace;
    }

    private void lock() {
        Path dir = Files.isDirectory(Path.of("/run/lock")) ? Path.of("/run/lock") : Path.of("/tmp");
        try {
            lockFile = FileChannel.open(dir.resolve("dropstream-kernel-lab.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await("the kernel lab's lock (another build on this machine is using the lab)").atMost(Duration.ofMinutes(2))
                .pollInSameThread().pollInterval(Duration.ofMillis(200)).until(() -> {
                    try {
                        lock = lockFile.tryLock();
                    } catch (OverlappingFileLockException e) {
                        lock = null; // another test of this JVM holds it
                    }
                    return lock != null;
                });
    }

    private void build(String ruleset, String... setup) {
        Runtime.getRuntime().addShutdownHook(onExit);
        Result add = run(tools.get("ip"), "netns", "add", namespace);
        Assumptions.assumeTrue(add.exit == 0, () -> "kernel lab: network namespaces are unavailable here: `ip netns add "
                + namespace + "` exited with " + add.exit + ": " + add.err.strip());
        namespaceAdded = true;
        check(run(tools.get("ip"), "-n", namespace, "link", "set", "lo", "up"));
        check(run(List.of(tools.get("ip"), "netns", "exec", namespace, tools.get("nft"), "-f", "-"), ruleset));
        for (String command : setup) {
            execChecked("sh", "-c", command);
        }
        String old = read(LOG_ALL_NETNS).strip();
        if (!old.equals("1")) {
            savedLogAllNetns = old;
            write(LOG_ALL_NETNS, "1");
        }
    }

    /** Runs {@code command} inside the namespace and fails when it exits non-zero. */
    public Result execChecked(String... command) {
        Result r = exec(command);
        check(r);
        return r;
    }

    /** Runs {@code command} inside the namespace ({@code ip netns exec}); a lab tool's name is replaced by its path. */
    public Result exec(String... command) {
        List<String> c = new ArrayList<>(List.of(tools.get("ip"), "netns", "exec", namespace));
        for (String s : command) {
            c.add(c.size() == 4 ? tools.getOrDefault(s, s) : s);
        }
        return run(c, null);
    }

    /**
     * Sends {@code count} packets with hping3 from inside the namespace, 100 ms apart ({@code args}: its flags and
     * the target, e.g. {@code -S -p 4444 127.0.0.1}), bounded by {@code timeout 20}; fails unless all were sent.
     */
    public void hping3(int count, String... args) {
        List<String> c = new ArrayList<>(List.of("timeout", "20", tools.get("hping3"), "-c", Integer.toString(count),
                "-i", "u100000"));
        c.addAll(List.of(args));
        Result sent = exec(c.toArray(String[]::new));
        if (!(sent.out + sent.err).contains(count + " packets transmitted")) { // hping3 exits 1: no replies
            throw new IllegalStateException("hping3 did not send " + count + " packets (exit " + sent.exit + "): "
                    + sent.out + sent.err);
        }
    }

    /**
     * The records after sequence number {@code after} that {@code about} accepts, in the kernel's order, waiting (10 s
     * at most, else an {@link AssertionError} listing what came) until {@code count} of them match {@code counted}.
     */
    public static List<KmsgRecord> awaitRecords(long after, Predicate<KmsgRecord> about, Predicate<KmsgRecord> counted,
            int count, String what) {
        List<KmsgRecord> ours = new ArrayList<>();
        try {
            await(what).atMost(Duration.ofSeconds(10)).pollInSameThread().pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        ours.clear();
                        for (KmsgRecord r : readKmsg()) {
                            if (r.seq() > after && about.test(r)) {
                                ours.add(r);
                            }
                        }
                        return ours.stream().filter(counted).count() >= count;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the kernel wrote only these records of " + what + ":\n"
                    + String.join("\n", ours.stream().map(KmsgRecord::line).toList()), e);
        }
        return List.copyOf(ours);
    }

    /**
     * Every record now in the kernel's ring buffer. A Java read of /dev/kmsg blocks at the end of the buffer and
     * Java cannot seek a character device to its end, so {@code dd iflag=nonblock} reads it instead: one record per
     * read(), and EAGAIN (dd exits 1) at the end. A record lost to ring-buffer overwrite (EPIPE) ends the read early;
     * callers poll, so the next read gets it. Continuation lines (the record's dictionary) are left out.
     */
    public static List<KmsgRecord> readKmsg() {
        String dd = which("dd");
        if (dd == null) {
            throw new IllegalStateException("dd (coreutils) is missing");
        }
        Result r = run(dd, "if=" + KMSG, "iflag=nonblock", "bs=8192", "status=none");
        if (r.exit != 0 && !r.err.contains("Resource temporarily unavailable") && !r.err.contains("Broken pipe")) {
            throw new IllegalStateException("reading /dev/kmsg failed (exit " + r.exit + "): " + r.err.strip());
        }
        List<KmsgRecord> out = new ArrayList<>();
        for (String line : r.out.split("\n")) {
            if (!line.isEmpty() && !line.startsWith(" ") && line.indexOf(';') > 0) {
                out.add(KmsgRecord.parse(line));
            }
        }
        return out;
    }

    /** The sequence number of the last record, -1 when there is none. */
    public static long lastSeq(List<KmsgRecord> records) {
        return records.isEmpty() ? -1 : records.get(records.size() - 1).seq();
    }

    /** Deletes the namespace, puts nf_log_all_netns back and releases the lock; each even if another fails. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        attempt(failures, () -> {
            if (namespaceAdded) {
                check(run(tools.get("ip"), "netns", "del", namespace));
            }
        });
        attempt(failures, () -> {
            if (savedLogAllNetns != null) {
                write(LOG_ALL_NETNS, savedLogAllNetns);
            }
        });
        attempt(failures, () -> {
            if (lockFile != null) {
                try {
                    lockFile.close(); // releases the lock
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // shutting down already (this is the hook), or the hook was never added
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    private static void attempt(List<RuntimeException> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("kernel lab cleanup: " + e.getMessage());
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path p, String value) {
        try {
            Files.writeString(p, value);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + p, e);
        }
    }

    private static void check(Result r) {
        if (r.exit != 0) {
            throw new IllegalStateException("kernel lab: `" + String.join(" ", r.command) + "` exited with " + r.exit
                    + ": " + r.err.strip());
        }
    }

    private static Result run(String... command) {
        return run(List.of(command), null);
    }

    /** Runs a command to completion (killed after {@link #COMMAND_TIMEOUT}); output through files, never a full pipe. */
    private static Result run(List<String> command, String stdin) {
        File out = null;
        File err = null;
        Process p = null;
        try {
            out = File.createTempFile("kernel-lab", ".out");
            err = File.createTempFile("kernel-lab", ".err");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out).redirectError(err);
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            p = pb.start();
            if (stdin != null) {
                try (var in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("kernel lab: " + String.join(" ", command) + " still running after "
                        + COMMAND_TIMEOUT.toSeconds() + " s");
            }
            return new Result(command, p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
            if (out != null) {
                out.delete();
            }
            if (err != null) {
                err.delete();
            }
        }
    }

    /** The effective uid of this process, -1 when unknown. */
    public static long effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.split("\\s+")[2]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: unknown
        }
        return -1;
    }

    /** The tool's path on PATH or in the sbin directories (Maven may run with a PATH without them), or null. */
    public static String which(String tool) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String d : dirs) {
            if (!d.isEmpty()) {
                Path p = Path.of(d, tool);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        return null;
    }
}
