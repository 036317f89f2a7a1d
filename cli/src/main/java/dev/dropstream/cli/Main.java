package dev.dropstream.cli;

import picocli.CommandLine;

/** Entry point of the {@code dropstream} command: runs it and exits with its status. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(DropstreamCommand.commandLine().execute(args));
    }
}
