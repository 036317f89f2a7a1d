package dev.dropstream.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dropstream.schema.DropKey;
import dev.dropstream.schema.Verdict;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicCatalogTest {
    @Test
    void defaultsAndOverrides() {
        TopicCatalog c = TopicCatalog.create(Map.of("schema.registry.url", "mock://catalog-test",
                "topics.raw", "kern.raw", "unrelated", "x"));
        assertThat(c.raw().name()).isEqualTo("kern.raw");
        assertThat(c.packets().name()).isEqualTo("netlog.packets");
        assertThat(c.drops1h().name()).isEqualTo("netlog.drops.1h");
        assertThat(c.outputs()).extracting(TopicCatalog.Topic::name).containsExactly("netlog.packets",
                "netlog.conntrack", "netlog.invalid", "netlog.drops.1m", "netlog.drops.1h", "netlog.deadletter");
        DropKey k = DropKey.newBuilder().setPrefix("DROP ").setVerdict(Verdict.DROP).build();
        byte[] b = c.drops1m().keySerde().serializer().serialize(c.drops1m().name(), k);
        assertThat(c.drops1m().keySerde().deserializer().deserialize(c.drops1m().name(), b)).isEqualTo(k);
    }

    @Test
    void clashingNamesAreRefused() {
        assertThatThrownBy(() -> TopicCatalog.create(Map.of("schema.registry.url", "mock://x",
                "topics.packets", "netlog.raw"))).hasMessageContaining("same name");
    }
}
