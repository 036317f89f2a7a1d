package dev.dropstream.cli.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dropstream.cli.CliRun;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files, gzip, {@code --all}, the summary, and what a user gets for a bad flag or a missing file. */
class InputsAndErrorsTest {
    private static final String UFW = "cs456-blueteam/ufw.log";
    private static final String CONNTRACK = "conntrack-and-misc/conntrack-invalid.log";
    /** Lines 11-14 are the tails of records a UniFi device split across syslog messages. */
    private static final String SPLIT = "conntrack-and-misc/issue-quoted-lines.log";

    @TempDir
    Path dir;

    /** Corpus lines, a line that is not netfilter, a record fragment, and a line over the 1 MiB limit. */
    private List<String> mixedLines() {
        return List.of(TestCorpus.line(UFW, 1254), "Nov 30 00:00:01 m1 systemd[1]: Started Session 4 of user root.",
                TestCorpus.line(CONNTRACK, 4), TestCorpus.line(SPLIT, 11), "x".repeat(ParseCommand.MAX_LINE + 1),
                "", TestCorpus.line(CONNTRACK, 19));
    }

    private Path write(String name, List<String> lines, boolean gzip) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream raw = Files.newOutputStream(p);
                OutputStream out = gzip ? new GZIPOutputStream(raw) : raw) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void allWritesOneObjectPerLineInOrder() throws IOException {
        Path plain = write("mixed.log", mixedLines(), false);
        CliRun run = CliRun.run("parse", "--all", plain.toString());
        assertThat(run.exit()).isZero();
        List<JsonNode> out = run.objects();
        assertThat(out).hasSize(7);
        assertThat(out.get(0).get("type").asText()).isEqualTo("packet");
        assertThat(out.get(1).get("file").asText()).isEqualTo(plain.toString());
        assertThat(out.get(1).get("line").asInt()).isEqualTo(2);
        assertThat(out.get(1).get("skipped").asText()).isEqualTo("not a netfilter record");
        assertThat(out.get(2).get("type").asText()).isEqualTo("conntrack");
        assertThat(out.get(3).get("line").asInt()).isEqualTo(4);
        assertThat(out.get(3).get("error").asText()).isEqualTo("RECORD_FRAGMENT");
        assertThat(out.get(3).get("message").asText()).contains("fragment");
        assertThat(out.get(3).get("position").asInt()).isGreaterThan(0);
        assertThat(out.get(4).get("error").asText()).isEqualTo("LINE_TOO_LONG");
        assertThat(out.get(4).get("position").asInt()).isEqualTo(ParseCommand.MAX_LINE);
        assertThat(out.get(5).get("line").asInt()).isEqualTo(6);
        assertThat(out.get(5).has("skipped")).isTrue();
        assertThat(out.get(6).get("kind").asText()).isEqualTo("TABLE_FULL");
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.errLines().get(0)).matches(
                "lines 7, records 3 \\(packets 1, conntrack 2\\), skipped 2, errors 2, [0-9]+\\.[0-9]{3} s, [0-9]+ lines/s");
    }

    @Test
    void withoutAllOnlyRecordsAreWritten() throws IOException {
        CliRun run = CliRun.run("parse", "--format", "ecs", write("mixed.log", mixedLines(), false).toString());
        assertThat(run.exit()).isZero();
        assertThat(run.objects()).hasSize(3);
        assertThat(run.err()).startsWith("lines 7, records 3 (packets 1, conntrack 2), skipped 2, errors 2, ");
    }

    @Test
    void gzipIsReadByNameOrByContent() throws IOException {
        Path gz = write("mixed.log.gz", mixedLines(), true);
        Path disguised = write("mixed.txt", mixedLines(), true);
        CliRun run = CliRun.run("parse", "--all", gz.toString(), disguised.toString());
        assertThat(run.exit()).isZero();
        List<JsonNode> out = run.objects();
        assertThat(out).hasSize(14);
        assertThat(out.get(8).get("file").asText()).isEqualTo(disguised.toString());
        assertThat(out.get(8).get("line").asInt()).isEqualTo(2);
    }

    @Test
    void standardInputWhenThereAreNoFilesAndForADash() throws IOException {
        byte[] gz = Files.readAllBytes(write("mixed.log.gz", mixedLines(), true));
        CliRun none = CliRun.withStdin(gz, "parse", "--all");
        assertThat(none.objects()).hasSize(7);
        assertThat(none.objects().get(1).has("file")).as("standard input has no file name").isFalse();
        CliRun dash = CliRun.withStdin(gz, "parse", "-");
        assertThat(dash.objects()).hasSize(3);
    }

    @Test
    void invalidUtf8PassesThrough() {
        byte[] line = (TestCorpus.line(UFW, 1254).replace("[UFW BLOCK]", "[UFW BLOCK \u00ff]") + "\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        CliRun run = CliRun.withStdin(line, "parse", "--format", "ecs");
        assertThat(run.exit()).isZero();
        assertThat(run.object().at("/rule/name").asText()).isEqualTo("[UFW BLOCK \ufffd]");
    }

    @Test
    void aMissingFileIsOneSentenceAndTheOthersAreStillRead() throws IOException {
        Path good = write("good.log", List.of(TestCorpus.line(UFW, 1254)), false);
        Path missing = dir.resolve("missing.log");
        CliRun run = CliRun.run("parse", missing.toString(), good.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.objects()).hasSize(1);
        assertThat(run.errLines()).hasSize(2);
        assertThat(run.errLines().get(0)).isEqualTo("dropstream: '" + missing + "' does not exist.");
        assertThat(run.errLines().get(1)).startsWith("lines 1, records 1");
    }

    @Test
    void aDirectoryOrACorruptGzipIsReported() throws IOException {
        Path bad = dir.resolve("bad.gz");
        Files.write(bad, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0});
        CliRun run = CliRun.run("parse", dir.toString(), bad.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.errLines().get(0)).isEqualTo("dropstream: '" + dir + "' is a directory.");
        assertThat(run.errLines().get(1)).startsWith("dropstream: '" + bad + "' cannot be read: ").endsWith(".");
    }

    @Test
    void aGzipCutShortKeepsWhatWasReadBeforeTheCut() throws IOException {
        List<String> lines = java.util.Collections.nCopies(5000, TestCorpus.line(UFW, 1254));
        Path whole = write("whole.log.gz", lines, true);
        Path cut = dir.resolve("cut.log.gz");
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        CliRun run = CliRun.run("parse", cut.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.objects()).isNotEmpty().hasSizeLessThan(5000);
        assertThat(run.errLines().get(0)).startsWith("dropstream: '" + cut + "' cannot be read: ").endsWith(".");
    }

    @Test
    void aBadFlagIsOneLineAndExitTwo() {
        CliRun run = CliRun.run("parse", "--frobnicate");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.errLines().get(0)).startsWith("dropstream: ").contains("--frobnicate")
                .endsWith("(see 'dropstream parse --help')");
    }

    @Test
    void badValuesAreOneLineAndExitTwo() {
        for (String[] args : List.of(new String[] {"parse", "--zone", "Mars/Olympus"},
                new String[] {"parse", "--format", "xml"},
                new String[] {"parse", "--verdict-rule", "nope"},
                new String[] {"parse", "--verdict-rule", "regex:([=DROP"},
                new String[] {"parse", "--verdict-presets", "ufw,pfsense"},
                new String[] {"parse", "--verdict-presets", "ufw", "--no-verdict-presets"})) {
            CliRun run = CliRun.run(args);
            assertThat(run.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.out()).isEmpty();
            assertThat(run.errLines()).as(String.join(" ", args)).hasSize(1);
            assertThat(run.errLines().get(0)).startsWith("dropstream: ");
        }
        assertThat(CliRun.run("parse", "--zone", "Mars/Olympus").err()).contains("'Mars/Olympus' is not a time zone");
    }
}
