package dev.dropstream.streams;

import dev.dropstream.parser.ParserConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What shapes the topology: how lines are read, the window sizes and grace periods, how long closed
 * windows stay queryable, and whether lines keyed by something other than their origin host are re-keyed.
 *
 * @param rekeyByHost route lines whose Kafka key is not their parsed origin host through the one repartition
 *     (on unless every producer keys by host with the default partitioner, as {@code dropstream ship} does)
 * @param joinWindow how far apart (event time) a conntrack reason and the LOG record of its packet may be
 * @param invalidPrefix LOG prefixes of invalid-state rules: such records without a reason are reported too
 * @param joinRecentCapacity how many recent LOG records per task the join remembers at most
 * @param maxFuture how far ahead of the clock an event time may be; a record stamped later (a host whose
 *     clock runs ahead, a bogus stamp) is processed at the time Kafka received it instead, so that it neither
 *     closes every open window at once nor is refused by the broker
 * @param recentInvalidPerHost how many of each host's newest InvalidDrops the query API can show
 * @param maxSkew how far the fastest task's drops may run ahead of the slowest one's before the drop windows stop
 *     waiting for the slow one: a window closes when every task has passed its end plus the grace, or at the latest
 *     when the fastest has passed it by this much more
 * @param upstreamTasks how many tasks hand drop tallies on (the partitions of the input topic), so that the windows
 *     also wait for one that has sent nothing yet; 0 when not known (only the tasks that sent something count)
 */
public record TopologySettings(
        ParserConfig parser,
        Duration minuteWindow,
        Duration minuteGrace,
        Duration minuteRetention,
        Duration hourWindow,
        Duration hourGrace,
        Duration hourRetention,
        boolean rekeyByHost,
        Duration joinWindow,
        Pattern invalidPrefix,
        int joinRecentCapacity,
        Duration maxFuture,
        int recentInvalidPerHost,
        Duration maxSkew,
        int upstreamTasks) {

    public TopologySettings {
        Objects.requireNonNull(parser, "parser");
        positive("minute window", minuteWindow);
        positive("hour window", hourWindow);
        if (hourWindow.compareTo(minuteWindow) <= 0 || hourWindow.toMillis() % minuteWindow.toMillis() != 0) {
            // The hour windows add up the minute tallies, so each must hold a whole number of them.
            throw new IllegalArgumentException("the hour window must be a whole multiple of the minute window");
        }
        notNegative("minute grace", minuteGrace);
        notNegative("hour grace", hourGrace);
        positive("join window", joinWindow);
        Objects.requireNonNull(invalidPrefix, "invalidPrefix");
        notNegative("maximum future", maxFuture);
        if (joinRecentCapacity < 1) {
            throw new IllegalArgumentException("the join's recent-record capacity must be positive");
        }
        notNegative("maximum skew", maxSkew);
        if (upstreamTasks < 0) {
            throw new IllegalArgumentException("the number of upstream tasks must not be negative");
        }
        if (recentInvalidPerHost < 1) {
            throw new IllegalArgumentException("the number of recent InvalidDrops kept per host must be positive");
        }
        // A window stays open until the slowest task passes it, up to maxSkew after the fastest did; the store, which
        // goes by the fastest, must keep it that long.
        if (minuteRetention.compareTo(minuteWindow.plus(minuteGrace).plus(maxSkew)) < 0) {
            throw new IllegalArgumentException("the 1-minute store retention must be at least window + grace + "
                    + "maximum skew");
        }
        if (hourRetention.compareTo(hourWindow.plus(hourGrace).plus(maxSkew)) < 0) {
            throw new IllegalArgumentException("the 1-hour store retention must be at least window + grace + "
                    + "maximum skew");
        }
    }

    /** 1-minute windows (grace 1 min, queryable 1 day) and 1-hour windows (grace 10 min, queryable 30 days). */
    public static TopologySettings defaults() {
        return new TopologySettings(ParserConfig.defaults(), Duration.ofMinutes(1), Duration.ofMinutes(1),
                Duration.ofDays(1), Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofDays(30), true,
                Duration.ofSeconds(2), Pattern.compile("(?i)invalid"), 200_000, Duration.ofMinutes(1), 200,
                Duration.ofMinutes(10), 0);
    }

    public TopologySettings withParser(ParserConfig p) {
        return new TopologySettings(p, minuteWindow, minuteGrace, minuteRetention, hourWindow, hourGrace,
                hourRetention, rekeyByHost, joinWindow, invalidPrefix, joinRecentCapacity, maxFuture,
                recentInvalidPerHost, maxSkew, upstreamTasks);
    }

    public TopologySettings withGrace(Duration minute, Duration hour) {
        return new TopologySettings(parser, minuteWindow, minute, minuteRetention, hourWindow, hour, hourRetention,
                rekeyByHost, joinWindow, invalidPrefix, joinRecentCapacity, maxFuture, recentInvalidPerHost, maxSkew,
                upstreamTasks);
    }

    public TopologySettings withJoin(Duration window, Pattern prefix) {
        return new TopologySettings(parser, minuteWindow, minuteGrace, minuteRetention, hourWindow, hourGrace,
                hourRetention, rekeyByHost, window, prefix, joinRecentCapacity, maxFuture,
                recentInvalidPerHost, maxSkew, upstreamTasks);
    }

    public TopologySettings withRekeyByHost(boolean rekey) {
        return new TopologySettings(parser, minuteWindow, minuteGrace, minuteRetention, hourWindow, hourGrace,
                hourRetention, rekey, joinWindow, invalidPrefix, joinRecentCapacity, maxFuture,
                recentInvalidPerHost, maxSkew, upstreamTasks);
    }

    public TopologySettings withRecentInvalidPerHost(int perHost) {
        return new TopologySettings(parser, minuteWindow, minuteGrace, minuteRetention, hourWindow, hourGrace,
                hourRetention, rekeyByHost, joinWindow, invalidPrefix, joinRecentCapacity, maxFuture, perHost, maxSkew,
                upstreamTasks);
    }

    public TopologySettings withMaxSkew(Duration skew) {
        return new TopologySettings(parser, minuteWindow, minuteGrace, minuteRetention, hourWindow, hourGrace,
                hourRetention, rekeyByHost, joinWindow, invalidPrefix, joinRecentCapacity, maxFuture,
                recentInvalidPerHost, skew, upstreamTasks);
    }

    public TopologySettings withUpstreamTasks(int tasks) {
        return new TopologySettings(parser, minuteWindow, minuteGrace, minuteRetention, hourWindow, hourGrace,
                hourRetention, rekeyByHost, joinWindow, invalidPrefix, joinRecentCapacity, maxFuture,
                recentInvalidPerHost, maxSkew, tasks);
    }

    private static void positive(String what, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("the " + what + " must be positive");
        }
    }

    private static void notNegative(String what, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("the " + what + " must not be negative");
        }
    }
}
