package dev.louie.http;

/**
 * What a {@link Caller} may do. {@link #READ} reads results (and the API description);
 * {@link #ALL} also submits tasks, calls models and deletes results. A request that needs more
 * than its caller's scope is answered 403.
 */
public enum Scope {
    /** Read results: {@code GET /api/v1/results/{id}}. */
    READ,
    /** Everything, reading included. */
    ALL;

    /** Whether a caller with this scope may do what {@code required} names. */
    public boolean covers(Scope required) {
        return this == ALL || this == required;
    }
}
