package dev.louie.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request answered with an RFC 9457 problem: thrown by the endpoints, turned into an
 * {@code application/problem+json} response by {@link Dispatcher}. {@code type} is
 * {@code urn:louie:problem:<slug>}.
 */
final class ProblemException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** One bad field: a JSON path into the request ({@code $.order.qty}, {@code $[1]}) and what is wrong there. */
    record FieldError(String path, String message) {
    }

    final int status;
    final String slug;
    final String title;
    final transient List<FieldError> errors;
    final transient Map<String, String> headers = new LinkedHashMap<>();
    final transient Map<String, Object> extensions = new LinkedHashMap<>();

    ProblemException(int status, String slug, String title, String detail) {
        this(status, slug, title, detail, List.of());
    }

    ProblemException(int status, String slug, String title, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    ProblemException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    ProblemException extension(String name, Object value) {
        extensions.put(name, value);
        return this;
    }

    static ProblemException badRequest(String detail, List<FieldError> errors) {
        return new ProblemException(400, "invalid-request", "Invalid request", detail, errors);
    }

    static ProblemException notFound(String slug, String detail) {
        return new ProblemException(404, slug, "Not found", detail);
    }

    static ProblemException unavailable(String slug, String detail, long retryAfterSeconds) {
        return new ProblemException(503, slug, "Service unavailable", detail)
                .header("Retry-After", Long.toString(Math.max(1, retryAfterSeconds)));
    }
}
