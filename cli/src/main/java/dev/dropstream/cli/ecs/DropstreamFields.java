package dev.dropstream.cli.ecs;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.dropstream.json.AvroJson;
import dev.dropstream.schema.ConntrackEvent;
import dev.dropstream.schema.PacketEvent;
import java.io.IOException;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.generic.IndexedRecord;

/**
 * Writes the {@code dropstream} object of an ECS event: our extension, for what neither ECS nor Filebeat's
 * {@code iptables.*} fields hold (the verdict, the envelope, the quoted packet of an ICMP error, ARP, the
 * conntrack diagnostic, the record's rarer tokens). It walks the Avro records and leaves out the fields
 * already mapped elsewhere, so a field added to a schema appears here by itself, in snake_case. Empty
 * values (null, false, empty arrays) are left out.
 */
final class DropstreamFields {
    /** PacketEvent fields mapped to ECS or iptables.*, or written as objects of their own below. */
    private static final Set<String> PACKET_EVENT_MAPPED = Set.of("host", "eventTime", "prefix", "inInterface",
            "outInterface", "family", "uid", "gid", "link", "packet", "quoted", "arp");
    /** A conntrack packet's prefix is the nf_ct_ tag and reason: a verdict read from it would mean nothing. */
    private static final Set<String> CONNTRACK_PACKET_MAPPED = Stream.concat(PACKET_EVENT_MAPPED.stream(),
            Stream.of("verdict")).collect(Collectors.toUnmodifiableSet());
    private static final Set<String> LINK_MAPPED = Set.of("rawHeader", "destinationMac", "sourceMac", "etherType",
            "vlanId");
    private static final Set<String> IP_MAPPED = Set.of("version", "src", "dst", "length", "tos", "precedence",
            "ttl", "id", "ce", "df", "mf", "fragmentOffset", "trafficClass", "hopLimit", "flowLabel", "protocol",
            "protocolNumber", "srcPort", "dstPort", "udpLength", "tcpSeq", "tcpAck", "tcpWindow", "tcpReserved",
            "tcpFlags", "icmpType", "icmpCode", "icmpId", "icmpSeq", "icmpParameter", "icmpGateway",
            "incompleteBytes");
    /** The conntrack event's envelope fields are the same as its packet's; the packet is written as one. */
    private static final Set<String> CONNTRACK_MAPPED = Set.of("host", "eventTime", "kernelTimeMicros", "envelope",
            "packet");

    private final AvroJson avro = new AvroJson(AvroJson.Names.SNAKE_CASE, true);

    /** The extension for a packet, and for the conntrack diagnostic about it when there is one. */
    void write(JsonGenerator g, PacketEvent e, ConntrackEvent conntrack) throws IOException {
        g.writeObjectFieldStart("dropstream");
        if (e != null) {
            avro.writeFields(g, e, conntrack == null ? PACKET_EVENT_MAPPED : CONNTRACK_PACKET_MAPPED);
            object(g, "link", e.getLink(), LINK_MAPPED);
            object(g, "packet", e.getPacket(), IP_MAPPED);
            object(g, "quoted", e.getQuoted(), AvroJson.NONE);
            object(g, "arp", e.getArp(), AvroJson.NONE);
        }
        if (conntrack != null) {
            if (e == null) {
                // Without a packet, the envelope fields a packet would carry come from the diagnostic.
                IptablesFields.number(g, "kernel_time_micros", conntrack.getKernelTimeMicros());
                g.writeStringField("envelope", conntrack.getEnvelope().name());
            }
            object(g, "conntrack", conntrack, CONNTRACK_MAPPED);
        }
        g.writeEndObject();
    }

    private void object(JsonGenerator g, String name, IndexedRecord r, Set<String> skip) throws IOException {
        if (r != null && avro.hasFields(r, skip)) {
            g.writeObjectFieldStart(name);
            avro.writeFields(g, r, skip);
            g.writeEndObject();
        }
    }
}
