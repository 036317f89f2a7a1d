package dev.dropstream.parser;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.function.LongSupplier;

/**
 * Turns the broken-down stamps of log envelopes into epoch microseconds without allocating: civil-date
 * arithmetic, the configured zone for zone-less stamps (offset cached per hour), and the year of year-less
 * stamps inferred so that a stamp is never later than the reference time (December lines read in January
 * belong to last year).
 */
final class Clock {
    static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long SECONDS_PER_DAY = 86_400L;

    private final ZoneRules rules;
    private final boolean fixedOffset;
    private final int fixedOffsetSeconds;
    private final LongSupplier referenceMicros;
    private long cachedLocalHour = Long.MIN_VALUE;
    private int cachedOffsetSeconds;
    private long cachedReferenceMicros;
    private int cachedReferenceYear;
    private long referenceFetchedAtLine = -1;
    private long lines;
    /** Year, month and day packed 32/16/16 bits, as in {@link #localSeconds(int, int, int, int)}. */
    private long cachedDayKey = Long.MIN_VALUE;
    private long cachedDayStart;

    Clock(ZoneId zone, LongSupplier referenceMicros) {
        this.rules = zone.getRules();
        this.fixedOffset = rules.isFixedOffset();
        this.fixedOffsetSeconds = fixedOffset ? rules.getOffset(Instant.EPOCH).getTotalSeconds() : 0;
        this.referenceMicros = referenceMicros;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
    static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    /**
     * The proleptic Gregorian year of a day since 1970-01-01 (Howard Hinnant's civil_from_days): the
     * reference year is refreshed on the hot path, so it is computed without a {@code LocalDateTime}.
     */
    static int yearOfEpochDay(long epochDay) {
        long z = epochDay + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long month = mp < 10 ? mp + 3 : mp - 9;
        return (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
    }

    static long localSeconds(int year, int month, int day, int hour, int minute, int second) {
        return epochDay(year, month, day) * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second;
    }

    /**
     * Local seconds of a date and a second of the day. The day's start is cached (one entry): consecutive
     * lines of a log nearly always share their date, and the civil-date arithmetic is mostly divisions.
     */
    long localSeconds(int year, int month, int day, int secondOfDay) {
        long key = ((long) year << 32) | ((month & 0xffffL) << 16) | (day & 0xffffL);
        if (key != cachedDayKey) {
            cachedDayStart = epochDay(year, month, day) * SECONDS_PER_DAY;
            cachedDayKey = key;
        }
        return cachedDayStart + secondOfDay;
    }

    /** Epoch micros of a stamp with an explicit UTC offset. */
    static long withOffset(long localSeconds, int micros, int offsetSeconds) {
        return (localSeconds - offsetSeconds) * MICROS_PER_SECOND + micros;
    }

    /** Epoch micros of a zone-less stamp, read in the configured zone. */
    long inZone(long localSeconds, int micros) {
        return (localSeconds - offsetFor(localSeconds)) * MICROS_PER_SECOND + micros;
    }

    private int offsetFor(long localSeconds) {
        if (fixedOffset) {
            return fixedOffsetSeconds;
        }
        long hour = Math.floorDiv(localSeconds, 3600L);
        if (hour != cachedLocalHour) {
            LocalDateTime ldt = LocalDateTime.ofEpochSecond(hour * 3600L, 0, ZoneOffset.UTC);
            cachedOffsetSeconds = rules.getOffset(ldt).getTotalSeconds();
            cachedLocalHour = hour;
        }
        return cachedOffsetSeconds;
    }

    /**
     * Epoch micros of a stamp without a year (RFC 3164, journal short): the latest year in which the
     * stamp is not after the reference time.
     */
    long yearless(int month, int day, int secondOfDay, int micros) {
        refreshReference();
        int year = cachedReferenceYear;
        long t = inZone(localSeconds(year, month, day, secondOfDay), micros);
        if (t > cachedReferenceMicros) {
            t = inZone(localSeconds(year - 1, month, day, secondOfDay), micros);
        }
        return t;
    }

    private void refreshReference() {
        // The reference (usually "now") is read once per 4096 lines: a year boundary is not that precise.
        if (referenceFetchedAtLine < 0 || lines - referenceFetchedAtLine >= 4096) {
            cachedReferenceMicros = referenceMicros.getAsLong();
            long refSeconds = Math.floorDiv(cachedReferenceMicros, MICROS_PER_SECOND);
            int off = fixedOffset ? fixedOffsetSeconds
                    : rules.getOffset(Instant.ofEpochSecond(refSeconds)).getTotalSeconds();
            cachedReferenceYear = yearOfEpochDay(Math.floorDiv(refSeconds + off, SECONDS_PER_DAY));
            referenceFetchedAtLine = lines;
        }
        lines++;
    }

    /** Month number 1-12 of an English three-letter abbreviation at {@code pos}, or -1. */
    static int month(byte[] b, int pos) {
        int c0 = b[pos] | 0x20;
        int c1 = b[pos + 1] | 0x20;
        int c2 = b[pos + 2] | 0x20;
        switch (c0) {
            case 'j':
                if (c1 == 'a' && c2 == 'n') {
                    return 1;
                }
                if (c1 == 'u' && c2 == 'n') {
                    return 6;
                }
                return c1 == 'u' && c2 == 'l' ? 7 : -1;
            case 'f':
                return c1 == 'e' && c2 == 'b' ? 2 : -1;
            case 'm':
                if (c1 == 'a' && c2 == 'r') {
                    return 3;
                }
                return c1 == 'a' && c2 == 'y' ? 5 : -1;
            case 'a':
                if (c1 == 'p' && c2 == 'r') {
                    return 4;
                }
                return c1 == 'u' && c2 == 'g' ? 8 : -1;
            case 's':
                return c1 == 'e' && c2 == 'p' ? 9 : -1;
            case 'o':
                return c1 == 'c' && c2 == 't' ? 10 : -1;
            case 'n':
                return c1 == 'o' && c2 == 'v' ? 11 : -1;
            case 'd':
                return c1 == 'e' && c2 == 'c' ? 12 : -1;
            default:
                return -1;
        }
    }
}
