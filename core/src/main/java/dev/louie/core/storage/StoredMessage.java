package dev.louie.core.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * A message as it sits in a queue, for operators and tools: what {@link StorageInspection} lists.
 *
 * @param queue      queue it is in
 * @param id         message id
 * @param state      pending (visible), scheduled (waiting for its eta) or leased (taken by a consumer)
 * @param priority   message priority
 * @param eta        when a scheduled message becomes visible; {@code null} for the other states
 * @param deliveries deliveries made so far (0 for a message never taken)
 * @param deadline   when the lease of a leased message expires; {@code null} for the other states
 * @param body       encoded message as it was stored
 */
public record StoredMessage(String queue, String id, State state, int priority, Instant eta, int deliveries,
        Instant deadline, byte[] body) {

    /** Where in its queue a message is. */
    public enum State {
        /** Visible: the next dequeue may take it. */
        PENDING,
        /** Waiting for its eta. */
        SCHEDULED,
        /** Taken by a consumer under a lease. */
        LEASED
    }

    public StoredMessage {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(body, "body");
    }

    @Override
    public String toString() {
        return "StoredMessage[queue=" + queue + ", id=" + id + ", state=" + state + ", priority=" + priority
                + ", eta=" + eta + ", deliveries=" + deliveries + ", deadline=" + deadline + ", body=" + body.length
                + " bytes]";
    }
}
