package dev.dropstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class BenchReportTest {
    private static BenchReport report() {
        BenchReport r = new BenchReport(new BenchReport.Input(1000, 50, 2, 10, 1000, 880, 10, 100, 10, 0, 0.5, 1),
                new BenchReport.Settings("exactly_once_v2", 100, 1, 10_485_760, 1000));
        r.add(new BenchReport.Run(BenchReport.FULL, "1", 1000, 2.0, 0.5, 1.5, 0));
        r.add(new BenchReport.Run(BenchReport.MINIMAL, "1", 1000, 0.5, 0.25, 0.2, 3));
        return r;
    }

    @Test
    void theTableHasARowPerRunAndTheRatio() {
        assertThat(report().table().lines().toList()).containsExactly(
                "topology  run  lines  seconds  start-up s  app cpu s  lines/s",
                "full        1  1,000     2.00        0.50       1.50      500",
                "minimal     1  1,000     0.50        0.25       0.20    2,000",
                "full/minimal: 0.25 (goal 0.70 or better; exactly_once_v2, commit.interval.ms 100, 1 stream thread, "
                        + "after a 1,000-line warm-up of each)",
                "note: minimal 1: 3 records were left out (late for their window, or skipped by a handler)");
    }

    @Test
    void theJsonHasTheSameFigures() throws Exception {
        JsonNode j = new ObjectMapper().readTree(report().json());

        assertThat(j.at("/runs/0/topology").asText()).isEqualTo("full");
        assertThat(j.at("/runs/0/linesPerSecond").asLong()).isEqualTo(500);
        assertThat(j.at("/runs/1/droppedRecords").asLong()).isEqualTo(3);
        assertThat(j.at("/ratio").asDouble()).isEqualTo(0.25);
        assertThat(j.at("/settings/commitIntervalMs").asLong()).isEqualTo(100);
        assertThat(j.at("/input/notNetfilter").asLong()).isEqualTo(100);
    }

    @Test
    void severalRunsCompareMedians() {
        BenchReport r = report();
        r.add(new BenchReport.Run(BenchReport.FULL, "2", 1000, 1.0, 0.5, 1.5, 0));
        r.add(new BenchReport.Run(BenchReport.FULL, "3", 1000, 4.0, 0.5, 1.5, 0));

        assertThat(r.median(BenchReport.FULL)).isEqualTo(500);
        assertThat(r.table()).contains("medians of the runs");
    }
}
