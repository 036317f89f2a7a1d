package dev.dropstream.streams;

import dev.dropstream.schema.IpPacket;
import dev.dropstream.schema.PacketEvent;

/**
 * How the invalid-reason join recognises "the same packet" and "the same flow" in two records of one host:
 * the flow is the protocol and the two endpoints in either order; two records describe the same packet when
 * they also go the same way and carry the same IPv4 ID (or, without one, the same TCP SEQ/ACK).
 */
final class Flows {
    private Flows() {
    }

    /** The direction-free flow of a packet, or null when the record has no IP packet. */
    static String flowKey(PacketEvent e) {
        IpPacket p = e == null ? null : e.getPacket();
        if (p == null) {
            return null;
        }
        String a = endpoint(p.getSrc(), p.getSrcPort());
        String b = endpoint(p.getDst(), p.getDstPort());
        int proto = p.getProtocolNumber() == null ? -1 : p.getProtocolNumber();
        return a.compareTo(b) <= 0 ? proto + "|" + a + "|" + b : proto + "|" + b + "|" + a;
    }

    private static String endpoint(String addr, Integer port) {
        return port == null ? addr : addr + "#" + port;
    }

    /** Whether the two packets go the same way (same source endpoint). */
    static boolean sameDirection(PacketEvent x, PacketEvent y) {
        IpPacket a = x.getPacket();
        IpPacket b = y.getPacket();
        return a.getSrc().equals(b.getSrc()) && java.util.Objects.equals(a.getSrcPort(), b.getSrcPort());
    }

    /** Whether two same-direction records are the same packet, as far as their fields can tell. */
    enum Identity { SAME, DIFFERENT, UNKNOWN }

    /**
     * Equal IPv4 IDs, else equal TCP SEQ and ACK when both records have them: SAME or DIFFERENT. Without
     * either (IPv6 logged without TCP sequence numbers, ICMPv6) the records cannot be told apart: UNKNOWN.
     */
    static Identity identity(PacketEvent x, PacketEvent y) {
        IpPacket a = x.getPacket();
        IpPacket b = y.getPacket();
        if (a.getId() != null && b.getId() != null) {
            return a.getId().equals(b.getId()) ? Identity.SAME : Identity.DIFFERENT;
        }
        if (a.getTcpSeq() != null && b.getTcpSeq() != null) {
            return a.getTcpSeq().equals(b.getTcpSeq()) && java.util.Objects.equals(a.getTcpAck(), b.getTcpAck())
                    ? Identity.SAME : Identity.DIFFERENT;
        }
        return Identity.UNKNOWN;
    }

    /** SAME or UNKNOWN. */
    static boolean samePacket(PacketEvent x, PacketEvent y) {
        return identity(x, y) != Identity.DIFFERENT;
    }
}
