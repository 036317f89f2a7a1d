package dev.dropstream.cli.parse;

import dev.dropstream.parser.EventMapper;
import dev.dropstream.parser.LineParser;
import dev.dropstream.parser.Outcome;
import dev.dropstream.parser.ParseError;
import dev.dropstream.parser.ParsedLine;
import dev.dropstream.parser.ParserConfig;

/**
 * Parses each line, counts what it was, and writes the records (and with {@code --all} the skipped and
 * failed lines) to the output. Single-threaded, like the parser it holds.
 */
final class LineHandler {
    /** The error class of a line longer than the reader keeps. */
    static final String LINE_TOO_LONG = "LINE_TOO_LONG";
    private static final int PUBLISH_EVERY = 1024;

    private final LineParser parser;
    private final EventMapper mapper = new EventMapper();
    private final ParsedLine parsed = new ParsedLine();
    private final JsonLines out;
    private final Counts counts;
    private final boolean all;
    private final String fallbackHost;
    private final int maxLine;

    LineHandler(ParserConfig config, JsonLines out, Counts counts, boolean all, String fallbackHost, int maxLine) {
        this.parser = new LineParser(config);
        this.out = out;
        this.counts = counts;
        this.all = all;
        this.fallbackHost = fallbackHost;
        this.maxLine = maxLine;
    }

    /**
     * Handles the reader's current line, line number {@code n} of {@code file} (null for standard input).
     */
    void line(String file, long n, LineReader r) {
        counts.lines++;
        if ((counts.lines % PUBLISH_EVERY) == 0) {
            counts.publish();
        }
        if (r.tooLong()) {
            counts.errors++;
            if (all) {
                out.error(file, n, LINE_TOO_LONG, "the line is " + r.length() + " bytes long, more than the "
                        + maxLine + " bytes a line may have", maxLine);
            }
            return;
        }
        byte[] b = r.buf();
        int off = r.start();
        int len = r.length();
        Outcome o = parser.parse(b, off, len, parsed);
        switch (o) {
            case PACKET -> {
                counts.packets++;
                out.packet(mapper.packetEvent(parsed, fallbackHost), b, off, len);
            }
            case CONNTRACK -> {
                counts.conntrack++;
                out.conntrack(mapper.conntrackEvent(parsed, fallbackHost), b, off, len);
            }
            case SKIPPED -> {
                counts.skipped++;
                if (all) {
                    out.skipped(file, n, parsed.skipReason());
                }
            }
            default -> {
                counts.errors++;
                if (all) {
                    ParseError e = parsed.error();
                    out.error(file, n, e == null ? "ERROR" : e.name(),
                            e == null ? "the line could not be parsed" : parsed.errorMessage(), parsed.errorPosition());
                }
            }
        }
    }
}
