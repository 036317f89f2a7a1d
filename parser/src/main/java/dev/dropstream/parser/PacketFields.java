package dev.dropstream.parser;

/**
 * The fields of one IPv4/IPv6 packet as parsed from a record, kept as numbers and byte ranges into the
 * line so that parsing allocates nothing. {@code -1} (or a negative range start) means "not in the record":
 * every value the kernel prints is unsigned.
 */
final class PacketFields {
    static final int MAX_EXT_HEADERS = 16;

    int version;
    int srcStart;
    int srcEnd;
    int dstStart;
    int dstEnd;
    /** IPv6 addresses, parsed (the text is expanded; the output is compressed). */
    long src6Hi;
    long src6Lo;
    long dst6Hi;
    long dst6Lo;

    int length;
    int tos;
    int precedence;
    int ttl;
    long id;
    boolean ce;
    boolean df;
    boolean mf;
    int fragmentOffset;
    long fragmentId;
    int ipOptStart;
    int ipOptEnd;

    int trafficClass;
    int hopLimit;
    int flowLabel;
    final int[] extStart = new int[MAX_EXT_HEADERS];
    final int[] extEnd = new int[MAX_EXT_HEADERS];
    int extCount;

    int protoStart;
    int protoEnd;
    int protocolNumber;

    int srcPort;
    int dstPort;
    int udpLength;
    long tcpSeq;
    long tcpAck;
    int tcpWindow;
    int tcpReserved;
    /** Bit i set = {@code TcpFlag.values()[i]} present. */
    int tcpFlags;
    int tcpUrgentPointer;
    int tcpOptStart;
    int tcpOptEnd;

    int icmpType;
    int icmpCode;
    int icmpId;
    int icmpSeq;
    long icmpParameter;
    int gatewayStart;
    int gatewayEnd;
    int icmpMtu;
    long spi;
    int incompleteBytes;

    void reset() {
        version = 0;
        srcStart = srcEnd = dstStart = dstEnd = -1;
        src6Hi = src6Lo = dst6Hi = dst6Lo = 0;
        length = tos = precedence = ttl = -1;
        id = -1;
        ce = df = mf = false;
        fragmentOffset = -1;
        fragmentId = -1;
        ipOptStart = ipOptEnd = -1;
        trafficClass = hopLimit = flowLabel = -1;
        extCount = 0;
        protoStart = protoEnd = -1;
        protocolNumber = -1;
        srcPort = dstPort = udpLength = -1;
        tcpSeq = tcpAck = -1;
        tcpWindow = tcpReserved = -1;
        tcpFlags = 0;
        tcpUrgentPointer = -1;
        tcpOptStart = tcpOptEnd = -1;
        icmpType = icmpCode = icmpId = icmpSeq = -1;
        icmpParameter = -1;
        gatewayStart = gatewayEnd = -1;
        icmpMtu = -1;
        spi = -1;
        incompleteBytes = -1;
    }

    boolean present() {
        return version != 0;
    }
}
