package dev.dropstream.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code dropstream up} ships when no FILE is given: the kernel and firewall logs of this machine that this
 * user may read, else the journal, else (only with {@code --demo}) nothing but the demo. Reads nothing itself.
 */
record UpSources(List<String> files, boolean journald) {
    /** Where Debian, Ubuntu, RHEL and their kin write kernel messages (and UFW's own file). */
    static final List<Path> USUAL_LOGS = List.of(Path.of("/var/log/kern.log"), Path.of("/var/log/ufw.log"),
            Path.of("/var/log/syslog"), Path.of("/var/log/messages"));

    /**
     * The sources to ship: {@code given} when there are any; else with {@code demo} none; else the readable ones of
     * {@code usualLogs}; else the journal when {@code journalctl} is there; else a {@link UserError}.
     */
    static UpSources choose(List<String> given, boolean demo, List<Path> usualLogs, boolean journalctl) {
        if (!given.isEmpty()) {
            if (given.contains("-")) {
                throw new UserError("dropstream up follows files; use dropstream ship for standard input ('-')");
            }
            return new UpSources(List.copyOf(given), false);
        }
        if (demo) {
            return new UpSources(List.of(), false);
        }
        List<String> readable = usualLogs.stream().filter(p -> Files.isRegularFile(p) && Files.isReadable(p))
                .map(Path::toString).toList();
        if (!readable.isEmpty()) {
            return new UpSources(readable, false);
        }
        if (journalctl) {
            return new UpSources(List.of(), true);
        }
        throw new UserError("there is nothing to read: none of " + String.join(", ", usualLogs.stream()
                .map(Path::toString).toList()) + " can be read by this user and there is no journalctl; give FILEs, "
                + "or try --demo");
    }

    /** What the start-up message lists. */
    List<String> described() {
        return journald ? List.of("journald") : files;
    }
}
