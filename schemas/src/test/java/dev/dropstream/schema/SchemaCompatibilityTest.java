package dev.dropstream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Schemas evolve backward-compatibly: every record schema in {@code src/main/avro} can read data written
 * with each of its earlier committed versions (git history), checked with Avro's SchemaCompatibility.
 */
class SchemaCompatibilityTest {
    private static final Path AVRO = Paths.get("src/main/avro");
    /** Named types other files use, in the order they must be parsed (as in the avro-maven-plugin imports). */
    private static final List<String> PARSE_FIRST = List.of("Verdict", "EnvelopeFormat", "PacketFamily", "TcpFlag",
            "LinkLayer", "IpPacket", "ArpPacket", "ConntrackReason", "ConntrackEventKind", "PacketEvent");

    @Test
    void everySchemaReadsEveryEarlierCommittedVersion() throws Exception {
        Map<String, Schema> current = parseAll(readWorkingTree());
        List<String> commits = git("log", "--format=%H", "--", AVRO.toString());
        Assumptions.assumeTrue(commits != null, "git history of src/main/avro is not available (not a git checkout)");
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (String commit : commits) {
            Map<String, Schema> old = parseAll(readCommit(commit));
            for (Map.Entry<String, Schema> e : old.entrySet()) {
                Schema now = current.get(e.getKey());
                if (now == null) {
                    problems.add(e.getKey() + " existed at " + commit.substring(0, 8) + " and was removed");
                    continue;
                }
                SchemaCompatibility.SchemaPairCompatibility c =
                        SchemaCompatibility.checkReaderWriterCompatibility(now, e.getValue());
                if (c.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                    problems.add(e.getKey() + " cannot read its version of " + commit.substring(0, 8) + ": "
                            + c.getResult().getIncompatibilities());
                }
                checked++;
            }
        }
        assertThat(problems).isEmpty();
        assertThat(checked).isPositive();
    }

    private static Map<String, String> readWorkingTree() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(AVRO)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
                files.put(p.getFileName().toString().replace(".avsc", ""), Files.readString(p));
            }
        }
        return files;
    }

    private static Map<String, String> readCommit(String commit) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        List<String> names = git("ls-tree", "--name-only", commit, AVRO.toString() + "/");
        for (String n : names == null ? List.<String>of() : names) {
            if (n.endsWith(".avsc")) {
                // ls-tree names are relative to the module directory; "./" makes show read them so too.
                List<String> text = git("show", commit + ":./" + n);
                if (text != null) {
                    files.put(Paths.get(n).getFileName().toString().replace(".avsc", ""), String.join("\n", text));
                }
            }
        }
        return files;
    }

    /** Record and enum schemas by name, parsed in dependency order. */
    private static Map<String, Schema> parseAll(Map<String, String> files) {
        Schema.Parser parser = new Schema.Parser();
        Map<String, Schema> out = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        PARSE_FIRST.stream().filter(files::containsKey).forEach(order::add);
        files.keySet().stream().filter(k -> !order.contains(k)).forEach(order::add);
        for (String name : order) {
            Schema s = parser.parse(files.get(name));
            if (s.getType() == Schema.Type.RECORD) {
                out.put(s.getFullName(), s);
            }
        }
        return out;
    }

    /** Output lines of a git command run in the module directory, or null when git cannot answer. */
    private static List<String> git(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("git");
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        } catch (IOException e) {
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.getErrorStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return null;
        }
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }
}
