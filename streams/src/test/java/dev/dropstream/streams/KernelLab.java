package dev.dropstream.streams;

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
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * Makes this machine's own kernel write real netfilter records, as {@code ../shared/kernel-lab.md} describes:
 * a throw-away network namespace ({@code dslab-<random>}, {@code lo} up) with conntrack's invalid-packet logging
 * on ({@code nf_conntrack_log_invalid=255}) and an nft {@code ct state invalid log prefix "DSLAB-INVALID: " drop}
 * rule on the input hook; packets crafted by hping3 inside it; and the kernel records written meanwhile, read
 * back from {@code /dev/kmsg}.
 *
 * <p>Nothing outside the namespace is touched except {@code net.netfilter.nf_log_all_netns} (the kernel drops
 * LOG records of non-initial namespaces without it): set to 1 while the lab is open, put back on {@link #close}.
 * The lab holds an exclusive file lock while open, so two builds on one machine (other worktrees) never
 * interleave their namespaces or the switch.
 *
 * <p>Where the lab cannot run, {@link #open} aborts the calling test (JUnit assumption) with a message naming the
 * missing prerequisite: not Linux, not root, a tool missing, {@code /dev/kmsg} unreadable, no
 * {@code nf_log_all_netns} switch, or {@code ip netns add} refused. Past those checks a failure is a real one.
 */
final class KernelLab implements AutoCloseable {
    /** The LOG prefix of the lab's invalid-state rule. */
    static final String PREFIX = "DSLAB-INVALID: ";
    private static final Path LOG_ALL_NETNS = Path.of("/proc/sys/net/netfilter/nf_log_all_netns");
    private static final Path KMSG = Path.of("/dev/kmsg");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** The tools the lab runs, with the Debian package that has each. */
    private static final Map<String, String> TOOLS = Map.of(
            "ip", "iproute2", "nft", "nftables", "hping3", "hping3", "timeout", "coreutils", "dd", "coreutils");

    /** One /dev/kmsg record: {@code line} as read ({@code PRIO,SEQ,USEC,FLAGS;MESSAGE}), its fields parsed. */
    record KmsgRecord(long seq, long usec, String message, String line) {
        static KmsgRecord parse(String line) {
            int semi = line.indexOf(';');
            String[] f = line.substring(0, semi).split(",");
            return new KmsgRecord(Long.parseLong(f[1]), Long.parseLong(f[2]), line.substring(semi + 1), line);
        }
    }

    private final Map<String, String> tools;
    private final String namespace = String.format(Locale.ROOT, "dslab-%08x", ThreadLocalRandom.current().nextInt());
    private final Thread onExit = new Thread(this::closeQuietly, "kernel-lab-cleanup");
    private FileChannel lockFile;
    private FileLock lock;
    private boolean namespaceAdded;
    private String savedLogAllNetns;
    private boolean closed;

    private KernelLab(Map<String, String> tools) {
        this.tools = tools;
    }

    /** Checks the prerequisites (aborting the test where one is missing) and builds the namespace. */
    static KernelLab open() {
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
        KernelLab lab = new KernelLab(tools);
        try {
            lab.lock();
            lab.build();
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

    String namespace() {
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

    private void build() {
        Runtime.getRuntime().addShutdownHook(onExit);
        Result add = run(tools.get("ip"), "netns", "add", namespace);
        Assumptions.assumeTrue(add.exit == 0, () -> "kernel lab: network namespaces are unavailable here: `ip netns add "
                + namespace + "` exited with " + add.exit + ": " + add.err.strip());
        namespaceAdded = true;
        check(run(tools.get("ip"), "-n", namespace, "link", "set", "lo", "up"));
        // The ruleset first: its ct expression loads conntrack for the namespace, which brings the sysctl below.
        check(run(List.of(tools.get("ip"), "netns", "exec", namespace, tools.get("nft"), "-f", "-"),
                "table inet dslab {\n"
                        + "  chain in {\n"
                        + "    type filter hook input priority 0; policy accept;\n"
                        + "    ct state invalid log prefix \"" + PREFIX + "\" drop\n"
                        + "  }\n"
                        + "}\n"));
        // /proc/sys/net shows the namespace of the process that opens it: the shell's, inside the namespace.
        check(run(tools.get("ip"), "netns", "exec", namespace, "sh", "-c",
                "echo 255 > /proc/sys/net/netfilter/nf_conntrack_log_invalid"));
        String old = read(LOG_ALL_NETNS).strip();
        if (!old.equals("1")) {
            savedLogAllNetns = old;
            write(LOG_ALL_NETNS, "1");
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

    /**
     * Sends {@code count} SYN+FIN packets (an invalid flag combination) from the namespace to 127.0.0.1:{@code port},
     * 100 ms apart, and returns the kernel records about them: conntrack's {@code nf_ct_proto_6: …} reasons and
     * the lab's LOG records, in the kernel's order. Waits until the {@code count} LOG records are there.
     */
    List<KmsgRecord> sendSynFin(int count, int port) {
        long before = lastSeq(readKmsg());
        Result sent = run(tools.get("ip"), "netns", "exec", namespace, tools.get("timeout"), "20", tools.get("hping3"),
                "-c", Integer.toString(count), "-i", "u100000", "-S", "-F", "-p", Integer.toString(port), "127.0.0.1");
        if (!(sent.out + sent.err).contains(count + " packets transmitted")) { // hping3 exits 1: no replies
            throw new IllegalStateException("hping3 did not send " + count + " packets (exit " + sent.exit + "): "
                    + sent.out + sent.err);
        }
        List<KmsgRecord> ours = new ArrayList<>();
        try {
            await("the kernel's records of " + count + " packets to port " + port).atMost(Duration.ofSeconds(10))
                    .pollInSameThread().pollInterval(Duration.ofMillis(100)).until(() -> {
                        ours.clear();
                        for (KmsgRecord r : readKmsg()) {
                            if (r.seq > before && isAbout(r.message, port)) {
                                ours.add(r);
                            }
                        }
                        return ours.stream().filter(r -> r.message.startsWith(PREFIX)).count() >= count;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the kernel wrote only these records about port " + port + ":\n"
                    + String.join("\n", ours.stream().map(KmsgRecord::line).toList()), e);
        }
        return List.copyOf(ours);
    }

    private static boolean isAbout(String message, int port) {
        return (message.startsWith(PREFIX) || message.startsWith("nf_ct_proto_6: "))
                && message.contains(" SRC=127.0.0.1 DST=127.0.0.1 ") && message.contains(" DPT=" + port + " ");
    }

    /**
     * Every record now in the kernel's ring buffer. A Java read of /dev/kmsg blocks at the end of the buffer and
     * Java cannot seek a character device to its end, so {@code dd iflag=nonblock} reads it instead: one record
     * per read(), and EAGAIN (dd exits 1) at the end. A record lost to ring-buffer overwrite (EPIPE) ends the
     * read early; callers poll, so the next read gets it.
     */
    private List<KmsgRecord> readKmsg() {
        Result r = run(tools.get("dd"), "if=" + KMSG, "iflag=nonblock", "bs=8192", "status=none");
        if (r.exit != 0 && !r.err.contains("Resource temporarily unavailable") && !r.err.contains("Broken pipe")) {
            throw new IllegalStateException("reading /dev/kmsg failed (exit " + r.exit + "): " + r.err.strip());
        }
        List<KmsgRecord> out = new ArrayList<>();
        for (String line : r.out.split("\n")) {
            if (!line.isEmpty() && !line.startsWith(" ") && line.indexOf(';') > 0) { // " KEY=value" continuation lines
                out.add(KmsgRecord.parse(line));
            }
        }
        return out;
    }

    private static long lastSeq(List<KmsgRecord> records) {
        return records.isEmpty() ? -1 : records.get(records.size() - 1).seq;
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

    private record Result(List<String> command, int exit, String out, String err) {
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

    private static long effectiveUid() {
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

    /** The tool's path on PATH or in the sbin directories (Maven may run with a PATH without them). */
    private static String which(String tool) {
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
