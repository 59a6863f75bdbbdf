package dev.louie.http;

import java.util.Objects;

/**
 * Who sent a request, as an {@link Authenticator} identified them.
 *
 * @param name  a name for logs that never holds a secret (for API keys, a fingerprint)
 * @param scope what the caller may do
 */
public record Caller(String name, Scope scope) {
    /** The caller of a server without authentication: may do everything. */
    public static final Caller ANONYMOUS = new Caller("anonymous", Scope.ALL);

    /** Checks that both are given. */
    public Caller {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scope, "scope");
    }
}
