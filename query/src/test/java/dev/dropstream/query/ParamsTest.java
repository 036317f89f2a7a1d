package dev.dropstream.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dropstream.schema.Verdict;
import java.net.URI;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading the query string: ranges, resolutions, filters, and the one sentence of each refusal. */
class ParamsTest {
    private static final Instant NOW = Instant.parse("2026-11-25T17:20:00Z");
    private static final Set<String> RANGED = Set.of("since", "from", "to", "resolution", "prefix", "verdict",
            "protocol", "port", "limit");

    private static Params params(String query) {
        return Params.of(URI.create("/api/v1/drops?" + query), RANGED);
    }

    private static void refused(String query, String sentence) {
        assertThatThrownBy(() -> {
            Params p = params(query);
            p.range(NOW);
            p.resolution();
            Filters.Drops.of(p);
            p.integer("limit", 10, 1, 1000);
        }).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo(sentence);
        });
    }

    @Test
    void theRangeIsTheLastHourUnlessSinceOrFromAndToSayOtherwise() {
        assertThat(params("").range(NOW)).isEqualTo(new Range(NOW.minusSeconds(3600), NOW));
        assertThat(params("since=90s").range(NOW)).isEqualTo(new Range(NOW.minusSeconds(90), NOW));
        assertThat(params("since=7d").range(NOW)).isEqualTo(new Range(NOW.minusSeconds(7 * 86400), NOW));
        assertThat(params("from=2026-11-25T10:00:00Z&to=1795604400000").range(NOW))
                .isEqualTo(new Range(Instant.parse("2026-11-25T10:00:00Z"), Instant.ofEpochMilli(1795604400000L)));
        assertThat(params("from=0").range(NOW)).isEqualTo(new Range(Instant.EPOCH, NOW));
        assertThat(params("to=2026-11-25T12:00:00Z&since=15m").range(NOW))
                .isEqualTo(new Range(Instant.parse("2026-11-25T11:45:00Z"), Instant.parse("2026-11-25T12:00:00Z")));
    }

    @Test
    void filtersReadNamesAndNumbers() {
        Filters.Drops f = Filters.Drops.of(params("prefix=%5BUFW%20BLOCK%5D&verdict=drop&protocol=tcp&port=22"));
        assertThat(f).isEqualTo(new Filters.Drops("[UFW BLOCK]", Verdict.DROP, 6, 22));
        assertThat(Filters.Drops.of(params("protocol=58&port=-1"))).isEqualTo(new Filters.Drops(null, null, 58, -1));
        assertThat(params("resolution=1h").resolution()).isEqualTo("1h");
        assertThat(params("").resolution()).isEqualTo("1m");
    }

    @Test
    void everyBadParameterIsOneSentenceNamingIt() {
        refused("since=1w", "since must be a duration such as 90s, 15m, 1h, 24h or 7d, not '1w'.");
        refused("since=1h&from=0", "give either since or from, not both.");
        refused("from=yesterday", "from must be an ISO-8601 instant such as 2026-11-25T17:20:00Z or epoch milliseconds,"
                + " not 'yesterday'.");
        refused("from=2026-11-25T18:00:00Z&to=2026-11-25T17:00:00Z",
                "from (2026-11-25T18:00:00Z) is after to (2026-11-25T17:00:00Z).");
        refused("resolution=5m", "resolution must be 1m or 1h, not '5m'.");
        refused("verdict=maybe", "verdict must be one of [DROP, REJECT, ACCEPT, AUDIT, UNKNOWN], not 'maybe'.");
        refused("protocol=ipx", "protocol must be a protocol number from 0 to 255, -1, or one of [ah, esp, gre, icmp, "
                + "icmpv6, sctp, tcp, udp], not 'ipx'.");
        refused("port=70000", "port must be a whole number from -1 to 65535, not '70000'.");
        refused("limit=0", "limit must be a whole number from 1 to 1000, not '0'.");
        refused("port=22&port=23", "the parameter 'port' is given twice.");
        refused("sinc=1h", "unknown parameter 'sinc'; this path takes [from, limit, port, prefix, protocol, resolution, "
                + "since, to, verdict].");
    }
}
