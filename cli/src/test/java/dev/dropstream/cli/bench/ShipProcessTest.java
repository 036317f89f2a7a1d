package dev.dropstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipper's JVM options as the launcher gives them, read back for the benchmark's own shipper process. */
class ShipProcessTest {
    @Test
    void theLaunchersOptionsForShipAreReadWithoutTheirComments() {
        List<String> options = ShipProcess.jvmOptions(null);
        assertThat(options).contains("-Xmx96m", "-XX:+UseSerialGC", "-XX:MaxDirectMemorySize=32m")
                .allSatisfy(o -> assertThat(o).startsWith("-").doesNotContain("#").doesNotContainAnyWhitespaces());
    }

    @Test
    void aMaxHeapReplacesTheirs() {
        List<String> options = ShipProcess.jvmOptions("200m");
        assertThat(options).filteredOn(o -> o.startsWith("-Xmx")).containsExactly("-Xmx200m");
        assertThat(options).contains("-XX:+UseSerialGC");
    }
}
