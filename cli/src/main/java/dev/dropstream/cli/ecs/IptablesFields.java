package dev.dropstream.cli.ecs;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.dropstream.schema.ArpPacket;
import dev.dropstream.schema.IpPacket;
import dev.dropstream.schema.LinkLayer;
import dev.dropstream.schema.PacketEvent;
import dev.dropstream.schema.TcpFlag;
import java.io.IOException;
import java.util.List;

/**
 * Writes the {@code iptables} object of an ECS event with the fields, names and types that Filebeat's
 * iptables module documents ({@code x-pack/filebeat/module/iptables/log/_meta/fields.yml}), so that
 * dashboards built on that module read our events. Absent values are left out.
 */
final class IptablesFields {
    private IptablesFields() {
    }

    static void write(JsonGenerator g, PacketEvent e, UbiquitiLabel label) throws IOException {
        g.writeObjectFieldStart("iptables");
        LinkLayer link = e.getLink();
        if (link != null) {
            number(g, "ether_type", link.getEtherType());
        }
        string(g, "input_device", e.getInInterface());
        string(g, "output_device", e.getOutInterface());
        IpPacket p = e.getPacket();
        if (p != null) {
            ip(g, p);
        }
        ArpPacket arp = e.getArp();
        if (arp != null) {
            number(g, "incomplete_bytes", arp.getIncompleteBytes());
        }
        if (label != null) {
            g.writeObjectFieldStart("ubiquiti");
            string(g, "rule_set", label.ruleSet());
            string(g, "rule_number", label.ruleNumber());
            string(g, "input_zone", label.inputZone());
            string(g, "output_zone", label.outputZone());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void ip(JsonGenerator g, IpPacket p) throws IOException {
        number(g, "length", p.getLength());
        number(g, "id", p.getId());
        // Filebeat reads IPv6 TC into tos and HOPLIMIT into ttl.
        number(g, "tos", p.getTos() != null ? p.getTos() : p.getTrafficClass());
        number(g, "precedence_bits", p.getPrecedence());
        number(g, "ttl", p.getTtl() != null ? p.getTtl() : p.getHopLimit());
        number(g, "flow_label", p.getFlowLabel());
        fragmentFlags(g, p);
        number(g, "fragment_offset", p.getFragmentOffset());
        number(g, "incomplete_bytes", p.getIncompleteBytes());
        if (p.getTcpSeq() != null || p.getTcpAck() != null || p.getTcpWindow() != null
                || p.getTcpReserved() != null || !p.getTcpFlags().isEmpty()) {
            g.writeObjectFieldStart("tcp");
            number(g, "seq", p.getTcpSeq());
            number(g, "ack", p.getTcpAck());
            number(g, "window", p.getTcpWindow());
            number(g, "reserved_bits", p.getTcpReserved());
            flags(g, p.getTcpFlags());
            g.writeEndObject();
        }
        if (p.getUdpLength() != null) {
            g.writeObjectFieldStart("udp");
            number(g, "length", p.getUdpLength());
            g.writeEndObject();
        }
        if (p.getIcmpType() != null || p.getIcmpCode() != null) {
            g.writeObjectFieldStart("icmp");
            number(g, "type", p.getIcmpType());
            number(g, "code", p.getIcmpCode());
            number(g, "id", p.getIcmpId());
            number(g, "seq", p.getIcmpSeq());
            number(g, "parameter", p.getIcmpParameter());
            string(g, "redirect", p.getIcmpGateway());
            g.writeEndObject();
        }
    }

    private static void fragmentFlags(JsonGenerator g, IpPacket p) throws IOException {
        if (!p.getCe() && !p.getDf() && !p.getMf()) {
            return;
        }
        g.writeArrayFieldStart("fragment_flags");
        if (p.getCe()) {
            g.writeString("CE");
        }
        if (p.getDf()) {
            g.writeString("DF");
        }
        if (p.getMf()) {
            g.writeString("MF");
        }
        g.writeEndArray();
    }

    private static void flags(JsonGenerator g, List<TcpFlag> flags) throws IOException {
        if (flags.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart("flags");
        for (TcpFlag f : flags) {
            g.writeString(f.name());
        }
        g.writeEndArray();
    }

    static void number(JsonGenerator g, String name, Number v) throws IOException {
        if (v != null) {
            g.writeFieldName(name);
            g.writeNumber(v.longValue());
        }
    }

    static void string(JsonGenerator g, String name, String v) throws IOException {
        if (v != null) {
            g.writeStringField(name, v);
        }
    }
}
