package dev.dropstream.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Turns a bad flag, a bad value or a failed command into one clear sentence on stderr and a non-zero
 * exit status, without a stack trace: users read the sentence, not the trace.
 */
final class OneSentenceErrors
        implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {

    /** Exit status for a usage error (bad flag or value). */
    static final int USAGE = 2;
    /** Exit status for a command that failed while running. */
    static final int FAILED = 1;

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        PrintWriter err = ex.getCommandLine().getErr();
        err.println("dropstream: " + sentence(ex.getMessage()) + " (see 'dropstream "
                + commandPath(ex.getCommandLine()) + "--help')");
        err.flush();
        return USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (ex instanceof UserError) {
            err.println("dropstream: " + sentence(ex.getMessage()));
            err.flush();
            return USAGE;
        }
        String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        err.println("dropstream: " + sentence(msg));
        err.flush();
        return FAILED;
    }

    private static String commandPath(CommandLine cl) {
        StringBuilder path = new StringBuilder();
        for (CommandLine c = cl; c.getParent() != null; c = c.getParent()) {
            path.insert(0, c.getCommandName() + " ");
        }
        return path.toString();
    }

    private static String sentence(String s) {
        String t = s.strip();
        return t.endsWith(".") ? t : t + ".";
    }
}
