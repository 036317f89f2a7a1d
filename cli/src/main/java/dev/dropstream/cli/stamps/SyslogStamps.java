package dev.dropstream.cli.stamps;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The time stamps of the envelopes log files carry, written exactly as syslog daemons and tools write them.
 * Used wherever Dropstream writes lines for itself to read: the benchmark's input and {@code dropstream up --demo}.
 */
public final class SyslogStamps {
    private static final String[] MONTHS =
            {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

    private SyslogStamps() {
    }

    /** {@code Nov 25 15:18:02}: RFC 3164, no year, day space-padded. */
    public static String rfc3164(LocalDateTime t) {
        return MONTHS[t.getMonthValue() - 1] + " " + (t.getDayOfMonth() < 10 ? " " : "") + t.getDayOfMonth() + " "
                + clock(t);
    }

    /** {@code 2026-11-25T15:18:02.123456+00:00}, as rsyslog's high-precision format writes it (UTC). */
    public static String rfc3339(long epochMicros) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L), 0, ZoneOffset.UTC);
        return String.format("%04d-%02d-%02dT%s.%06d+00:00", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                clock(t), Math.floorMod(epochMicros, 1_000_000L));
    }

    /** {@code [Wed Nov 25 15:18:02 2026]}, as {@code dmesg -T} writes it. */
    public static String dmesgT(LocalDateTime t) {
        return "[" + DAYS[t.getDayOfWeek().getValue() - 1] + " " + MONTHS[t.getMonthValue() - 1] + " "
                + (t.getDayOfMonth() < 10 ? " " : "") + t.getDayOfMonth() + " " + clock(t) + " " + t.getYear() + "]";
    }

    /** {@code 25/Nov/2026:15:18:02 +0000}, as Proxmox's {@code pvefw-logger} writes it in the message (UTC). */
    public static String pvefw(long epochMicros) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L), 0, ZoneOffset.UTC);
        return two(t.getDayOfMonth()) + "/" + MONTHS[t.getMonthValue() - 1] + "/" + t.getYear() + ":" + clock(t)
                + " +0000";
    }

    /** {@code [ 4466.599649]}: the kernel's own stamp, seconds since boot, as printk writes it (width 5, padded). */
    public static String kernel(long uptimeMicros) {
        return String.format("[%5d.%06d]", uptimeMicros / 1_000_000L, uptimeMicros % 1_000_000L);
    }

    private static String clock(LocalDateTime t) {
        return two(t.getHour()) + ":" + two(t.getMinute()) + ":" + two(t.getSecond());
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }
}
