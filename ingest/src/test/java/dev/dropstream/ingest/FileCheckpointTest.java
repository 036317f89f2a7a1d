package dev.dropstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint of a followed file covers every acknowledged line, also when the acknowledgement comes before
 * the sink's offer returns (Kafka's producer calls back at once when a send fails immediately).
 */
class FileCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void linesAcknowledgedInsideTheOfferAreNotSentAgainAfterARestart() throws IOException {
        Path log = dir.resolve("kern.log");
        List<String> lines = CompressedRotationsTest.lines("live", 0, 20);
        Files.write(log, CompressedRotationsTest.text(lines));
        Path saved = dir.resolve("checkpoints");

        RecordingSink first = new RecordingSink();   // acknowledges inside offer
        Checkpoints checkpoints = Checkpoints.load(saved);
        try (FileFollower f = new FileFollower(List.of(log.toString()), 65_536, false, checkpoints, new Counters())) {
            f.poll(first);
        }
        checkpoints.save();
        assertThat(first.lines()).containsExactlyElementsOf(lines);

        RecordingSink second = new RecordingSink();
        try (FileFollower f = new FileFollower(List.of(log.toString()), 65_536, false, Checkpoints.load(saved),
                new Counters())) {
            f.poll(second);
        }
        assertThat(second.lines()).as("lines sent again after the restart").isEmpty();
    }

    @Test
    void acknowledgementsThatComeAfterTheFileWasReadAreSavedByTheNextSave() throws IOException {
        Path log = dir.resolve("kern.log");
        List<String> lines = CompressedRotationsTest.lines("live", 0, 20);
        Files.write(log, CompressedRotationsTest.text(lines));
        Path saved = dir.resolve("checkpoints");

        RecordingSink first = new RecordingSink();
        first.ackAtOnce = false;   // as Kafka does: later, when nothing is read any more
        Checkpoints checkpoints = Checkpoints.load(saved);
        try (FileFollower f = new FileFollower(List.of(log.toString()), 65_536, false, checkpoints, new Counters())) {
            f.poll(first);
            checkpoints.save();   // nothing acknowledged yet: the file's start
            for (int i = 0; i < 12; i++) {
                first.taken.get(i).onAck().run();
            }
            checkpoints.save();
        }
        RecordingSink second = new RecordingSink();
        try (FileFollower f = new FileFollower(List.of(log.toString()), 65_536, false, Checkpoints.load(saved),
                new Counters())) {
            f.poll(second);
        }
        assertThat(second.lines()).as("lines sent again after the restart: those not acknowledged")
                .containsExactlyElementsOf(lines.subList(12, 20));
    }
}
