package dev.dropstream.json;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Formats instants as RFC 3339 UTC timestamps with exactly six fractional digits: {@code 2025-11-30T07:00:20.570472Z}. */
public final class Rfc3339 {
    private static final int MICROS_DIGITS = 6;
    private static final int LENGTH = 27;

    private Rfc3339() {
    }

    /** The instant in UTC, to the microsecond (finer digits are cut, never rounded up into the next second). */
    public static String micros(Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        int year = d.getYear();
        if (year < 0 || year > 9999) {
            return t.toString();
        }
        char[] c = new char[LENGTH];
        digits(c, 0, year, 4);
        c[4] = '-';
        digits(c, 5, d.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, d.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, d.getHour(), 2);
        c[13] = ':';
        digits(c, 14, d.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, d.getSecond(), 2);
        c[19] = '.';
        digits(c, 20, t.getNano() / 1000, MICROS_DIGITS);
        c[26] = 'Z';
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        int v = value;
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + v % 10);
            v /= 10;
        }
    }
}
