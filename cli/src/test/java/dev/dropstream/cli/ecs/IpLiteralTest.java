package dev.dropstream.cli.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "192.168.0.99", "255.255.255.255", "::", "::1", "1::", "fe80::200:86ff:fe05:80da",
        "2c0f:f720:0:3:d6ae:52ff:feb8:f27b", "2001:0db8:0000:f101:0000:0000:0000:0002", "::ffff:192.0.2.1",
        "64:ff9b::10.0.0.1", "FE80:1011:1213:1415:1617:1819:1A1B:1C1D"})
    void readsWhatInetAddressReadsFromALiteral(String text) throws UnknownHostException {
        // A literal never makes InetAddress resolve a name; it is the reference for the bytes.
        byte[] reference = InetAddress.getByName(text).getAddress();
        boolean v4Mapped = reference.length == 4 && text.contains(":");
        assertThat(IpLiteral.parse(text)).isEqualTo(v4Mapped ? mapped(reference) : reference);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "example.com", "1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "1:", ":1", "g::1", "+1::", "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4"})
    void rejectsWhatIsNotAnAddress(String text) {
        assertThat(IpLiteral.parse(text)).isNull();
    }

    /** InetAddress turns ::ffff:a.b.c.d into the IPv4 address; the wire form is the 16-byte mapped one. */
    private static byte[] mapped(byte[] v4) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(v4, 0, b, 12, 4);
        return b;
    }
}
