package dev.dropstream.cli.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dropstream.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole corpus through {@code parse --all}: one valid JSON object per line, in both formats. */
class CorpusRoundTripTest {

    @ParameterizedTest
    @ValueSource(strings = {"json", "ecs"})
    void everyLineGivesExactlyOneObject(String format) throws IOException {
        List<String> args = new ArrayList<>(List.of("parse", "--all", "--format", format));
        long lines = 0;
        for (Path f : TestCorpus.logFiles()) {
            args.add(f.toString());
            try (var s = Files.lines(f)) {
                lines += s.count();
            }
        }
        CliRun run = CliRun.run(args.toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isZero();
        List<JsonNode> out = run.objects();
        assertThat(out).hasSize((int) lines);
        long errors = out.stream().filter(n -> n.has("error")).count();
        // The only failures are the four tails of split records the corpus marks as negative cases.
        assertThat(errors).isEqualTo(4);
        assertThat(run.err()).startsWith("lines " + lines + ", ").contains(", errors 4, ");
        if (format.equals("ecs")) {
            long withIds = out.stream().filter(n -> n.at("/network/community_id").isTextual()).count();
            assertThat(withIds).as("records with a Community ID").isGreaterThan(lines / 2);
        }
    }
}
