package dev.dropstream.cli.ecs;

import java.util.Locale;

/** ECS {@code network.transport} names: the lower-cased IANA protocol keywords of the protocols firewalls log. */
final class IanaProtocols {
    private static final String[] NAMES = new String[256];

    static {
        NAMES[1] = "icmp";
        NAMES[2] = "igmp";
        NAMES[4] = "ipv4";
        NAMES[6] = "tcp";
        NAMES[17] = "udp";
        NAMES[41] = "ipv6";
        NAMES[47] = "gre";
        NAMES[50] = "esp";
        NAMES[51] = "ah";
        NAMES[58] = "ipv6-icmp";
        NAMES[89] = "ospfigp";
        NAMES[103] = "pim";
        NAMES[112] = "vrrp";
        NAMES[132] = "sctp";
        NAMES[136] = "udplite";
    }

    private IanaProtocols() {
    }

    /**
     * The transport name for a protocol number, else the kernel's protocol name lower-cased, else null
     * (a number this table does not name).
     */
    static String transport(Integer number, String kernelName) {
        if (number != null && number >= 0 && number < NAMES.length && NAMES[number] != null) {
            return NAMES[number];
        }
        if (kernelName == null || kernelName.isEmpty() || Character.isDigit(kernelName.charAt(0))) {
            return null;
        }
        return kernelName.toLowerCase(Locale.ROOT);
    }
}
