package dev.dropstream.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The regex yardstick: what a Logstash {@code grok} filter does with the {@code IPTABLES} pattern of
 * logstash-patterns-core ({@code patterns/ecs-v1/firewalls}: IPTABLES_TCP_FLAGS, IPTABLES_TCP_PART,
 * IPTABLES4_FRAG, IPTABLES4_PART, IPTABLES6_PART, IPTABLES), behind the syslog header of
 * {@code SYSLOGBASE} ({@code patterns/ecs-v1/grok-patterns}), done with {@code java.util.regex}.
 *
 * <p>The grok expression it stands for is
 * <pre>{@code %{SYSLOGBASE} %{DATA:prefix}%{IPTABLES}}</pre>
 * that is {@code %{SYSLOGTIMESTAMP:timestamp} (?:%{SYSLOGFACILITY} )?%{SYSLOGHOST:logsource}
 * %{SYSLOGPROG}:}, a space, the log prefix (lazily, up to where {@code IN=} starts the record), then the
 * record. Each grok macro below is expanded by hand into plain regex text under its grok name, with the
 * definitions of the pattern files unchanged, typos included ({@code (?!<[0-9])} in TIME, {@code (:?} in
 * IPTABLES). What differs from grok, and why:
 * <ul>
 *   <li>Java named groups cannot contain {@code _}, {@code .} or {@code []} and cannot repeat a name, so
 *       the ECS field names become camel-case group names, and the IPv4 and IPv6 parts, which capture the
 *       same ECS fields, have groups with a {@code 4} or {@code 6} suffix; {@link #extract} takes
 *       whichever matched.
 *   <li>Grok's unnamed {@code %{MACRO}} becomes a non-capturing group.
 *   <li>Like grok's {@code match}, the search is unanchored ({@link Matcher#find()}), so a line whose
 *       header or record does not fit is searched to the end before it is given up.
 * </ul>
 * As grok would, {@link #extract} copies every matched field out as a {@code String} and converts the
 * fields marked {@code :int} in the pattern file to numbers. One {@link Matcher} is reused per thread,
 * and the text is the whole corpus as one {@code String} (matched by region), so neither a matcher nor a
 * decoded line is allocated per call: the yardstick is charged for the match and the field copies, not
 * for set-up that a careful user would avoid.
 */
final class IptablesGrok {
    // grok-patterns: the pieces the header and the record use.
    static final String INT = "(?:[+-]?(?:[0-9]+))";
    static final String BASE16NUM = "(?<![0-9A-Fa-f])(?:[+-]?(?:0x)?(?:[0-9A-Fa-f]+))";
    static final String POSINT = "\\b(?:[1-9][0-9]*)\\b";
    static final String NONNEGINT = "\\b(?:[0-9]+)\\b";
    static final String WORD = "\\b\\w+\\b";
    static final String NOTSPACE = "\\S+";
    static final String DATA = ".*?";
    static final String COMMONMAC = "(?:(?:[A-Fa-f0-9]{2}:){5}[A-Fa-f0-9]{2})";
    static final String IPV4_OCTET = "(?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])";
    static final String IPV4 = "(?<![0-9])(?:" + IPV4_OCTET + "[.]" + IPV4_OCTET + "[.]" + IPV4_OCTET + "[.]"
            + IPV4_OCTET + ")(?![0-9])";
    /** IPV4 as IPV6 spells it inside an address ({@code ::ffff:1.2.3.4}). */
    static final String V6_DOTTED = "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3})";
    static final String H16 = "[0-9A-Fa-f]{1,4}";
    static final String IPV6 = "("
            + "((" + H16 + ":){7}(" + H16 + "|:))"
            + "|((" + H16 + ":){6}(:" + H16 + "|" + V6_DOTTED + "|:))"
            + "|((" + H16 + ":){5}(((:" + H16 + "){1,2})|:" + V6_DOTTED + "|:))"
            + "|((" + H16 + ":){4}(((:" + H16 + "){1,3})|((:" + H16 + ")?:" + V6_DOTTED + ")|:))"
            + "|((" + H16 + ":){3}(((:" + H16 + "){1,4})|((:" + H16 + "){0,2}:" + V6_DOTTED + ")|:))"
            + "|((" + H16 + ":){2}(((:" + H16 + "){1,5})|((:" + H16 + "){0,3}:" + V6_DOTTED + ")|:))"
            + "|((" + H16 + ":){1}(((:" + H16 + "){1,6})|((:" + H16 + "){0,4}:" + V6_DOTTED + ")|:))"
            + "|(:(((:" + H16 + "){1,7})|((:" + H16 + "){0,5}:" + V6_DOTTED + ")|:))"
            + ")(%.+)?";
    static final String IP = "(?:" + IPV6 + "|" + IPV4 + ")";
    static final String HOSTNAME =
            "\\b(?:[0-9A-Za-z][0-9A-Za-z-]{0,62})(?:\\.(?:[0-9A-Za-z][0-9A-Za-z-]{0,62}))*(\\.?|\\b)";
    static final String IPORHOST = "(?:" + IP + "|" + HOSTNAME + ")";

    // grok-patterns: the syslog header.
    static final String MONTH = "\\b(?:[Jj]an(?:uary|uar)?|[Ff]eb(?:ruary|ruar)?|[Mm](?:a|\u00e4)?r(?:ch|z)?"
            + "|[Aa]pr(?:il)?|[Mm]a(?:y|i)?|[Jj]un(?:e|i)?|[Jj]ul(?:y|i)?|[Aa]ug(?:ust)?|[Ss]ep(?:tember)?"
            + "|[Oo](?:c|k)?t(?:ober)?|[Nn]ov(?:ember)?|[Dd]e(?:c|z)(?:ember)?)\\b";
    static final String MONTHDAY = "(?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9])";
    static final String HOUR = "(?:2[0123]|[01]?[0-9])";
    static final String MINUTE = "(?:[0-5][0-9])";
    static final String SECOND = "(?:(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?)";
    static final String TIME = "(?!<[0-9])" + HOUR + ":" + MINUTE + "(?::" + SECOND + ")(?![0-9])";
    static final String SYSLOGTIMESTAMP = MONTH + " +" + MONTHDAY + " " + TIME;
    static final String PROG = "[\\x21-\\x5a\\x5c\\x5e-\\x7e]+";
    static final String SYSLOGPROG = "(?<program>" + PROG + ")(?:\\[(?<pid>" + POSINT + ")\\])?";
    static final String SYSLOGHOST = IPORHOST;
    static final String SYSLOGFACILITY = "<(?<facility>" + NONNEGINT + ").(?<priority>" + NONNEGINT + ")>";
    static final String SYSLOGBASE = "(?<timestamp>" + SYSLOGTIMESTAMP + ") (?:" + SYSLOGFACILITY + " )?(?<logsource>"
            + SYSLOGHOST + ") " + SYSLOGPROG + ":";

    // firewalls (ecs-v1): the netfilter record.
    static final String IPTABLES_TCP_FLAGS = "(CWR |ECE |URG |ACK |PSH |RST |SYN |FIN )*";
    static final String IPTABLES_TCP_PART = "(?:SEQ=(?<tcpSeq>" + INT + ")\\s+)?(?:ACK=(?<tcpAck>" + INT + ")\\s+)?"
            + "WINDOW=(?<tcpWindow>" + INT + ")\\s+RES=0x(?<tcpReservedBits>" + BASE16NUM + ")\\s+"
            + "(?<tcpFlags>" + IPTABLES_TCP_FLAGS + ")";
    static final String IPTABLES4_FRAG = "(?:(?<= )(?:CE|DF|MF))*";
    static final String IPTABLES4_PART = "SRC=(?<srcIp4>" + IPV4 + ")\\s+DST=(?<dstIp4>" + IPV4 + ")\\s+"
            + "LEN=(?:(?<length4>" + INT + "))?\\s+TOS=(?:0|0x(?<tos4>" + BASE16NUM + "))?\\s+"
            + "PREC=(?:0x(?<precedenceBits>" + BASE16NUM + "))?\\s+TTL=(?:(?<ttl4>" + INT + "))?\\s+"
            + "ID=(?:(?<id>" + INT + "))?\\s+(?:(?<fragmentFlags>" + IPTABLES4_FRAG + "))?"
            + "(?:\\s+FRAG: (?<fragmentOffset>" + INT + "))?";
    static final String IPTABLES6_PART = "SRC=(?<srcIp6>" + IPV6 + ")\\s+DST=(?<dstIp6>" + IPV6 + ")\\s+"
            + "LEN=(?:(?<length6>" + INT + "))?\\s+TC=(?:0|0x(?<tos6>" + BASE16NUM + "))?\\s+"
            + "HOPLIMIT=(?:(?<ttl6>" + INT + "))?\\s+FLOWLBL=(?:(?<flowLabel>" + INT + "))?";
    static final String IPTABLES = "IN=(?:(?<inInterface>" + NOTSPACE + "))?\\s+"
            + "OUT=(?:(?<outInterface>" + NOTSPACE + "))?\\s+"
            + "(?:MAC=(?:(?<dstMac>" + COMMONMAC + "))?(?::(?<srcMac>" + COMMONMAC + "))?"
            + "(?::[A-Fa-f0-9]{2}:[A-Fa-f0-9]{2})?\\s+)?"
            + "(:?" + IPTABLES4_PART + "|" + IPTABLES6_PART + ").*?"
            + "PROTO=(?:(?<transport>" + WORD + "))?\\s+SPT=(?:(?<srcPort>" + INT + "))?\\s+"
            + "DPT=(?:(?<dstPort>" + INT + "))?\\s+(?:" + IPTABLES_TCP_PART + ")?";

    /** {@code %{SYSLOGBASE} %{DATA:prefix}%{IPTABLES}}. */
    static final String EXPRESSION = SYSLOGBASE + " (?<prefix>" + DATA + ")" + IPTABLES;

    static final Pattern PATTERN = Pattern.compile(EXPRESSION);

    /** The fields grok would put on the event, reused from line to line (numbers as -1 when absent). */
    static final class Fields {
        String timestamp;
        String logsource;
        String program;
        String pid;
        String prefix;
        String inInterface;
        String outInterface;
        String dstMac;
        String srcMac;
        String srcIp;
        String dstIp;
        long length;
        String tos;
        String precedenceBits;
        long ttl;
        String id;
        String fragmentFlags;
        long fragmentOffset;
        String flowLabel;
        String transport;
        long srcPort;
        long dstPort;
        long tcpSeq;
        long tcpAck;
        long tcpWindow;
        String tcpReservedBits;
        String tcpFlags;
    }

    private IptablesGrok() {
    }

    /** A matcher for this thread; {@link #match} resets it to each line. */
    static Matcher matcher(CharSequence text) {
        return PATTERN.matcher(text);
    }

    /** Searches {@code text[start..end)} as grok would; on a match fills {@code out} and returns true. */
    static boolean match(Matcher m, int start, int end, Fields out) {
        m.region(start, end);
        if (!m.find()) {
            return false;
        }
        extract(m, out);
        return true;
    }

    /** Copies the captures out by name, as grok does; {@code :int} fields are converted. */
    static void extract(Matcher m, Fields f) {
        f.timestamp = m.group("timestamp");
        f.logsource = m.group("logsource");
        f.program = m.group("program");
        f.pid = m.group("pid");
        f.prefix = m.group("prefix");
        f.inInterface = m.group("inInterface");
        f.outInterface = m.group("outInterface");
        f.dstMac = m.group("dstMac");
        f.srcMac = m.group("srcMac");
        String src4 = m.group("srcIp4");
        if (src4 != null) {
            f.srcIp = src4;
            f.dstIp = m.group("dstIp4");
            f.length = number(m.group("length4"));
            f.tos = m.group("tos4");
            f.precedenceBits = m.group("precedenceBits");
            f.ttl = number(m.group("ttl4"));
            f.id = m.group("id");
            f.fragmentFlags = m.group("fragmentFlags");
            f.fragmentOffset = number(m.group("fragmentOffset"));
            f.flowLabel = null;
        } else {
            f.srcIp = m.group("srcIp6");
            f.dstIp = m.group("dstIp6");
            f.length = number(m.group("length6"));
            f.tos = m.group("tos6");
            f.precedenceBits = null;
            f.ttl = number(m.group("ttl6"));
            f.id = null;
            f.fragmentFlags = null;
            f.fragmentOffset = -1;
            f.flowLabel = m.group("flowLabel");
        }
        f.transport = m.group("transport");
        f.srcPort = number(m.group("srcPort"));
        f.dstPort = number(m.group("dstPort"));
        f.tcpSeq = number(m.group("tcpSeq"));
        f.tcpAck = number(m.group("tcpAck"));
        f.tcpWindow = number(m.group("tcpWindow"));
        f.tcpReservedBits = m.group("tcpReservedBits");
        f.tcpFlags = m.group("tcpFlags");
    }

    private static long number(String s) {
        return s == null ? -1 : Long.parseLong(s);
    }
}
