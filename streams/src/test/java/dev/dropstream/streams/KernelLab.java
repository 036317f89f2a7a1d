package dev.dropstream.streams;

import dev.dropstream.testkit.NetnsLab;
import dev.dropstream.testkit.NetnsLab.KmsgRecord;
import java.util.List;

/**
 * The invalid-packet lab of this module's kernel test, on the testkit's {@link NetnsLab} (namespace, lock,
 * {@code nf_log_all_netns}, skipping where impossible, as {@code ../shared/kernel-lab.md} describes): conntrack's
 * invalid-packet logging on ({@code nf_conntrack_log_invalid=255}) and an nft
 * {@code ct state invalid log prefix "DSLAB-INVALID: " drop} rule on the input hook of a {@code dslab-<random>}
 * namespace.
 */
final class KernelLab implements AutoCloseable {
    /** The LOG prefix of the lab's invalid-state rule. */
    static final String PREFIX = "DSLAB-INVALID: ";

    private final NetnsLab lab;

    private KernelLab(NetnsLab lab) {
        this.lab = lab;
    }

    /** Checks the prerequisites (aborting the test where one is missing) and builds the namespace. */
    static KernelLab open() {
        // The ruleset first: its ct expression loads conntrack for the namespace, which brings the sysctl after it.
        return new KernelLab(NetnsLab.open("dslab", "table inet dslab {\n"
                + "  chain in {\n"
                + "    type filter hook input priority 0; policy accept;\n"
                + "    ct state invalid log prefix \"" + PREFIX + "\" drop\n"
                + "  }\n"
                + "}\n", "echo 255 > /proc/sys/net/netfilter/nf_conntrack_log_invalid"));
    }

    String namespace() {
        return lab.namespace();
    }

    /**
     * Sends {@code count} SYN+FIN packets (an invalid flag combination) from the namespace to 127.0.0.1:{@code port},
     * 100 ms apart, and returns the kernel records about them: conntrack's {@code nf_ct_proto_6: …} reasons and
     * the lab's LOG records, in the kernel's order. Waits until the {@code count} LOG records are there.
     */
    List<KmsgRecord> sendSynFin(int count, int port) {
        long before = NetnsLab.lastSeq(NetnsLab.readKmsg());
        lab.hping3(count, "-S", "-F", "-p", Integer.toString(port), "127.0.0.1");
        return NetnsLab.awaitRecords(before, r -> isAbout(r.message(), port), r -> r.message().startsWith(PREFIX),
                count, "the kernel's records of " + count + " packets to port " + port);
    }

    private static boolean isAbout(String message, int port) {
        return (message.startsWith(PREFIX) || message.startsWith("nf_ct_proto_6: "))
                && message.contains(" SRC=127.0.0.1 DST=127.0.0.1 ") && message.contains(" DPT=" + port + " ");
    }

    /** Deletes the namespace, puts nf_log_all_netns back and releases the lock. */
    @Override
    public void close() {
        lab.close();
    }
}
