package dev.louie.core.storage;

import java.time.Instant;

/**
 * A revocation flag: a task (by message id) or a task type (by name) that must not run.
 *
 * @param until {@code null} for "until restored", else the instant after which the flag lapses
 * @param once  the flag is cleared by the first execution it prevents
 */
public record Revocation(Instant until, boolean once) {
    /** Whether this flag is in force at {@code now}. */
    public boolean activeAt(Instant now) {
        return until == null || now.isBefore(until);
    }
}
