package dev.louie.core.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * A message taken from a queue for a limited time. Until the lease is acknowledged, released or
 * dead-lettered, no other consumer receives the message; when its deadline passes the message
 * becomes visible again with its delivery count raised.
 *
 * <p>The {@code token} identifies one delivery: operations on a lease whose message has since
 * been delivered again (or whose lease has ended) return {@code false}.
 *
 * @param queue      the queue it came from
 * @param id         message id
 * @param priority   message priority
 * @param body       encoded message
 * @param deliveries how many times this message has been delivered, this delivery included (1 at first)
 * @param token      unique to this delivery, chosen by the storage
 * @param deadline   when the lease expires unless extended
 */
public record Lease(String queue, String id, int priority, byte[] body, int deliveries, String token, Instant deadline) {
    public Lease {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(token, "token");
    }

    /** This lease with a new deadline, as returned by {@link Storage#extend}. */
    public Lease withDeadline(Instant newDeadline) {
        return new Lease(queue, id, priority, body, deliveries, token, newDeadline);
    }

    @Override
    public String toString() {
        return "Lease[queue=" + queue + ", id=" + id + ", deliveries=" + deliveries + ", deadline=" + deadline + "]";
    }
}
