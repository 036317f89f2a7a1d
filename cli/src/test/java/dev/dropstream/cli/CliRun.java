package dev.dropstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code dropstream} in-process on captured streams, as {@code Main} would on the real ones. */
public record CliRun(int exit, String out, String err) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static CliRun run(String... args) {
        return withStdin(new byte[0], args);
    }

    public static CliRun withStdin(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StdStreams io = new StdStreams(new ByteArrayInputStream(stdin), out,
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        int exit = DropstreamCommand.commandLine(io).execute(args);
        return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Every line of standard output, each of which must be one JSON object. */
    public List<JsonNode> objects() {
        List<JsonNode> nodes = new ArrayList<>();
        if (out.isEmpty()) {
            return nodes;
        }
        assertThat(out).as("output ends with a line feed").endsWith("\n");
        for (String line : out.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(line);
                assertThat(n.isObject()).as("an object: %s", line).isTrue();
                nodes.add(n);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException("not JSON: " + line, e);
            }
        }
        assertThat(nodes).as("no empty lines").hasSize(out.split("\n").length);
        return nodes;
    }

    /** The only object written. */
    public JsonNode object() {
        List<JsonNode> all = objects();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    public List<String> errLines() {
        return err.isEmpty() ? List.of() : List.of(err.split("\n"));
    }
}
