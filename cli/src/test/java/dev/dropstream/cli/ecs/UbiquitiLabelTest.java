package dev.dropstream.cli.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The corpus has no Ubiquiti line; these prefixes are constructed from the label form EdgeOS/UniFi write,
 * {@code [<rule set>-<rule>-<A|D|R>]}, and read as Filebeat's iptables module reads them.
 */
class UbiquitiLabelTest {

    @Test
    void readsRuleSetAndRule() {
        assertThat(UbiquitiLabel.find("[WAN_LOCAL-default-D]"))
                .isEqualTo(new UbiquitiLabel("WAN_LOCAL", "default", null, null));
        assertThat(UbiquitiLabel.find("[LAN_IN-2000-A]")).isEqualTo(new UbiquitiLabel("LAN_IN", "2000", null, null));
    }

    @Test
    void aRuleSetOfTwoZonesNamesThem() {
        assertThat(UbiquitiLabel.find("[wan-lan-default-D]")).isEqualTo(new UbiquitiLabel("wan-lan", "default",
                "wan", "lan"));
    }

    @Test
    void findsTheLabelAmongOtherBrackets() {
        assertThat(UbiquitiLabel.find("[fw] [LAN_IN-10-R] ")).isEqualTo(new UbiquitiLabel("LAN_IN", "10", null,
                null));
    }

    @Test
    void otherPrefixesHaveNoLabel() {
        assertThat(UbiquitiLabel.find("[UFW BLOCK] ")).isNull();
        assertThat(UbiquitiLabel.find("[netfilter-OUTPUT] ")).isNull();
        assertThat(UbiquitiLabel.find("DROP-IN-X ")).isNull();
        assertThat(UbiquitiLabel.find("[a--D]")).isNull();
        assertThat(UbiquitiLabel.find("[unclosed-1-D")).isNull();
        assertThat(UbiquitiLabel.find("")).isNull();
    }
}
