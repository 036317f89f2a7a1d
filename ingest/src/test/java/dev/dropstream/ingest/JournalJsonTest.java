package dev.dropstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Fields out of journalctl JSON records; the records are constructed for the test, in systemd 252's output form. */
class JournalJsonTest {
    static final String RECORD = "{\"__CURSOR\":\"s=8e1c2f;i=1a2b;b=a5e82371;m=bb0c4d9b;t=6441a9c3c1f00;x=5d3e\","
            + "\"__REALTIME_TIMESTAMP\":\"1764061200123456\",\"__MONOTONIC_TIMESTAMP\":\"3139287163\","
            + "\"_BOOT_ID\":\"a5e823717928\",\"_TRANSPORT\":\"kernel\",\"PRIORITY\":\"4\",\"SYSLOG_FACILITY\":\"0\","
            + "\"SYSLOG_IDENTIFIER\":\"kernel\",\"_SOURCE_MONOTONIC_TIMESTAMP\":\"3139287163\",\"_HOSTNAME\":\"fw1\","
            + "\"MESSAGE\":\"LAB-DROP: IN=lo OUT= SRC=127.0.0.1 DST=127.0.0.1 LEN=60 PROTO=TCP SPT=56148 DPT=4444 SYN URGP=0 \"}";

    private static String field(String json, String name) {
        byte[] b = ("xx" + json + "yy").getBytes(StandardCharsets.UTF_8);
        return JournalJson.string(b, 2, b.length - 4, name);
    }

    @Test
    void readsTopLevelStringFields() {
        assertThat(field(RECORD, "__CURSOR")).isEqualTo("s=8e1c2f;i=1a2b;b=a5e82371;m=bb0c4d9b;t=6441a9c3c1f00;x=5d3e");
        assertThat(field(RECORD, "_HOSTNAME")).isEqualTo("fw1");
        assertThat(field(RECORD, "MESSAGE")).startsWith("LAB-DROP: IN=lo");
        assertThat(field(RECORD, "_COMM")).isNull();
        assertThat(field(RECORD, "HOSTNAME")).as("a suffix of another key is not the key").isNull();
    }

    @Test
    void skipsByteArraysRepeatedFieldsNullsAndSpacesAndUnescapes() {
        String json = "{ \"MESSAGE\" : [ 73, 78, 61, 255 ], \"TAGS\" : [\"a\", \"b,]}\"], \"X\" : null, \"N\" : 12,"
                + " \"O\" : {\"k\" : \"}\"}, \"_HOSTNAME\" : \"h\\u00f6st\\\"1\\\\\\ud83d\\ude00\" }";
        assertThat(field(json, "_HOSTNAME")).isEqualTo("h\u00f6st\"1\\\ud83d\ude00");
        assertThat(field(json, "MESSAGE")).as("not a string").isNull();
        assertThat(field(json, "X")).isNull();
    }

    @Test
    void malformedOrCutRecordsGiveNull() {
        assertThat(field("not json", "__CURSOR")).isNull();
        assertThat(field("{}", "__CURSOR")).isNull();
        assertThat(field("{\"__CURSOR\":\"s=1;i=", "__CURSOR")).isNull();
        assertThat(field("{\"MESSAGE\":\"cut here", "_HOSTNAME")).isNull();
        assertThat(field("{\"A\" \"b\", \"__CURSOR\":\"c\"}", "__CURSOR")).isNull();
        assertThat(field(RECORD.substring(0, 200), "__CURSOR")).as("a cut record keeps the fields before the cut")
                .startsWith("s=8e1c2f");
    }
}
