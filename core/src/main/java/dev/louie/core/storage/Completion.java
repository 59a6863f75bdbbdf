package dev.louie.core.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * One finished task for {@link Storage#completeAll}: end {@code lease} and store {@code result}
 * under {@code resultKey} (a {@code null} key only acknowledges).
 *
 * @param lease     the lease to end
 * @param resultKey key of the result, or null to store none
 * @param result    the encoded result, or null when {@code resultKey} is null
 * @param ttl       how long the result is kept, or null until consumed
 */
public record Completion(Lease lease, String resultKey, byte[] result, Duration ttl) {
    public Completion {
        Objects.requireNonNull(lease, "lease");
    }
}
