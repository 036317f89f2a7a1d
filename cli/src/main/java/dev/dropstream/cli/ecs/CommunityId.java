package dev.dropstream.cli.ecs;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Community ID v1 flow hashes (https://github.com/corelight/community-id-spec):
 * {@code "1:" + base64(sha1(seed . saddr . daddr . proto . 0 . sport . dport))}, with the endpoints put in
 * order so that both directions of a flow hash alike. TCP, UDP and SCTP hash their ports; ICMP and ICMPv6
 * hash type and code mapped to port-like values the way Zeek does (a request and its reply pair up, other
 * messages are one-way); every other protocol hashes the addresses and protocol only.
 *
 * <p>Not thread-safe (it reuses a digest and a scratch buffer); one instance per thread.
 */
public final class CommunityId {
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMPV6 = 58;
    public static final int SCTP = 132;

    /** ICMP request/reply types that pair up (type → the type of the other direction). */
    private static final int[] ICMP_COUNTERPART = counterparts(new int[][] {
            {8, 0}, {13, 14}, {15, 16}, {10, 9}, {17, 18}});
    /** ICMPv6: echo, MLD query/report, router and neighbour discovery, who-are-you, home-agent discovery. */
    private static final int[] ICMPV6_COUNTERPART = counterparts(new int[][] {
            {128, 129}, {130, 131}, {133, 134}, {135, 136}, {139, 140}, {144, 145}});

    private final int seed;
    private final MessageDigest sha1;
    private final byte[] input = new byte[2 + 16 + 16 + 2 + 4];

    /** With the default seed 0. */
    public CommunityId() {
        this(0);
    }

    public CommunityId(int seed) {
        if (seed < 0 || seed > 0xffff) {
            throw new IllegalArgumentException("a Community ID seed is a 16-bit number, not " + seed);
        }
        this.seed = seed;
        try {
            this.sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    private static int[] counterparts(int[][] pairs) {
        int[] map = new int[256];
        Arrays.fill(map, -1);
        for (int[] p : pairs) {
            map[p[0]] = p[1];
            map[p[1]] = p[0];
        }
        return map;
    }

    /**
     * The Community ID of a packet, or null when the spec does not define one for it (a port protocol
     * without its ports, an ICMP packet without its type and code, addresses of different families).
     *
     * @param src source address, 4 or 16 bytes in network order
     * @param dst destination address, of the same length
     * @param proto IP protocol number
     * @param srcPort source port, or ICMP type; negative when unknown
     * @param dstPort destination port, or ICMP code; negative when unknown
     */
    public String of(byte[] src, byte[] dst, int proto, int srcPort, int dstPort) {
        if (src.length != dst.length || (src.length != 4 && src.length != 16) || proto < 0 || proto > 255) {
            return null;
        }
        boolean icmp = proto == ICMP || proto == ICMPV6;
        boolean ports = icmp || proto == TCP || proto == UDP || proto == SCTP;
        if (ports && (srcPort < 0 || dstPort < 0 || srcPort > 0xffff || dstPort > 0xffff)) {
            return null;
        }
        int sp = srcPort;
        int dp = dstPort;
        boolean oneWay = false;
        if (icmp) {
            int counterpart = srcPort < 256 ? (proto == ICMP ? ICMP_COUNTERPART : ICMPV6_COUNTERPART)[srcPort] : -1;
            if (counterpart >= 0) {
                dp = counterpart;
            } else {
                oneWay = true;
            }
        }
        int order = Arrays.compareUnsigned(src, dst);
        boolean keep = oneWay || order < 0 || (order == 0 && ports && sp < dp);
        return keep ? hash(src, dst, proto, ports, sp, dp) : hash(dst, src, proto, ports, dp, sp);
    }

    private String hash(byte[] a, byte[] b, int proto, boolean ports, int ap, int bp) {
        int n = 0;
        input[n++] = (byte) (seed >>> 8);
        input[n++] = (byte) seed;
        System.arraycopy(a, 0, input, n, a.length);
        n += a.length;
        System.arraycopy(b, 0, input, n, b.length);
        n += b.length;
        input[n++] = (byte) proto;
        input[n++] = 0;
        if (ports) {
            input[n++] = (byte) (ap >>> 8);
            input[n++] = (byte) ap;
            input[n++] = (byte) (bp >>> 8);
            input[n++] = (byte) bp;
        }
        sha1.update(input, 0, n);
        return "1:" + Base64.getEncoder().encodeToString(sha1.digest());
    }
}
