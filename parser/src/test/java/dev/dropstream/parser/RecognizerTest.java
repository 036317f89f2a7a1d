package dev.dropstream.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RecognizerTest {
    @Test
    void neverRejectsALineTheParserReads() {
        LineParser parser = new LineParser(ParserConfig.defaults());
        ParsedLine line = new ParsedLine();
        int records = 0;
        for (Path f : Corpus.logFiles()) {
            for (byte[] b : Corpus.lines(f)) {
                Outcome o = parser.parse(b, 0, b.length, line);
                if (o != Outcome.SKIPPED) {
                    records++;
                    assertThat(Recognizer.mayBeNetfilter(b, 0, b.length)).as(new String(b, StandardCharsets.UTF_8)).isTrue();
                }
            }
        }
        assertThat(records).isGreaterThan(25_000);
    }

    @Test
    void otherKernelAndSyslogLinesAreRejected() {
        for (String s : new String[] {"Nov 25 10:00:00 h sshd[1]: Accepted publickey for root from 10.0.0.1",
            "[ 12.5] usb 1-1: new high-speed USB device number 2", "Nov 25 10:00:00 h kernel: EXT4-fs (sda1): mounted"}) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            assertThat(Recognizer.mayBeNetfilter(b, 0, b.length)).as(s).isFalse();
        }
    }
}
