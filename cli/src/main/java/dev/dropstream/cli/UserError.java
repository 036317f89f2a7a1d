package dev.dropstream.cli;

/** A problem with what the user asked for (a path, a value); its message is the sentence they see. */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String sentence) {
        super(sentence);
    }

    public UserError(String sentence, Throwable cause) {
        super(sentence, cause);
    }
}
