package dev.dropstream.cli.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Community ID v1 against published values: the tables in corelight/community-id-spec
 * {@code baseline/README.md} (default seed and seed 1), the unit tests of the reference implementation
 * corelight/pycommunityid {@code tests/communityid_test.py}, and two IDs Elasticsearch's community_id
 * processor produced in elastic/integrations' iptables pipeline tests. For ICMP the two numbers are the
 * message type and code, as the implementations take them.
 */
class CommunityIdTest {

    @ParameterizedTest(name = "[{index}] {0} {1}:{3} -> {2}:{4} seed {5}")
    @CsvSource({
        // community-id-spec baseline, default seed.
        "6, 1.2.3.4, 5.6.7.8, 1122, 3344, 0, 1:wCb3OG7yAFWelaUydu0D+125CLM=",
        "6, 5.6.7.8, 1.2.3.4, 3344, 1122, 0, 1:wCb3OG7yAFWelaUydu0D+125CLM=",
        "17, 1.2.3.4, 5.6.7.8, 1122, 3344, 0, 1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=",
        "17, 5.6.7.8, 1.2.3.4, 3344, 1122, 0, 1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=",
        "132, 1.2.3.4, 5.6.7.8, 1122, 3344, 0, 1:EKt4MsxuyaE6mL+hmrEkQ9csDD8=",
        "132, 5.6.7.8, 1.2.3.4, 3344, 1122, 0, 1:EKt4MsxuyaE6mL+hmrEkQ9csDD8=",
        "1, 1.2.3.4, 5.6.7.8, 8, 0, 0, 1:crodRHL2FEsHjbv3UkRrfbs4bZ0=",
        "1, 5.6.7.8, 1.2.3.4, 0, 0, 0, 1:crodRHL2FEsHjbv3UkRrfbs4bZ0=",
        "1, 1.2.3.4, 5.6.7.8, 11, 0, 0, 1:f/YiSyWqczrTgfUCZlBUnvHRcPk=",
        "58, fe80:0001:0203:0405:0607:0809:0A0B:0C0D, fe80:1011:1213:1415:1617:1819:1A1B:1C1D, 128, 0, 0, "
                + "1:0bf7hyMJUwt3fMED7z8LIfRpBeo=",
        "58, fe80:1011:1213:1415:1617:1819:1A1B:1C1D, fe80:0001:0203:0405:0607:0809:0A0B:0C0D, 129, 0, 0, "
                + "1:0bf7hyMJUwt3fMED7z8LIfRpBeo=",
        "58, fe80:0001:0203:0405:0607:0809:0A0B:0C0D, fe80:1011:1213:1415:1617:1819:1A1B:1C1D, 146, 0, 0, "
                + "1:fYC8+pz24E+EhANP1EZhpX0Dw10=",
        "46, 1.2.3.4, 5.6.7.8, -1, -1, 0, 1:ikv3kmf89luf73WPz1jOs49S768=",
        "46, 5.6.7.8, 1.2.3.4, -1, -1, 0, 1:ikv3kmf89luf73WPz1jOs49S768=",
        "46, fe80:0001:0203:0405:0607:0809:0A0B:0C0D, fe80:1011:1213:1415:1617:1819:1A1B:1C1D, -1, -1, 0, "
                + "1:wQ/2mwrnXP4lmJcHdGL5ePjR+e0=",
        "46, fe80:1011:1213:1415:1617:1819:1A1B:1C1D, fe80:0001:0203:0405:0607:0809:0A0B:0C0D, -1, -1, 0, "
                + "1:wQ/2mwrnXP4lmJcHdGL5ePjR+e0=",
        // community-id-spec baseline, seed 1.
        "6, 1.2.3.4, 5.6.7.8, 1122, 3344, 1, 1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=",
        "17, 5.6.7.8, 1.2.3.4, 3344, 1122, 1, 1:OShq+iKDAMVouh/4bMxB9Sz4amw=",
        "132, 1.2.3.4, 5.6.7.8, 1122, 3344, 1, 1:uitchpn5MMGAQKBJh7bIr/bAr7s=",
        "1, 5.6.7.8, 1.2.3.4, 0, 0, 1, 1:9pr4ZGTICiuZoIh90RRYE2RyXpU=",
        "1, 1.2.3.4, 5.6.7.8, 11, 0, 1, 1:1DD7cWGC/Yg91YGsQeni8du3pIA=",
        "58, fe80:1011:1213:1415:1617:1819:1A1B:1C1D, fe80:0001:0203:0405:0607:0809:0A0B:0C0D, 129, 0, 1, "
                + "1:IO27GQzPuCtNnwFvjWALMHu5tJE=",
        "58, fe80:0001:0203:0405:0607:0809:0A0B:0C0D, fe80:1011:1213:1415:1617:1819:1A1B:1C1D, 146, 0, 1, "
                + "1:Cv4IKJe56BNkF0MBW2YxQ3Nwc3s=",
        "46, fe80:1011:1213:1415:1617:1819:1A1B:1C1D, fe80:0001:0203:0405:0607:0809:0A0B:0C0D, -1, -1, 1, "
                + "1:j6EyyfBzL4vWKHFXgUqb5Az3OxM=",
        // pycommunityid unit tests (default seed, and seed 1 where the test gives it).
        "1, 192.168.0.89, 192.168.0.1, 8, 0, 0, 1:X0snYXpgwiv9TZtqg64sgzUn6Dk=",
        "1, 192.168.0.1, 192.168.0.89, 0, 8, 0, 1:X0snYXpgwiv9TZtqg64sgzUn6Dk=",
        "1, 192.168.0.89, 192.168.0.1, 20, 0, 0, 1:3o2RFccXzUgjl7zDpqmY7yJi8rI=",
        "1, 192.168.0.89, 192.168.0.1, 20, 1, 0, 1:tz/fHIDUHs19NkixVVoOZywde+I=",
        "1, 192.168.0.1, 192.168.0.89, 0, 20, 0, 1:X0snYXpgwiv9TZtqg64sgzUn6Dk=",
        "1, 192.168.0.89, 192.168.0.1, 8, 0, 1, 1:03g6IloqVBdcZlPyX8r0hgoE7kA=",
        "58, fe80::200:86ff:fe05:80da, fe80::260:97ff:fe07:69ea, 135, 0, 0, 1:dGHyGvjMfljg6Bppwm3bg0LO8TY=",
        "58, fe80::260:97ff:fe07:69ea, fe80::200:86ff:fe05:80da, 136, 0, 0, 1:dGHyGvjMfljg6Bppwm3bg0LO8TY=",
        "58, 3ffe:507:0:1:260:97ff:fe07:69ea, 3ffe:507:0:1:200:86ff:fe05:80da, 3, 0, 0, "
                + "1:NdobDX8PQNJbAyfkWxhtL2Pqp5w=",
        "58, 3ffe:507:0:1:200:86ff:fe05:80da, 3ffe:507:0:1:260:97ff:fe07:69ea, 3, 0, 0, "
                + "1:/OGBt9BN1ofenrmSPWYicpij2Vc=",
        "58, 3ffe:507:0:1:200:86ff:fe05:80da, 3ffe:507:0:1:260:97ff:fe07:69ea, 3, 0, 1, "
                + "1:Ij4ZxnC87/MXzhOjvH2vHu7LRmE=",
        "132, 192.168.170.8, 192.168.170.56, 7, 80, 0, 1:jQgCxbku+pNGw8WPbEc/TS/uTpQ=",
        "132, 192.168.170.56, 192.168.170.8, 80, 7, 0, 1:jQgCxbku+pNGw8WPbEc/TS/uTpQ=",
        "6, 128.232.110.120, 66.35.250.204, 34855, 80, 0, 1:LQU9qZlK+B5F3KDmev6m5PMibrg=",
        "6, 66.35.250.204, 128.232.110.120, 80, 34855, 0, 1:LQU9qZlK+B5F3KDmev6m5PMibrg=",
        "6, 128.232.110.120, 66.35.250.204, 34855, 80, 1, 1:3V71V58M3Ksw/yuFALMcW0LAHvc=",
        "6, 10.0.0.1, 10.0.0.2, 10, 11569, 0, 1:SXBGMX1lBOwhhoDrZynfROxnhnM=",
        "17, 192.168.1.52, 8.8.8.8, 54585, 53, 0, 1:d/FP5EW3wiY1vCndhwleRRKHowQ=",
        "17, 8.8.8.8, 192.168.1.52, 53, 54585, 0, 1:d/FP5EW3wiY1vCndhwleRRKHowQ=",
        "17, 192.168.1.52, 8.8.8.8, 54585, 53, 1, 1:Q9We8WO3piVF8yEQBNJF4uiSVrI=",
        "46, 10.1.24.4, 10.1.12.1, -1, -1, 0, 1:/nQI4Rh/TtY3mf0R2gJFBkVlgS4=",
        "46, 10.1.12.1, 10.1.24.4, -1, -1, 0, 1:/nQI4Rh/TtY3mf0R2gJFBkVlgS4=",
        "46, 10.1.12.1, 10.1.24.4, -1, -1, 1, 1:BK3BVW3U2eemuwVQVN3zd/GULno=",
        // Elasticsearch's community_id processor in elastic/integrations' iptables pipeline tests.
        "6, 67.43.156.15, 10.4.0.5, 38842, 443, 0, 1:jc/7ajWLmm0xdpLA7mOyvas9TyE=",
        "1, 192.168.2.71, 192.168.2.83, 3, 3, 0, 1:v5jWdgB//QU/ZfG9vivofYLpWjA=",
    })
    void matchesThePublishedValues(int proto, String src, String dst, int srcPort, int dstPort, int seed,
            String expected) {
        assertThat(new CommunityId(seed).of(IpLiteral.parse(src), IpLiteral.parse(dst), proto, srcPort, dstPort))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] protocol {0} with ports {1}/{2}")
    @CsvSource({"6, -1, -1", "17, 53, -1", "132, -1, -1", "1, 3, -1", "58, -1, 0"})
    void isUndefinedForAPortProtocolWithoutItsPorts(int proto, int srcPort, int dstPort) {
        assertThat(new CommunityId().of(IpLiteral.parse("10.0.0.1"), IpLiteral.parse("10.0.0.2"), proto,
                srcPort, dstPort)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.1, ::1"})
    void isUndefinedForAddressesOfDifferentFamilies(String src, String dst) {
        assertThat(new CommunityId().of(IpLiteral.parse(src), IpLiteral.parse(dst), 6, 1, 2)).isNull();
    }
}
