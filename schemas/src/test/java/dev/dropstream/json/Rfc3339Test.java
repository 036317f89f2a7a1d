package dev.dropstream.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Rfc3339Test {

    @ParameterizedTest
    @CsvSource({
        "2025-11-30T07:00:20.570472Z, 2025-11-30T07:00:20.570472Z",
        "2021-09-02T19:40:54Z, 2021-09-02T19:40:54.000000Z",
        "1970-01-01T00:00:00.000000999Z, 1970-01-01T00:00:00.000000Z",
        "1969-12-31T23:59:59.999999Z, 1969-12-31T23:59:59.999999Z",
        "0001-01-01T00:00:00Z, 0001-01-01T00:00:00.000000Z",
    })
    void writesUtcWithSixFractionDigits(String instant, String expected) {
        assertThat(Rfc3339.micros(Instant.parse(instant))).isEqualTo(expected);
    }
}
