package dev.dropstream.parser;

import dev.dropstream.schema.ConntrackEventKind;
import dev.dropstream.schema.ConntrackReason;
import dev.dropstream.schema.EnvelopeFormat;
import dev.dropstream.schema.PacketFamily;
import dev.dropstream.schema.Verdict;

/**
 * The result of parsing one line, reused from line to line: numbers and byte ranges into the line, so
 * that parsing itself allocates nothing. {@link EventMapper} turns it into the Avro events; the
 * accessors here materialise single values for callers that need only a few.
 *
 * <p>A {@code ParsedLine} is valid until the next parse into it, and only while the parsed bytes are
 * left unchanged.
 */
public final class ParsedLine {
    static final int MAX_EXTRA_TOKENS = 8;
    static final long NO_TIME = Long.MIN_VALUE;

    byte[] buf;
    int lineStart;
    int lineEnd;
    Outcome outcome;

    // Envelope.
    EnvelopeFormat envelope;
    long eventTimeMicros;
    long kernelTimeMicros;
    int hostStart;
    int hostEnd;
    /** A host that is not a range of {@link #buf} (journald JSON). */
    String hostText;

    // Record.
    int prefixStart;
    int prefixEnd;
    /** A prefix that is not one range of the line (pvefw-logger: chain and verdict). */
    String prefixText;
    String prefix;
    Verdict verdict;
    int inStart;
    int inEnd;
    int outStart;
    int outEnd;
    int physInStart;
    int physInEnd;
    int physOutStart;
    int physOutEnd;

    /** 0 no link layer, 1 MAC=, 2 MACDECODE. */
    int linkForm;
    int macStart;
    int macEnd;
    int macSrcStart;
    int macSrcEnd;
    int macDstStart;
    int macDstEnd;
    int etherType;
    int vlanProto;
    int vlanId;
    int tunnelStart;
    int tunnelEnd;

    PacketFamily family;
    final PacketFields packet = new PacketFields();
    /** Whether {@link #packet} was written since its last reset (skipped and link-only lines do not). */
    boolean packetUsed = true;
    final PacketFields quoted = new PacketFields();
    /** Whether {@link #quoted} was written since its last reset (most lines never touch it). */
    boolean quotedUsed = true;

    /** Whether the ARP fields were written since their last reset (few lines are ARP). */
    boolean arpUsed = true;
    int arpHardwareType;
    int arpProtocolType;
    int arpOpcode;
    int arpSenderMacStart;
    int arpSenderMacEnd;
    int arpSenderIpStart;
    int arpSenderIpEnd;
    int arpTargetMacStart;
    int arpTargetMacEnd;
    int arpTargetIpStart;
    int arpTargetIpEnd;
    int arpIncompleteBytes;

    long uid;
    long gid;
    long mark;
    boolean truncated;
    final int[] extraStart = new int[MAX_EXTRA_TOKENS];
    final int[] extraEnd = new int[MAX_EXTRA_TOKENS];
    int extraCount;

    // Conntrack.
    /** Whether the conntrack fields were written since their last reset (few lines are conntrack's). */
    boolean conntrackUsed = true;
    ConntrackEventKind conntrackKind;
    int conntrackProtocol;
    ConntrackReason reason;
    int reasonStart;
    int reasonEnd;
    int tcpStateStart;
    int tcpStateEnd;
    int packetIndex;
    int direction;
    int responseIndex;
    long bound;
    long excessBytes;
    int outerAddrStart;
    int outerAddrEnd;
    int innerAddrStart;
    int innerAddrEnd;
    long netns;
    long suppressedCallbacks;
    /** The conntrack line carried a packet record. */
    boolean conntrackHasPacket;

    // Error or skip reason.
    ParseError error;
    int errorPosition;
    String errorDetail;
    String skipReason;

