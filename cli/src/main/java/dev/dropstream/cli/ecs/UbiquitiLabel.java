package dev.dropstream.cli.ecs;

/**
 * The rule label EdgeOS / UniFi firewalls put in the log prefix, {@code [<rule set>-<rule>-<A|D|R>]}, read
 * the way Filebeat's iptables module reads it: the rule set is everything before the last two dashes, and
 * a rule set of the form {@code <in zone>-<out zone>} names the zones.
 */
record UbiquitiLabel(String ruleSet, String ruleNumber, String inputZone, String outputZone) {

    /** The label in the prefix, or null when the prefix has none. */
    static UbiquitiLabel find(String prefix) {
        int open = prefix.indexOf('[');
        while (open >= 0) {
            int close = prefix.indexOf(']', open + 1);
            if (close < 0) {
                return null;
            }
            UbiquitiLabel label = parse(prefix.substring(open + 1, close));
            if (label != null) {
                return label;
            }
            open = prefix.indexOf('[', close + 1);
        }
        return null;
    }

    private static UbiquitiLabel parse(String label) {
        int actionDash = label.lastIndexOf('-');
        if (actionDash < 0 || label.length() - actionDash != 2 || "ADR".indexOf(label.charAt(actionDash + 1)) < 0) {
            return null;
        }
        int ruleDash = label.lastIndexOf('-', actionDash - 1);
        if (ruleDash <= 0 || ruleDash == actionDash - 1 || label.indexOf(' ') >= 0) {
            return null;
        }
        String ruleSet = label.substring(0, ruleDash);
        String ruleNumber = label.substring(ruleDash + 1, actionDash);
        int zoneDash = ruleSet.indexOf('-');
        if (zoneDash > 0 && zoneDash < ruleSet.length() - 1 && ruleSet.indexOf('-', zoneDash + 1) < 0) {
            return new UbiquitiLabel(ruleSet, ruleNumber, ruleSet.substring(0, zoneDash),
                    ruleSet.substring(zoneDash + 1));
        }
        return new UbiquitiLabel(ruleSet, ruleNumber, null, null);
    }
}
