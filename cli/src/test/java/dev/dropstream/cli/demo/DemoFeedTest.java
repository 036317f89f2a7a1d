package dev.dropstream.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dropstream.parser.LineParser;
import dev.dropstream.parser.Outcome;
import dev.dropstream.parser.ParsedLine;
import dev.dropstream.parser.ParserConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's file as a shipper finds it: whole lines, appended, stamped with the time they were written. */
class DemoFeedTest {
    @TempDir
    Path tmp;

    @Test
    void appendsWholeLinesStampedNow() throws Exception {
        Path file = tmp.resolve("demo").resolve("fleet.log");
        long before = System.currentTimeMillis() * 1000;
        try (DemoFeed feed = DemoFeed.start(file, 1000, 5)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readAllLines(file).size() >= 300);
        }
        long after = System.currentTimeMillis() * 1000;
        byte[] all = Files.readAllBytes(file);
        assertThat(all[all.length - 1]).as("the last line is whole").isEqualTo((byte) '\n');

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        LineParser parser = new LineParser(ParserConfig.defaults());
        ParsedLine p = new ParsedLine();
        for (String line : lines) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            assertThat(parser.parse(b, 0, b.length, p)).as(line).isIn(Outcome.PACKET, Outcome.CONNTRACK);
            // A tick's lines are spread over the tick before it, and a burst runs on for up to a tenth of a second.
            assertThat(p.eventTimeMicros()).as(line).isBetween(before - 1_000_000, after + 1_000_000);
        }

        try (DemoFeed again = DemoFeed.start(file, 1000, 5)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readAllLines(file).size() > lines.size());
        }
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8).subList(0, lines.size()))
                .as("a second start appends").isEqualTo(lines);
    }
}
