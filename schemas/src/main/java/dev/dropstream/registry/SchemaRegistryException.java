package dev.dropstream.registry;

/**
 * A registry answered with an error, or could not be reached. {@link #errorCode()} is the Confluent
 * Schema Registry error code (40401 subject not found, 40403 schema not found, 42201 invalid schema,
 * 409 incompatible, 50001 store error, ...), or -1 when no answer came.
 */
public final class SchemaRegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errorCode;
    private final int httpStatus;

    public SchemaRegistryException(String message, int errorCode, int httpStatus, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.httpStatus = httpStatus;
    }

    public SchemaRegistryException(String message, int errorCode, int httpStatus) {
        this(message, errorCode, httpStatus, null);
    }

    public int errorCode() {
        return errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Whether trying again may help: no answer, or a 5xx. */
    public boolean retriable() {
        return httpStatus < 0 || httpStatus >= 500;
    }

    /** The subject, version or schema does not exist. */
    public boolean notFound() {
        return httpStatus == 404;
    }
}
