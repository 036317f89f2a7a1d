package dev.dropstream.cli.ecs;

import static dev.dropstream.cli.ecs.IptablesFields.number;
import static dev.dropstream.cli.ecs.IptablesFields.string;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.dropstream.schema.ArpPacket;
import dev.dropstream.schema.IpPacket;
import dev.dropstream.schema.LinkLayer;
import dev.dropstream.schema.PacketEvent;
import dev.dropstream.schema.PacketFamily;
import java.io.IOException;
import java.util.Locale;

/**
 * Writes the ECS fields about the two ends of a packet: {@code source.*}, {@code destination.*},
 * {@code network.*} (with the Community ID), {@code related.ip}, and the local socket's {@code user.id}
 * and {@code group.id}. An ARP packet's ends are its sender and target. One instance per thread.
 */
final class Endpoints {
    private final CommunityId communityId = new CommunityId();

    boolean hasBothAddresses(PacketEvent e) {
        return source(e) != null && destination(e) != null;
    }

    void write(JsonGenerator g, PacketEvent e) throws IOException {
        IpPacket p = e.getPacket();
        LinkLayer link = e.getLink();
        String src = source(e);
        String dst = destination(e);
        end(g, "source", src, p == null ? null : p.getSrcPort(), link == null ? null : link.getSourceMac());
        end(g, "destination", dst, p == null ? null : p.getDstPort(), link == null ? null : link.getDestinationMac());
        network(g, e, src, dst);
        if (src != null || dst != null) {
            g.writeObjectFieldStart("related");
            g.writeArrayFieldStart("ip");
            if (src != null) {
                g.writeString(src);
            }
            if (dst != null && !dst.equals(src)) {
                g.writeString(dst);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        id(g, "user", e.getUid());
        id(g, "group", e.getGid());
    }

    private static String source(PacketEvent e) {
        ArpPacket arp = e.getArp();
        return e.getPacket() != null ? e.getPacket().getSrc() : arp != null ? arp.getSenderIp() : null;
    }

    private static String destination(PacketEvent e) {
        ArpPacket arp = e.getArp();
        return e.getPacket() != null ? e.getPacket().getDst() : arp != null ? arp.getTargetIp() : null;
    }

    private static void end(JsonGenerator g, String name, String ip, Integer port, String mac) throws IOException {
        if (ip == null && port == null && mac == null) {
            return;
        }
        g.writeObjectFieldStart(name);
        string(g, "ip", ip);
        number(g, "port", port);
        string(g, "mac", mac == null ? null : mac.replace(':', '-').toUpperCase(Locale.ROOT));
        g.writeEndObject();
    }

    private void network(JsonGenerator g, PacketEvent e, String src, String dst) throws IOException {
        IpPacket p = e.getPacket();
        Integer proto = p == null ? null : p.getProtocolNumber();
        String type = e.getFamily() == PacketFamily.LINK ? null : e.getFamily().name().toLowerCase(Locale.ROOT);
        String direction = direction(e.getInInterface(), e.getOutInterface());
        LinkLayer link = e.getLink();
        Integer vlan = link == null ? null : link.getVlanId();
        if (type == null && p == null && direction == null && vlan == null) {
            return;
        }
        g.writeObjectFieldStart("network");
        string(g, "type", type);
        if (p != null) {
            string(g, "transport", IanaProtocols.transport(proto, p.getProtocol()));
            string(g, "iana_number", proto == null ? null : proto.toString());
            string(g, "community_id", proto == null ? null : communityId(p, proto, src, dst));
        }
        string(g, "direction", direction);
        if (vlan != null) {
            g.writeObjectFieldStart("vlan");
            g.writeStringField("id", vlan.toString());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** From the host's point of view: a packet that came in and goes nowhere, or went out from here. */
    private static String direction(String in, String out) {
        boolean hasIn = in != null && !in.isEmpty();
        boolean hasOut = out != null && !out.isEmpty();
        return hasIn == hasOut ? null : hasIn ? "ingress" : "egress";
    }

    private String communityId(IpPacket p, int proto, String src, String dst) {
        byte[] s = IpLiteral.parse(src);
        byte[] d = IpLiteral.parse(dst);
        if (s == null || d == null) {
            return null;
        }
        boolean icmp = proto == CommunityId.ICMP || proto == CommunityId.ICMPV6;
        Integer a = icmp ? p.getIcmpType() : p.getSrcPort();
        Integer b = icmp ? p.getIcmpCode() : p.getDstPort();
        return communityId.of(s, d, proto, a == null ? -1 : a, b == null ? -1 : b);
    }

    private static void id(JsonGenerator g, String name, Long id) throws IOException {
        if (id != null) {
            g.writeObjectFieldStart(name);
            g.writeStringField("id", id.toString());
            g.writeEndObject();
        }
    }
}
