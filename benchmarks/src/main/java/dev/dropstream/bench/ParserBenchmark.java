package dev.dropstream.bench;

import dev.dropstream.parser.EventMapper;
import dev.dropstream.parser.LineParser;
import dev.dropstream.parser.Outcome;
import dev.dropstream.parser.ParsedLine;
import dev.dropstream.parser.ParserConfig;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of the Dropstream parser over the corpus mix, per thread, beside two yardsticks measured in
 * the same run on the same lines:
 * <ul>
 *   <li>{@link #dropstreamParse}: {@link LineParser#parse} into one reused {@link ParsedLine}, the outcome
 *       consumed. This is the parser's own cost, which is meant to allocate nothing.
 *   <li>{@link #dropstreamParseToAvro}: the same, then {@link EventMapper} builds the Avro record
 *       (PacketEvent or ConntrackEvent) that the pipeline would publish. The gap to the first benchmark
 *       is the price of the output record, and its allocation is the record's.
 *   <li>{@link #regexBaseline}: the Logstash grok IPTABLES pattern done with {@code java.util.regex}
 *       ({@link IptablesGrok}): what the parser has to beat to be worth having.
 *   <li>{@link #ceiling}: one pass over each line's bytes that splits tokens at spaces and {@code =} and
 *       folds digits into a running value, creating nothing: about as fast as anything that looks at
 *       every byte once can go, so the parser's distance to it is what parsing proper costs.
 * </ul>
 * Every invocation handles {@value #BATCH} lines of the corpus mix, carrying on round-robin from where
 * the last one stopped, and counts as {@value #BATCH} operations: the primary score is lines per second.
 * The secondary score {@code megabytes} is input megabytes (10^6 bytes of line text, line feed not
 * counted) per second, and with {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes allocated per line.
 * Single-threaded by default: the scores are per thread.
 *
 * <p>The four batch loops are written out one by one rather than shared through a callback, so that each
 * benchmark's hot loop is exactly the code it measures, with no call through an interface in between.
 * See docs/benchmarks.md for the command, how to read the output, and the measured figures.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(ParserBenchmark.BATCH)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class ParserBenchmark {
    /** Lines per invocation. */
    static final int BATCH = 4096;

    /** The corpus folder; a relative path is looked up from the working directory and its ancestors. */
    @Param({"../shared/corpus"})
    public String corpus;

    private CorpusMix mix;
    private byte[] data;
    private int cursor;

    private LineParser parser;
    private ParsedLine line;
    private EventMapper mapper;

    private Matcher matcher;
    private IptablesGrok.Fields fields;

    @Setup(Level.Trial)
    public void load() {
        mix = CorpusMix.load(corpus);
        data = mix.data();
        parser = new LineParser(ParserConfig.defaults());
        line = new ParsedLine();
        mapper = new EventMapper();
        matcher = IptablesGrok.matcher(mix.text());
        fields = new IptablesGrok.Fields();
        System.out.println();
        System.out.println(mix.describe());
        System.out.println(tally());
    }

    /** What the corpus mix turns out to be for the parser and for the regex, printed once per fork. */
    private String tally() {
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        int regexMatches = 0;
        int portsAgree = 0;
        for (int i = 0; i < mix.lines(); i++) {
            Outcome o = parser.parse(data, mix.start(i), mix.end(i) - mix.start(i), line);
            outcomes.merge(o, 1, Integer::sum);
            if (IptablesGrok.match(matcher, mix.start(i), mix.end(i), fields)) {
                regexMatches++;
                if (o == Outcome.PACKET && fields.dstPort == line.dstPort()) {
                    portsAgree++;
                }
            }
        }
        return String.format("parser outcomes %s; regex matched %d of %d lines (%.1f%%), and on %d of them"
                + " its DPT equals the parser's destination port", outcomes, regexMatches, mix.lines(),
                100.0 * regexMatches / mix.lines(), portsAgree);
    }

    /** Input volume as a secondary score, so the report gives MB/s beside lines/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Volume {
        /** Megabytes of line text handled; reported per second. */
        public double megabytes;

        @Setup(Level.Iteration)
        public void reset() {
            megabytes = 0;
        }

        void add(long bytes) {
            megabytes += bytes / 1e6;
        }
    }

    @Benchmark
    public void dropstreamParse(Volume volume, Blackhole bh) {
        long bytes = 0;
        int i = cursor;
        for (int k = 0; k < BATCH; k++) {
            int s = mix.start(i);
            int len = mix.end(i) - s;
            bh.consume(parser.parse(data, s, len, line));
            bytes += len;
            i = mix.next(i);
        }
        cursor = i;
        volume.add(bytes);
    }

    @Benchmark
    public void dropstreamParseToAvro(Volume volume, Blackhole bh) {
        long bytes = 0;
        int i = cursor;
        for (int k = 0; k < BATCH; k++) {
            int s = mix.start(i);
            int len = mix.end(i) - s;
            Outcome o = parser.parse(data, s, len, line);
            if (o == Outcome.PACKET) {
                bh.consume(mapper.packetEvent(line, null));
            } else if (o == Outcome.CONNTRACK) {
                bh.consume(mapper.conntrackEvent(line, null));
            } else {
                bh.consume(o);
            }
            bytes += len;
            i = mix.next(i);
        }
        cursor = i;
        volume.add(bytes);
    }

    @Benchmark
    public void regexBaseline(Volume volume, Blackhole bh) {
        long bytes = 0;
        int i = cursor;
        for (int k = 0; k < BATCH; k++) {
            int s = mix.start(i);
            int e = mix.end(i);
            bh.consume(IptablesGrok.match(matcher, s, e, fields));
            bytes += e - s;
            i = mix.next(i);
        }
        cursor = i;
        bh.consume(fields);
        volume.add(bytes);
    }

    @Benchmark
    public void ceiling(Volume volume, Blackhole bh) {
        long bytes = 0;
        int i = cursor;
        for (int k = 0; k < BATCH; k++) {
            int s = mix.start(i);
            int e = mix.end(i);
            bh.consume(Ceiling.scan(data, s, e));
            bytes += e - s;
            i = mix.next(i);
        }
        cursor = i;
        volume.add(bytes);
    }
}
