package dev.dropstream.parser;

import dev.dropstream.schema.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Derives a {@link Verdict} from a log prefix through an ordered rule list: the first rule that matches
 * decides; no match is {@link Verdict#UNKNOWN}, never a guessed drop. Presets cover UFW, Ubiquiti,
 * Shorewall, SuSE SFW2, firewalld and the plain words DROP/REJECT/ACCEPT/DENY/BLOCK/ALLOW.
 *
 * <p>Rules are written {@code kind:pattern=VERDICT}, e.g. {@code contains:[FW BLOCK]=DROP},
 * {@code word:deny=DROP} (case-insensitive, whole word), {@code prefix:FW-IN =ACCEPT},
 * {@code regex:^fw-(d|r)\b=DROP}. The parser looks each distinct prefix up once and caches the answer,
 * so rules (even regexes) are off the per-line path.
 */
public final class VerdictRules {

    /** How a rule's pattern is matched against the prefix. */
    public enum Kind {
        /** The prefix contains the pattern (case-sensitive). */
        CONTAINS,
        /** The prefix starts with the pattern (case-sensitive). */
        PREFIX,
        /** The pattern occurs as a whole word, ignoring case: not touching a letter or digit on either side. */
        WORD,
        /** A {@link Pattern} that finds a match in the prefix. */
        REGEX
    }

    /** One rule. */
    public static final class Rule {
        private final Kind kind;
        private final String pattern;
        private final Verdict verdict;
        private final Pattern regex;
        private final String lowerPattern;

        public Rule(Kind kind, String pattern, Verdict verdict) {
            this.kind = Objects.requireNonNull(kind, "kind");
            this.pattern = Objects.requireNonNull(pattern, "pattern");
            this.verdict = Objects.requireNonNull(verdict, "verdict");
            if (pattern.isEmpty()) {
                throw new IllegalArgumentException("a verdict rule needs a non-empty pattern");
            }
            this.regex = kind == Kind.REGEX ? Pattern.compile(pattern) : null;
            this.lowerPattern = pattern.toLowerCase(Locale.ROOT);
        }

        public Kind kind() {
            return kind;
        }

        public String pattern() {
            return pattern;
        }

        public Verdict verdict() {
            return verdict;
        }

        boolean matches(String prefix, String lowerPrefix) {
            switch (kind) {
                case CONTAINS:
                    return prefix.contains(pattern);
                case PREFIX:
                    return prefix.startsWith(pattern);
                case WORD:
                    return containsWord(lowerPrefix, lowerPattern);
                case REGEX:
                    return regex.matcher(prefix).find();
                default:
                    throw new IllegalStateException(kind.name());
            }
        }

        @Override
        public String toString() {
            return kind.name().toLowerCase(Locale.ROOT) + ":" + pattern + "=" + verdict;
        }
    }

    private static final Map<String, List<Rule>> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("ufw", List.of(
                new Rule(Kind.CONTAINS, "[UFW AUDIT", Verdict.AUDIT),
                new Rule(Kind.CONTAINS, "[UFW BLOCK]", Verdict.DROP),
                new Rule(Kind.CONTAINS, "[UFW LIMIT BLOCK]", Verdict.DROP),
                new Rule(Kind.CONTAINS, "[UFW ALLOW]", Verdict.ACCEPT)));
        // EdgeOS / UniFi: [<ruleset>-<rule|default>-<D|R|A>]
        PRESETS.put("ubiquiti", List.of(
                new Rule(Kind.REGEX, "\\[[^\\]\\s]+-[^\\]\\s]+-D\\]", Verdict.DROP),
                new Rule(Kind.REGEX, "\\[[^\\]\\s]+-[^\\]\\s]+-R\\]", Verdict.REJECT),
                new Rule(Kind.REGEX, "\\[[^\\]\\s]+-[^\\]\\s]+-A\\]", Verdict.ACCEPT)));
        // Shorewall: [Shorewall:]<chain>:<DISPOSITION>:
        PRESETS.put("shorewall", List.of(
                new Rule(Kind.CONTAINS, ":DROP:", Verdict.DROP),
                new Rule(Kind.CONTAINS, ":REJECT:", Verdict.REJECT),
                new Rule(Kind.CONTAINS, ":ACCEPT:", Verdict.ACCEPT)));
        // SuSEfirewall2: SFW2-<zone>-<ACC|DROP|REJECT>-<what>
        PRESETS.put("suse", List.of(
                new Rule(Kind.REGEX, "^SFW2-\\S*-DROP", Verdict.DROP),
                new Rule(Kind.REGEX, "^SFW2-\\S*-REJ", Verdict.REJECT),
                new Rule(Kind.REGEX, "^SFW2-\\S*-ACC", Verdict.ACCEPT)));
        // firewalld LogDenied: filter_<zone>_DROP: , filter_<zone>_REJECT: , FINAL_REJECT: , STATE_INVALID_DROP:
        PRESETS.put("firewalld", List.of(
                new Rule(Kind.REGEX, "_DROP: ?$", Verdict.DROP),
                new Rule(Kind.REGEX, "_REJECT: ?$", Verdict.REJECT),
                new Rule(Kind.REGEX, "_ALLOW: ?$", Verdict.ACCEPT)));
        PRESETS.put("words", List.of(
                new Rule(Kind.WORD, "reject", Verdict.REJECT),
                new Rule(Kind.WORD, "rejected", Verdict.REJECT),
                new Rule(Kind.WORD, "drop", Verdict.DROP),
                new Rule(Kind.WORD, "dropped", Verdict.DROP),
                new Rule(Kind.WORD, "deny", Verdict.DROP),
                new Rule(Kind.WORD, "denied", Verdict.DROP),
                new Rule(Kind.WORD, "block", Verdict.DROP),
                new Rule(Kind.WORD, "blocked", Verdict.DROP),
                new Rule(Kind.WORD, "accept", Verdict.ACCEPT),
                new Rule(Kind.WORD, "accepted", Verdict.ACCEPT),
                new Rule(Kind.WORD, "allow", Verdict.ACCEPT),
                new Rule(Kind.WORD, "allowed", Verdict.ACCEPT),
                new Rule(Kind.WORD, "audit", Verdict.AUDIT)));
    }

    private final List<Rule> rules;

    private VerdictRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Every preset, in the order UFW, Ubiquiti, Shorewall, SuSE, firewalld, words. */
    public static VerdictRules defaults() {
        return of(List.of(), List.copyOf(PRESETS.keySet()));
    }

    /** The given rules first, then the named presets in the order given. */
    public static VerdictRules of(List<Rule> custom, List<String> presets) {
        List<Rule> all = new ArrayList<>(custom);
        for (String name : presets) {
            List<Rule> preset = PRESETS.get(name.toLowerCase(Locale.ROOT));
            if (preset == null) {
                throw new IllegalArgumentException("unknown verdict preset '" + name + "' (known: "
                        + String.join(", ", PRESETS.keySet()) + ")");
            }
            all.addAll(preset);
        }
        return new VerdictRules(all);
    }

    /** Names of the presets. */
    public static List<String> presetNames() {
        return List.copyOf(PRESETS.keySet());
    }

    /** Parses {@code kind:pattern=VERDICT}; the last {@code =} separates the verdict. */
    public static Rule parseRule(String spec) {
        int colon = spec.indexOf(':');
        int eq = spec.lastIndexOf('=');
        if (colon <= 0 || eq <= colon + 1) {
            throw new IllegalArgumentException("verdict rule '" + spec
                    + "' is not of the form kind:pattern=VERDICT (kinds: contains, prefix, word, regex)");
        }
        Kind kind;
        Verdict verdict;
        try {
            kind = Kind.valueOf(spec.substring(0, colon).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("verdict rule '" + spec + "' has unknown kind '"
                    + spec.substring(0, colon) + "' (kinds: contains, prefix, word, regex)", e);
        }
        try {
            verdict = Verdict.valueOf(spec.substring(eq + 1).strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("verdict rule '" + spec + "' has unknown verdict '"
                    + spec.substring(eq + 1) + "' (verdicts: DROP, REJECT, ACCEPT, AUDIT, UNKNOWN)", e);
        }
        try {
            return new Rule(kind, spec.substring(colon + 1, eq), verdict);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("verdict rule '" + spec + "' has an invalid regex: "
                    + e.getDescription(), e);
        }
    }

    /** The rules in evaluation order. */
    public List<Rule> rules() {
        return rules;
    }

    /** The verdict of the first matching rule, or {@link Verdict#UNKNOWN}. */
    public Verdict verdictOf(String prefix) {
        String lower = prefix.toLowerCase(Locale.ROOT);
        for (Rule r : rules) {
            if (r.matches(prefix, lower)) {
                return r.verdict();
            }
        }
        return Verdict.UNKNOWN;
    }

    static boolean containsWord(String text, String word) {
        int from = 0;
        while (true) {
            int i = text.indexOf(word, from);
            if (i < 0) {
                return false;
            }
            int after = i + word.length();
            if ((i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)))
                    && (after == text.length() || !Character.isLetterOrDigit(text.charAt(after)))) {
                return true;
            }
            from = i + 1;
        }
    }
}
