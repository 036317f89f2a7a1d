package dev.dropstream.query;

/**
 * An answer other than 200, with the one sentence that goes into {@code {"error": …}}. Thrown anywhere while
 * a request is answered; the server turns it into the response (and {@code Retry-After} for 503).
 */
final class ApiError extends RuntimeException {
    private final int status;

    private ApiError(int status, String sentence) {
        super(sentence.endsWith(".") ? sentence : sentence + ".");
        this.status = status;
    }

    int status() {
        return status;
    }

    /** 400: a parameter the sentence names is wrong. */
    static ApiError badRequest(String sentence) {
        return new ApiError(400, sentence);
    }

    static ApiError unauthorized(String sentence) {
        return new ApiError(401, sentence);
    }

    static ApiError notFound(String sentence) {
        return new ApiError(404, sentence);
    }

    static ApiError methodNotAllowed(String sentence) {
        return new ApiError(405, sentence);
    }

    /** 503: the state is not queryable now (starting, rebalancing, an instance did not answer); try again. */
    static ApiError unavailable(String sentence) {
        return new ApiError(503, sentence);
    }
}
