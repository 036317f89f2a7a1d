package dev.dropstream.parser;

import static dev.dropstream.parser.Text.lit;

/**
 * A cheap test of whether a line can be a netfilter or conntrack record at all, for shippers that send only
 * those ({@code dropstream ship --only-netfilter}): it looks for the tokens every such record has, without
 * parsing. False positives are fine (the topology skips them); it never says no to a record the parser reads.
 */
public final class Recognizer {
    private static final byte[] IN = lit("IN=");
    private static final byte[] PROTO = lit("PROTO=");
    private static final byte[] NF_CT = lit("nf_ct_");
    private static final byte[] NF_CONNTRACK = lit("nf_conntrack");
    private static final byte[] NET_RATELIMIT = lit("net_ratelimit");
    private static final byte[] SRC = lit("SRC=");

    private Recognizer() {
    }

    /** Whether {@code b[off..off+len)} may be a record the parser reads (or a fragment it reports). */
    public static boolean mayBeNetfilter(byte[] b, int off, int len) {
        int end = off + len;
        return Text.indexOf(b, off, end, IN) >= 0 || Text.indexOf(b, off, end, PROTO) >= 0
                || Text.indexOf(b, off, end, SRC) >= 0 || Text.indexOf(b, off, end, NF_CT) >= 0
                || Text.indexOf(b, off, end, NF_CONNTRACK) >= 0 || Text.indexOf(b, off, end, NET_RATELIMIT) >= 0;
    }
}
