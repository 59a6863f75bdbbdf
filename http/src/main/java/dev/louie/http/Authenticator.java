package dev.louie.http;

import java.util.Optional;

/**
 * Tells who sent a request. Empty means missing or unknown credentials: the request is answered
 * 401 with {@link #challenge()} in {@code WWW-Authenticate}; a {@link Caller} whose scope does not
 * cover the endpoint gets 403. Called on the request's thread for every request that needs a
 * caller (health endpoints do not, unless configured so); must be thread-safe and must not log
 * secrets. {@link ApiKeys} is the built-in one.
 */
@FunctionalInterface
public interface Authenticator {
    /** The caller the request's credentials identify, or empty when there are none or they are unknown. */
    Optional<Caller> authenticate(RequestHead request);

    /** The value of {@code WWW-Authenticate} on a 401. */
    default String challenge() {
        return "Bearer realm=\"louie\"";
    }

    /** No authentication: every request is {@link Caller#ANONYMOUS}, who may do everything. */
    static Authenticator none() {
        return request -> Optional.of(Caller.ANONYMOUS);
    }
}
