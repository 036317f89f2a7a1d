package dev.dropstream.cli.ecs;

import static dev.dropstream.cli.ecs.IptablesFields.string;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.dropstream.json.Rfc3339;
import dev.dropstream.schema.ConntrackEvent;
import dev.dropstream.schema.ConntrackEventKind;
import dev.dropstream.schema.PacketEvent;
import dev.dropstream.schema.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * Writes events as Elastic Common Schema documents, with the {@code iptables.*} fields of Filebeat's
 * iptables module, so that indices and dashboards built for that module take them as they are. Packets
 * are {@code event.module: iptables}, {@code event.dataset: iptables.log}, as Filebeat's; conntrack
 * diagnostics are our own dataset, {@code dropstream.conntrack}. What neither ECS nor the module has a
 * field for goes under {@code dropstream.*} (see {@link DropstreamFields}). One instance per thread.
 */
public final class EcsWriter {
    /** The ECS version whose fields these documents use. */
    public static final String ECS_VERSION = "8.11.0";

    private final Endpoints endpoints = new Endpoints();
    private final DropstreamFields extension = new DropstreamFields();

    /** Writes one packet as an ECS document; {@code line[off..off+len)} is the line it was read from. */
    public void packet(JsonGenerator g, PacketEvent e, byte[] line, int off, int len) throws IOException {
        UbiquitiLabel label = UbiquitiLabel.find(e.getPrefix());
        Verdict v = e.getVerdict();
        g.writeStartObject();
        header(g, e.getEventTime(), line, off, len);
        g.writeObjectFieldStart("event");
        string(g, "action", v == Verdict.UNKNOWN ? null : v.name().toLowerCase(Locale.ROOT));
        eventCommon(g, "iptables", "iptables.log");
        String type = switch (v) {
            case DROP, REJECT -> "denied";
            case ACCEPT -> "allowed";
            default -> null;
        };
        types(g, type, endpoints.hasBothAddresses(e));
        g.writeStringField("outcome", switch (v) {
            case ACCEPT -> "success";
            case DROP, REJECT -> "failure";
            default -> "unknown";
        });
        g.writeEndObject();
        host(g, e.getHost(), e, label);
        String prefix = e.getPrefix().strip();
        if (label != null || !prefix.isEmpty()) {
            g.writeObjectFieldStart("rule");
            string(g, "name", label != null ? label.ruleSet() : prefix);
            string(g, "id", label != null ? label.ruleNumber() : null);
            g.writeEndObject();
        }
        endpoints.write(g, e);
        IptablesFields.write(g, e, label);
        extension.write(g, e, null);
        g.writeEndObject();
    }

    /**
     * Writes one conntrack diagnostic as an ECS document: its packet, when it names one, as for a packet,
     * and the diagnostic itself under {@code dropstream.conntrack}.
     */
    public void conntrack(JsonGenerator g, ConntrackEvent c, byte[] line, int off, int len) throws IOException {
        PacketEvent p = c.getPacket();
        ConntrackEventKind kind = c.getKind();
        g.writeStartObject();
        header(g, c.getEventTime(), line, off, len);
        g.writeObjectFieldStart("event");
        g.writeStringField("action", "conntrack-" + kind.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        eventCommon(g, "dropstream", "dropstream.conntrack");
        types(g, switch (kind) {
            case INVALID -> "error";
            case TABLE_FULL -> "denied";
            default -> "info";
        }, p != null && endpoints.hasBothAddresses(p));
        g.writeStringField("outcome", kind == ConntrackEventKind.TABLE_FULL ? "failure" : "unknown");
        g.writeEndObject();
        host(g, c.getHost(), p, null);
        if (p != null) {
            endpoints.write(g, p);
            IptablesFields.write(g, p, null);
        }
        extension.write(g, p, c);
        g.writeEndObject();
    }

    private static void header(JsonGenerator g, Instant time, byte[] line, int off, int len) throws IOException {
        if (time != null) {
            g.writeStringField("@timestamp", Rfc3339.micros(time));
        }
        g.writeFieldName("message");
        message(g, line, off, len);
        g.writeObjectFieldStart("ecs");
        g.writeStringField("version", ECS_VERSION);
        g.writeEndObject();
    }

    /**
     * The line as a JSON string, without a trailing carriage return. ASCII (nearly every line) is written
     * as it is; anything else is decoded first, so that invalid UTF-8 becomes U+FFFD and the output stays
     * valid.
     */
    private static void message(JsonGenerator g, byte[] line, int off, int len) throws IOException {
        int n = len;
        while (n > 0 && (line[off + n - 1] == '\r' || line[off + n - 1] == '\n')) {
            n--;
        }
        for (int i = off; i < off + n; i++) {
            if (line[i] < 0) {
                g.writeString(new String(line, off, n, StandardCharsets.UTF_8));
                return;
            }
        }
        g.writeUTF8String(line, off, n);
    }

    private static void eventCommon(JsonGenerator g, String module, String dataset) throws IOException {
        g.writeStringField("kind", "event");
        g.writeArrayFieldStart("category");
        g.writeString("network");
        g.writeEndArray();
        g.writeStringField("module", module);
        g.writeStringField("dataset", dataset);
    }

    /** {@code event.type}: the given type, and {@code connection} when the event names both ends of one. */
    private static void types(JsonGenerator g, String type, boolean connection) throws IOException {
        g.writeArrayFieldStart("type");
        if (type != null) {
            g.writeString(type);
        }
        if (connection) {
            g.writeString("connection");
        }
        if (type == null && !connection) {
            g.writeString("info");
        }
        g.writeEndArray();
    }

    /**
     * {@code host.name} and {@code observer.name} (the host that logged is the firewall that saw the
     * packet), with the observer's interfaces and, from a Ubiquiti label, its zones.
     */
    private static void host(JsonGenerator g, String host, PacketEvent e, UbiquitiLabel label) throws IOException {
        if (host != null) {
            g.writeObjectFieldStart("host");
            g.writeStringField("name", host);
            g.writeEndObject();
        }
        String in = e == null ? null : e.getInInterface();
        String out = e == null ? null : e.getOutInterface();
        boolean hasIn = (in != null && !in.isEmpty()) || (label != null && label.inputZone() != null);
        boolean hasOut = (out != null && !out.isEmpty()) || (label != null && label.outputZone() != null);
        if (host == null && !hasIn && !hasOut) {
            return;
        }
        g.writeObjectFieldStart("observer");
        string(g, "name", host);
        if (hasIn) {
            side(g, "ingress", in, label == null ? null : label.inputZone());
        }
        if (hasOut) {
            side(g, "egress", out, label == null ? null : label.outputZone());
        }
        g.writeEndObject();
    }

    private static void side(JsonGenerator g, String name, String device, String zone) throws IOException {
        g.writeObjectFieldStart(name);
        if (device != null && !device.isEmpty()) {
            g.writeObjectFieldStart("interface");
            g.writeStringField("name", device);
            g.writeEndObject();
        }
        string(g, "zone", zone);
        g.writeEndObject();
    }
}
