package dev.dropstream.cli;

import dev.dropstream.registry.SchemaRegistryClient;
import dev.dropstream.registry.SchemaRegistryException;
import dev.dropstream.schema.ConntrackEvent;
import dev.dropstream.schema.DeadLetter;
import dev.dropstream.schema.DropKey;
import dev.dropstream.schema.DropStats;
import dev.dropstream.schema.InvalidDrop;
import dev.dropstream.schema.PacketEvent;
import dev.dropstream.schema.ReasonKey;
import dev.dropstream.schema.ReasonStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * The schema registry of {@code dropstream up}: the in-process one ({@code mock://}), whose ids would otherwise
 * depend on the order a process first writes each schema, made to give every schema the same id in every run on
 * the same data directory, so that what one run wrote to Kafka (topics, changelogs, repartitions) the next one
 * reads. Reads and writes {@code DIR/schemas/<id>.avsc}: the schemas in id order, replayed before anything else
 * registers one; the schemas this build writes are registered next, and new ones saved.
 */
final class UpRegistry {
    /** Every record type the topology writes; registering them up front leaves nothing to be numbered later. */
    private static final List<Schema> WRITTEN = List.of(PacketEvent.getClassSchema(),
            ConntrackEvent.getClassSchema(), InvalidDrop.getClassSchema(), DropKey.getClassSchema(),
            DropStats.getClassSchema(), ReasonKey.getClassSchema(), ReasonStats.getClassSchema(),
            DeadLetter.getClassSchema());
    private static final String SUBJECT = "dropstream-up";

    private UpRegistry() {
    }

    /** Prepares the registry of the data directory {@code dir} and returns its {@code schema.registry.url}. */
    static String prepare(Path dir) {
        // One scope per data directory: a test may run several in one JVM, each numbering from 1.
        String url = "mock://dropstream-up-" + Integer.toHexString(dir.toAbsolutePath().normalize().hashCode());
        Path folder = DataDirs.usable(dir.resolve("schemas"));
        SchemaRegistryClient registry = SchemaRegistryClient.forUrl(url, Map.of());
        try {
            for (Path saved : saved(folder)) {
                int id = Integer.parseInt(saved.getFileName().toString().replace(".avsc", ""));
                Schema schema = new Schema.Parser().parse(Files.readString(saved, StandardCharsets.UTF_8));
                int given = registry.register(SUBJECT, schema);
                if (given != id) {
                    throw new UserError("the schemas saved in " + folder + " do not number from 1 without gaps ("
                            + saved.getFileName() + " came out as id " + given + "); restore them or start on a new "
                            + "data directory");
                }
            }
            for (Schema schema : WRITTEN) {
                registry.register(SUBJECT, schema);
            }
            save(registry, folder);
        } catch (UserError e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new UserError("cannot keep the schemas in " + folder + " (" + e.getMessage() + ")", e);
        }
        return url;
    }

    private static List<Path> saved(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().matches("[0-9]+\\.avsc"))
                    .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replace(".avsc", ""))))
                    .toList();
        }
    }

    /** Writes every schema the registry holds that is not saved yet, each to a temporary file renamed into place. */
    private static void save(SchemaRegistryClient registry, Path folder) throws IOException {
        List<Integer> ids = new ArrayList<>();
        for (int id = 1; ; id++) {
            try {
                registry.schemaById(id);
                ids.add(id);
            } catch (SchemaRegistryException e) {
                break;
            }
        }
        for (int id : ids) {
            Path file = folder.resolve(id + ".avsc");
            if (!Files.exists(file)) {
                Path tmp = folder.resolve(id + ".avsc.tmp");
                Files.writeString(tmp, registry.schemaById(id).toString(true), StandardCharsets.UTF_8);
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }
}
