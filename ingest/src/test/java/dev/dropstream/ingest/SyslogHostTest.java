package dev.dropstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SyslogHostTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Dec 26 09:05:47 server01 kernel: [UFW BLOCK] IN=eth0|server01",
        "Feb  9 20:55:06 ubuntu kernel: [13626.584587] IN=lo|ubuntu",
        "<4>Feb  9 20:55:06 edge kernel: IN=lo|edge",
        "2025-11-30T00:00:20.570472-07:00 m1 kernel: [UFW AUDIT]|m1",
        "<4>1 2026-11-20T08:15:30.123456+01:00 fw-3 kernel - - - [UFW BLOCK]|fw-3",
        "<4>1 - - kernel - - - [UFW BLOCK]|local",
        "[ 4466.599649] LAB-A-OUT-UID IN= OUT=vethA|local",
        "4,2834,4466599649,-;LAB IN= OUT=vethA|local",
        "IN=eth0 OUT= SRC=1.2.3.4|local",
    })
    void hostFromTheHeaderElseTheFallback(String line, String host) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        assertThat(new SyslogHost().of(b, 0, b.length, "local")).isEqualTo(host);
    }

    @Test
    void manyInterleavedHostsAreEachNamedRightThoughTheyShareTheCacheOfRecentHosts() {
        // More hosts than the cache has slots, so that names whose hashes meet replace each other there.
        SyslogHost hosts = new SyslogHost();
        for (int round = 0; round < 3; round++) {
            for (int h = 0; h < 1000; h++) {
                String host = "host-" + (h * 7919 % 1000);
                byte[] b = ("Dec 26 09:05:47 " + host + " kernel: [UFW BLOCK] IN=eth0").getBytes(StandardCharsets.UTF_8);
                assertThat(hosts.of(b, 0, b.length, "local")).isEqualTo(host);
            }
        }
    }
}
