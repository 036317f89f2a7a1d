package dev.dropstream.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dropstream.schema.Verdict;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class VerdictRulesTest {
    private final VerdictRules rules = VerdictRules.defaults();

    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource(delimiter = '|', value = {
        "[UFW BLOCK] |DROP",
        "[UFW AUDIT] |AUDIT",
        "[UFW AUDIT INVALID] |AUDIT",
        "[UFW ALLOW] |ACCEPT",
        "[UFW LIMIT BLOCK] |DROP",
        "[WAN_LOCAL-default-D]|DROP",
        "[LAN_LOCAL-default-A]|ACCEPT",
        "[RULESET-20-R]|REJECT",
        "Shorewall:net2fw:DROP:|DROP",
        "Shorewall:wlan0_mac:DROP:|DROP",
        "net2fw:REJECT:|REJECT",
        "SFW2-INext-DROP-DEFLT |DROP",
        "SFW2-INext-ACC-TCP |ACCEPT",
        "filter_IN_public_REJECT: |REJECT",
        "FINAL_REJECT: |REJECT",
        "STATE_INVALID_DROP: |DROP",
        "DROP |DROP",
        "DROP INVALID |DROP",
        "fw-chk drop [STATE=invalid] |DROP",
        "nft-dropped: |DROP",
        "RULE 24 -- DENY |DROP",
        "policy DROP: |DROP",
        "ACCEPT: |ACCEPT",
        "lcb-iptables drop |DROP",
        "BLOCKED-IN |DROP",
        "[netfilter-INPUT] |UNKNOWN",
        "DNAT: |UNKNOWN",
        "Inbound |UNKNOWN",
        "DROPBEAR-SSH |UNKNOWN",
        "nf_ct_proto_6: invalid new |UNKNOWN",
        "'' |UNKNOWN"
    })
    void presets(String prefix, Verdict expected) {
        assertThat(rules.verdictOf(prefix.equals("'' ") ? "" : prefix)).isEqualTo(expected);
    }

    @Test
    void customRulesComeFirstAndTheFirstMatchWins() {
        VerdictRules custom = VerdictRules.of(
                List.of(VerdictRules.parseRule("contains:[FW AUDIT-DROP]=AUDIT"), VerdictRules.parseRule("word:nope=REJECT")),
                List.of("words"));
        assertThat(custom.verdictOf("[FW AUDIT-DROP] ")).isEqualTo(Verdict.AUDIT);
        assertThat(custom.verdictOf("say NOPE ")).isEqualTo(Verdict.REJECT);
        assertThat(custom.verdictOf("[UFW BLOCK] ")).as("ufw preset not chosen").isEqualTo(Verdict.DROP);
        assertThat(VerdictRules.of(List.of(), List.of()).verdictOf("DROP ")).isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void ruleSyntaxErrorsSaySo() {
        assertThatThrownBy(() -> VerdictRules.parseRule("DROP")).hasMessageContaining("kind:pattern=VERDICT");
        assertThatThrownBy(() -> VerdictRules.parseRule("glob:x=DROP")).hasMessageContaining("unknown kind 'glob'");
        assertThatThrownBy(() -> VerdictRules.parseRule("word:x=KILL")).hasMessageContaining("unknown verdict 'KILL'");
        assertThatThrownBy(() -> VerdictRules.parseRule("regex:(=DROP")).hasMessageContaining("invalid regex");
        assertThatThrownBy(() -> VerdictRules.of(List.of(), List.of("pf"))).hasMessageContaining("unknown verdict preset 'pf'");
        assertThat(VerdictRules.parseRule("prefix:A=B=ACCEPT").pattern()).isEqualTo("A=B");
    }

    @Test
    void theParserAppliesTheConfiguredRules() {
        ParserConfig cfg = Parsing.config().withVerdictRules(
                VerdictRules.of(List.of(VerdictRules.parseRule("prefix:[netfilter-INPUT]=ACCEPT")), List.of()));
        ParsedLine l = new ParsedLine();
        LineParser p = new LineParser(cfg);
        String line = "[netfilter-INPUT] IN=enp0s3 OUT= SRC=192.168.122.1 DST=192.168.122.235 LEN=72 TOS=0x00 "
                + "PREC=0x00 TTL=64 ID=25053 DF PROTO=UDP SPT=53 DPT=43648 LEN=52 ";
        p.parse(line, l);
        assertThat(l.verdict()).isEqualTo(Verdict.ACCEPT);
        p.parse(line, l);
        assertThat(l.verdict()).as("cached").isEqualTo(Verdict.ACCEPT);
    }
}
