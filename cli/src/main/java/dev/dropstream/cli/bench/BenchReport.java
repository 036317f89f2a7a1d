package dev.dropstream.cli.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results of one {@code dropstream bench topology}: the input, the settings both topologies ran with, one row
 * per measured run, and the ratio of the full topology's rate to the minimal one's (medians when there were several
 * runs). Rendered as a small table or as JSON.
 */
final class BenchReport {
    static final String FULL = "full";
    static final String MINIMAL = "minimal";
    static final double GOAL = 0.7;

    /** The input as produced, and what the parser makes of it. */
    record Input(long lines, int hosts, int partitions, int nonNetfilterPercent, int eventRate, long packets, long conntrack,
            long skipped, long errors, long rekeyed, double produceSeconds, long eventSpanSeconds) {
    }

    /** The Kafka Streams settings both topologies ran with. */
    record Settings(String processingGuarantee, long commitIntervalMs, int streamThreads, long cacheMaxBytes,
            long warmUpLines) {
    }

    /**
     * One measured run: {@code seconds} from start until the whole input was processed and committed, of which
     * {@code startupSeconds} until the application first ran; {@code cpuSeconds} used by the application's own
     * threads meanwhile (not the broker's); {@code dropped}: records Kafka Streams dropped (late for an expired
     * window, or skipped by a handler).
     */
    record Run(String topology, String run, long lines, double seconds, double startupSeconds, double cpuSeconds,
            long dropped) {
        double linesPerSecond() {
            return lines / seconds;
        }
    }

    private final Input input;
    private final Settings settings;
    private final List<Run> runs = new ArrayList<>();

    BenchReport(Input input, Settings settings) {
        this.input = input;
        this.settings = settings;
    }

    void add(Run run) {
        runs.add(run);
    }

    List<Run> runs() {
        return List.copyOf(runs);
    }

    /** The median lines/s of one topology's runs. */
    double median(String topology) {
        double[] rates = runs.stream().filter(r -> r.topology().equals(topology)).mapToDouble(Run::linesPerSecond)
                .sorted().toArray();
        if (rates.length == 0) {
            return Double.NaN;
        }
        int mid = rates.length / 2;
        return rates.length % 2 == 1 ? rates[mid] : (rates[mid - 1] + rates[mid]) / 2;
    }

    double ratio() {
        return median(FULL) / median(MINIMAL);
    }

    /**
     * The table: a header, one row per run, then the ratio line.
     *
     * <pre>
     * topology  run      lines  seconds  start-up s  app cpu s  lines/s
     * full        1  1,000,000    61.23        1.23      55.10   16,331
     * minimal     1  1,000,000     9.88        0.99       8.20  101,256
     * full/minimal: 0.16 (goal 0.70 or better; exactly_once_v2, commit.interval.ms 100, 1 stream thread)
     * </pre>
     */
    String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"topology", "run", "lines", "seconds", "start-up s", "app cpu s", "lines/s"});
        for (Run r : runs) {
            rows.add(new String[] {r.topology(), r.run(), String.format(Locale.ROOT, "%,d", r.lines()),
                String.format(Locale.ROOT, "%.2f", r.seconds()), String.format(Locale.ROOT, "%.2f", r.startupSeconds()),
                String.format(Locale.ROOT, "%.2f", r.cpuSeconds()),
                String.format(Locale.ROOT, "%,.0f", r.linesPerSecond())});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                if (c > 0) {
                    sb.append("  ");
                }
                // The name column is left-aligned, the numbers right-aligned.
                sb.append(pad(row[c], width[c], c > 0));
            }
            sb.append(System.lineSeparator());
        }
        sb.append(String.format(Locale.ROOT, "full/minimal: %.2f (goal %.2f or better; %s, commit.interval.ms %d, %d stream "
                + "thread%s, %s%s)", ratio(), GOAL, settings.processingGuarantee(), settings.commitIntervalMs(),
                settings.streamThreads(), settings.streamThreads() == 1 ? "" : "s",
                settings.warmUpLines() > 0 ? String.format(Locale.ROOT, "after a %,d-line warm-up of each",
                        settings.warmUpLines()) : "no warm-up",
                runs.size() > 2 ? ", medians of the runs" : "")).append(System.lineSeparator());
        for (Run r : runs) {
            if (r.dropped() > 0) {
                sb.append(String.format(Locale.ROOT, "note: %s %s: %,d records were left out (late for their "
                        + "window, or skipped by a handler)", r.topology(), r.run(), r.dropped()))
                        .append(System.lineSeparator());
            }
        }
        return sb.toString();
    }

    private static String pad(String s, int width, boolean right) {
        String spaces = " ".repeat(width - s.length());
        return right ? spaces + s : s + spaces;
    }

    /** The same as JSON, for scripts: input, settings, runs, medians and the ratio. */
    String json() {
        StringWriter w = new StringWriter();
        JsonFactory f = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
        try (JsonGenerator g = f.createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeObjectFieldStart("input");
            g.writeNumberField("lines", input.lines());
            g.writeNumberField("hosts", input.hosts());
            g.writeNumberField("partitions", input.partitions());
            g.writeNumberField("nonNetfilterPercent", input.nonNetfilterPercent());
            g.writeNumberField("packets", input.packets());
            g.writeNumberField("conntrack", input.conntrack());
            g.writeNumberField("notNetfilter", input.skipped());
            g.writeNumberField("deadLetters", input.errors());
            g.writeNumberField("rekeyed", input.rekeyed());
            g.writeNumberField("eventLinesPerSecond", input.eventRate());
            g.writeNumberField("eventTimeSpanSeconds", input.eventSpanSeconds());
            g.writeNumberField("produceSeconds", round(input.produceSeconds()));
            g.writeEndObject();
            g.writeObjectFieldStart("settings");
            g.writeStringField("processingGuarantee", settings.processingGuarantee());
            g.writeNumberField("commitIntervalMs", settings.commitIntervalMs());
            g.writeNumberField("streamThreads", settings.streamThreads());
            g.writeNumberField("statestoreCacheMaxBytes", settings.cacheMaxBytes());
            g.writeNumberField("warmUpLines", settings.warmUpLines());
            g.writeEndObject();
            g.writeArrayFieldStart("runs");
            for (Run r : runs) {
                g.writeStartObject();
                g.writeStringField("topology", r.topology());
                g.writeStringField("run", r.run());
                g.writeNumberField("lines", r.lines());
                g.writeNumberField("seconds", round(r.seconds()));
                g.writeNumberField("startupSeconds", round(r.startupSeconds()));
                g.writeNumberField("appCpuSeconds", round(r.cpuSeconds()));
                g.writeNumberField("linesPerSecond", Math.round(r.linesPerSecond()));
                g.writeNumberField("droppedRecords", r.dropped());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("fullLinesPerSecond", Math.round(median(FULL)));
            g.writeNumberField("minimalLinesPerSecond", Math.round(median(MINIMAL)));
            g.writeNumberField("ratio", Math.round(ratio() * 1000) / 1000.0);
            g.writeNumberField("goal", GOAL);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w + System.lineSeparator();
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
