package dev.dropstream.cli.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dropstream.cli.CliRun;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@code dropstream query} without a server: one sentence and a non-zero exit. */
class QueryCommandTest {
    @Test
    void aServerThatDoesNotAnswerIsOneSentence() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        CliRun r = CliRun.run("query", "hosts", "--url", "http://127.0.0.1:" + closedPort);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("dropstream: no query API answers at http://127.0.0.1:" + closedPort
                + "/ (is dropstream streams running there? --url sets the address).");
    }

    @Test
    void aUrlThatIsNotHttpIsAUsageError() {
        CliRun r = CliRun.run("query", "top", "ports", "--url", "ftp://example.org");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("dropstream: --url must be an http:// or https:// URL such as "
                + "http://127.0.0.1:7070, not 'ftp://example.org'.");
    }
}
