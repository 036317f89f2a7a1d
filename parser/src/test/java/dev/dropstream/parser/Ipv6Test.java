package dev.dropstream.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 5952 canonical text from the kernel's expanded %pI6 form (and other valid input forms). */
class Ipv6Test {
    @ParameterizedTest
    @CsvSource({
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:0db8:0000:f101:0000:0000:0000:0002, 2001:db8:0:f101::2",
        "ff02:0000:0000:0000:0000:0001:ff00:0001, ff02::1:ff00:1",
        "0000:0000:0000:0000:0000:0000:0000:0000, ::",
        "0000:0000:0000:0000:0000:0000:0000:0001, ::1",
        "2001:0db8:0000:0001:0001:0001:0001:0001, 2001:db8:0:1:1:1:1:1",
        "2001:0db8:0000:0000:0001:0000:0000:0001, 2001:db8::1:0:0:1",
        "fe80:0000:0000:0000:0213:46ff:fe3a:4136, fe80::213:46ff:fe3a:4136",
        "2001:db8:0:0:0:0:2:1, 2001:db8::2:1",
        "2001:DB8::1, 2001:db8::1",
        "::ffff:192.0.2.1, ::ffff:192.0.2.1",
        "0000:0000:0000:0000:0000:ffff:c000:0201, ::ffff:192.0.2.1",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
        "1:0:0:0:2:0:0:3, 1::2:0:0:3"
    })
    void canonicalForm(String input, String expected) {
        byte[] b = input.getBytes(StandardCharsets.US_ASCII);
        long[] v = new long[2];
        assertThat(Ipv6.parse(b, 0, b.length, v)).isTrue();
        assertThat(Ipv6.format(v[0], v[1])).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"1:2:3:4:5:6:7:8:9", "1::2::3", "12345::1", "g::1", "1:2", "::1:", "1.2.3.4"})
    void notAddresses(String input) {
        byte[] b = input.getBytes(StandardCharsets.US_ASCII);
        assertThat(Ipv6.parse(b, 0, b.length, new long[2])).isFalse();
    }
}