    void reset(byte[] b, int start, int end) {
        buf = b;
        lineStart = start;
        lineEnd = end;
        outcome = null;
        envelope = EnvelopeFormat.BARE;
        eventTimeMicros = NO_TIME;
        kernelTimeMicros = -1;
        hostStart = hostEnd = -1;
        hostText = null;
        prefixStart = prefixEnd = -1;
        prefixText = null;
        prefix = null;
        verdict = Verdict.UNKNOWN;
        inStart = inEnd = outStart = outEnd = -1;
        physInStart = physInEnd = physOutStart = physOutEnd = -1;
        linkForm = 0;
        macStart = macEnd = macSrcStart = macSrcEnd = macDstStart = macDstEnd = -1;
        etherType = vlanProto = vlanId = -1;
        tunnelStart = tunnelEnd = -1;
        family = PacketFamily.LINK;
        // The groups below are cleared only when the last line wrote them: each reset costs a few dozen
        // stores, and most lines use the packet but neither the quoted packet, ARP nor conntrack.
        if (packetUsed) {
            packet.reset();
            packetUsed = false;
        }
        if (quotedUsed) {
            quoted.reset();
            quotedUsed = false;
        }
        if (arpUsed) {
            resetArp();
            arpUsed = false;
        }
        uid = gid = mark = -1;
        truncated = false;
        extraCount = 0;
        if (conntrackUsed) {
            resetConntrack();
            conntrackUsed = false;
        }
        error = null;
        errorPosition = -1;
        errorDetail = null;
        skipReason = null;
    }

    private void resetArp() {
        arpHardwareType = arpProtocolType = arpOpcode = -1;
        arpSenderMacStart = arpSenderMacEnd = arpSenderIpStart = arpSenderIpEnd = -1;
        arpTargetMacStart = arpTargetMacEnd = arpTargetIpStart = arpTargetIpEnd = -1;
        arpIncompleteBytes = -1;
    }

    private void resetConntrack() {
        conntrackKind = null;
        conntrackProtocol = -1;
        reason = null;
        reasonStart = reasonEnd = -1;
        tcpStateStart = tcpStateEnd = -1;
        packetIndex = direction = responseIndex = -1;
        bound = excessBytes = -1;
        outerAddrStart = outerAddrEnd = innerAddrStart = innerAddrEnd = -1;
        netns = -1;
        suppressedCallbacks = -1;
        conntrackHasPacket = false;
    }

    /** What the line was. */
    public Outcome outcome() {
        return outcome;
    }

    /** For {@link Outcome#ERROR}: what went wrong. */
    public ParseError error() {
        return error;
    }

    /** For {@link Outcome#ERROR}: the byte offset in the line where parsing failed. */
    public int errorPosition() {
        return errorPosition < 0 ? -1 : errorPosition - lineStart;
    }

    /** For {@link Outcome#ERROR}: one sentence that says what was wrong and where. */
    public String errorMessage() {
        if (error == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(error.description());
        if (errorDetail != null) {
            sb.append(": ").append(errorDetail);
        }
        if (errorPosition >= 0) {
            sb.append(" at byte ").append(errorPosition - lineStart);
        }
        return sb.toString();
    }

    /** For {@link Outcome#SKIPPED}: why the line is not a netfilter record. */
    public String skipReason() {
        return skipReason;
    }

    /** The envelope the record came in. */
    public EnvelopeFormat envelope() {
        return envelope;
    }

    /** The origin host named by the envelope, or null. */
    public String host() {
        if (hostText != null) {
            return hostText;
        }
        return hostStart < 0 ? null : Text.ascii(buf, hostStart, hostEnd);
    }

    /** Event time from the envelope in microseconds since the epoch, or null. */
    public Long eventTimeMicros() {
        return eventTimeMicros == NO_TIME ? null : eventTimeMicros;
    }

    /** The prefix as written. */
    public String prefix() {
        return prefix;
    }

    /** The verdict derived from the prefix. */
    public Verdict verdict() {
        return verdict;
    }

    /** Whether the record ended early (see {@code PacketEvent.truncated}). */
    public boolean truncated() {
        return truncated;
    }

    /** The conntrack reason, for an invalid-packet line. */
    public ConntrackReason reason() {
        return reason;
    }

    /** The kind of conntrack line, for {@link Outcome#CONNTRACK}. */
    public ConntrackEventKind conntrackKind() {
        return conntrackKind;
    }

    /** Destination port of the logged packet, or -1. */
    public int dstPort() {
        return packet.dstPort;
    }

    /** The logged packet's protocol number, or -1. */
    public int protocolNumber() {
        return packet.protocolNumber;
    }
}
