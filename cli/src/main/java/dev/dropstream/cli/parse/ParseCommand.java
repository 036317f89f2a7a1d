package dev.dropstream.cli.parse;

import dev.dropstream.cli.StdStreams;
import dev.dropstream.cli.UserError;
import dev.dropstream.parser.ParserConfig;
import dev.dropstream.parser.VerdictRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code dropstream parse [FILE...]}: reads log lines from files (gzip or not) or standard input and writes
 * one JSON object per record to standard output, a summary to standard error. See {@code docs/parse.md}.
 */
@Command(
        name = "parse",
        mixinStandardHelpOptions = true,
        description = {
            "Parses netfilter log lines (iptables/nftables LOG, conntrack diagnostics) and writes one JSON "
                    + "object per record to standard output, and a summary to standard error.",
            "Reads the FILEs, plain or gzip-compressed, or standard input when there are none."},
        sortOptions = false)
public final class ParseCommand implements Callable<Integer> {
    /** The longest line read whole, in bytes; a longer one is counted as an error and skipped. */
    static final int MAX_LINE = 1 << 20;

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Log files, plain or gzip-compressed (by the .gz name or the content); '-' is standard input.")
    List<String> files = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
            description = "json (default): our Avro records with their field names and a \"type\" member; "
                    + "ecs: Elastic Common Schema with Filebeat's iptables.* fields and network.community_id.")
    Format format;

    @Option(names = "--all",
            description = "Write exactly one object per input line, in order: the record, or "
                    + "{\"line\":N,\"skipped\":...} / {\"line\":N,\"error\":...,\"message\":...,\"position\":P}.")
    boolean all;

    @Option(names = "--zone", paramLabel = "ZONE", converter = ZoneConverter.class,
            description = "Time zone of stamps that carry none (RFC 3164, dmesg -T), e.g. Europe/Berlin or "
                    + "+02:00; default UTC.")
    ZoneId zone;

    @Option(names = "--verdict-rule", paramLabel = "RULE", converter = RuleConverter.class,
            description = "kind:pattern=VERDICT (kinds: contains, prefix, word, regex; verdicts: DROP, REJECT, "
                    + "ACCEPT, AUDIT, UNKNOWN), tried before the presets; repeatable, first match wins.")
    List<VerdictRules.Rule> rules = new ArrayList<>();

    @Option(names = "--verdict-presets", paramLabel = "NAME", split = ",", converter = PresetConverter.class,
            description = "The verdict presets to use after the rules, in this order; default all of: "
                    + "ufw, ubiquiti, shorewall, suse, firewalld, words.")
    List<String> presets;

    @Option(names = "--no-verdict-presets", description = "Use only the --verdict-rule rules.")
    boolean noPresets;

    @Option(names = "--host", paramLabel = "HOST",
            description = "The host to report for lines whose envelope names none.")
    String host;

    private final StdStreams io;

    public ParseCommand(StdStreams io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        ParserConfig config = config();
        Counts counts = new Counts();
        JsonLines out = new JsonLines(io.out(), format);
        LineHandler handler = new LineHandler(config, out, counts, all, host, MAX_LINE);
        List<String> inputs = files.isEmpty() ? List.of(Inputs.STDIN) : files;
        boolean failed = false;
        long start = System.nanoTime();
        try (Progress progress = Progress.start(io.err(), io.errIsTerminal(), counts, start)) {
            for (String name : inputs) {
                failed |= !read(name, handler, out);
            }
            out.flush();
        } catch (UncheckedIOException e) {
            if (isBrokenPipe(e.getCause())) {
                return failed ? 1 : 0;
            }
            throw new IllegalStateException("cannot write the output: " + e.getCause().getMessage(), e);
        }
        io.err().println(counts.snapshot().summary(System.nanoTime() - start));
        io.err().flush();
        return failed ? 1 : 0;
    }

    /** Reads one input to its end; false (after saying why on stderr) when it could not be read. */
    private boolean read(String name, LineHandler handler, JsonLines out) {
        boolean stdin = Inputs.STDIN.equals(name);
        InputStream opened;
        try {
            opened = stdin ? Inputs.stdin(io.in()) : Inputs.open(name);
        } catch (IOException e) {
            return cannotRead(e.getMessage());
        }
        String file = stdin ? null : name;
        try (InputStream in = opened) {
            LineReader reader = new LineReader(in, MAX_LINE, out::flush);
            long n = 0;
            while (reader.next()) {
                handler.line(file, ++n, reader);
            }
            return true;
        } catch (IOException e) {
            return cannotRead((stdin ? "standard input" : "'" + name + "'") + " cannot be read: " + Inputs.reason(e));
        }
    }

    private boolean cannotRead(String sentence) {
        io.err().println("dropstream: " + (sentence.endsWith(".") ? sentence : sentence + "."));
        io.err().flush();
        return false;
    }

    /** Linux says EPIPE this way; Java has no other sign that the reader of a pipe went away. */
    private static boolean isBrokenPipe(IOException e) {
        return e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("broken pipe");
    }

    private ParserConfig config() {
        if (noPresets && presets != null) {
            throw new UserError("use either --verdict-presets or --no-verdict-presets, not both");
        }
        List<String> presetNames = noPresets ? List.of() : presets == null ? VerdictRules.presetNames() : presets;
        ParserConfig config = ParserConfig.defaults().withVerdictRules(VerdictRules.of(rules, presetNames));
        return zone == null ? config : config.withZone(zone);
    }

    static final class ZoneConverter implements ITypeConverter<ZoneId> {
        @Override
        public ZoneId convert(String value) {
            try {
                return ZoneId.of(value);
            } catch (DateTimeException e) {
                throw new TypeConversionException("'" + value + "' is not a time zone (use a region such as "
                        + "Europe/Berlin or an offset such as +02:00)");
            }
        }
    }

    static final class RuleConverter implements ITypeConverter<VerdictRules.Rule> {
        @Override
        public VerdictRules.Rule convert(String value) {
            try {
                return VerdictRules.parseRule(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class PresetConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String name = value.strip().toLowerCase(Locale.ROOT);
            if (!VerdictRules.presetNames().contains(name)) {
                throw new TypeConversionException("unknown verdict preset '" + value + "' (known: "
                        + String.join(", ", VerdictRules.presetNames()) + ")");
            }
            return name;
        }
    }
}
