package dev.dropstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks docker-compose.yml at the repository root without a Docker engine: Docker Compose accepts it,
 * and every Dropstream service runs a subcommand the {@code dropstream} CLI declares.
 */
class ComposeFileTest {
    /**
     * The one list of subcommands that docker-compose.yml may name before the CLI has them. The issue
     * that adds a subcommand removes it here; {@link #plannedSubcommandsAreNotDeclaredYet} says when.
     */
    static final Set<String> PLANNED_SUBCOMMANDS = Set.of();

    private static final Logger LOG = LoggerFactory.getLogger(ComposeFileTest.class);

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path COMPOSE_FILE = REPO.resolve("docker-compose.yml");

    @Test
    void everyDropstreamServiceRunsADeclaredOrPlannedSubcommand() throws IOException {
        Set<String> declared = DropstreamCommand.commandLine().getSubcommands().keySet();
        Map<String, String> missing = new TreeMap<>();
        Map<String, String> planned = new TreeMap<>();
        dropstreamServiceCommands().forEach((service, subcommand) -> {
            if (PLANNED_SUBCOMMANDS.contains(subcommand)) {
                planned.put(service, subcommand);
            } else if (!declared.contains(subcommand)) {
                missing.put(service, subcommand);
            }
        });
        if (!planned.isEmpty()) {
            LOG.info("docker-compose.yml services (service=subcommand) whose subcommand is planned but not in the "
                    + "dropstream CLI yet: {}", planned);
        }

        assertThat(missing)
                .as("docker-compose.yml services (service=subcommand) that run a subcommand the dropstream CLI "
                        + "does not declare (it declares %s) and that ComposeFileTest.PLANNED_SUBCOMMANDS "
                        + "(%s) does not list", new TreeSet<>(declared), new TreeSet<>(PLANNED_SUBCOMMANDS))
                .isEmpty();
        assertThat(dropstreamServiceCommands()).as("the Dropstream services in docker-compose.yml")
                .containsKeys("streams", "shipper");
    }

    @Test
    void plannedSubcommandsAreNotDeclaredYet() {
        Set<String> declared = DropstreamCommand.commandLine().getSubcommands().keySet();
        Set<String> arrived = new TreeSet<>(PLANNED_SUBCOMMANDS);
        arrived.retainAll(declared);
        assertThat(arrived)
                .as("subcommands the CLI now declares: remove them from ComposeFileTest.PLANNED_SUBCOMMANDS")
                .isEmpty();
    }

    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        if (!onPath("docker-compose")) {
            if (System.getenv("CI") != null) {
                fail("docker-compose is not installed; .ci/run installs it before the build");
            }
            Assumptions.abort("docker-compose is not installed here (apt-get install docker-compose); CI runs this check");
        }
        Process check = new ProcessBuilder("docker-compose", "-f", COMPOSE_FILE.toString(), "config", "-q")
                .directory(REPO.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).as("docker-compose config finishes").isTrue();
        assertThat(check.exitValue()).as("docker-compose config -q says: %s", output).isZero();
    }

    @Test
    void theImageTheServicesBuildExists() {
        assertThat(REPO.resolve("Dockerfile")).isRegularFile();
    }

    /** service name → first word of its command, for the services built from this repository's Dockerfile. */
    private static Map<String, String> dropstreamServiceCommands() throws IOException {
        JsonNode services = new YAMLMapper().readTree(COMPOSE_FILE.toFile()).path("services");
        Map<String, String> commands = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : services.properties()) {
            JsonNode service = e.getValue();
            if (service.has("build")) {
                JsonNode command = service.path("command");
                commands.put(e.getKey(), command.isArray() ? command.path(0).asText() : command.asText().split(" ")[0]);
            }
        }
        return commands;
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
