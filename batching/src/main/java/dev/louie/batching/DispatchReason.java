package dev.louie.batching;

/** Why a {@link Batcher} sent a batch to its function when it did. */
public enum DispatchReason {
    /** Enough rows were waiting to reach the policy's current size limit (the batch is full). */
    FULL,
    /** The oldest request had waited the policy's maximum delay, so a partial batch went. */
    DELAY_EXPIRED,
    /** The policy asks for no waiting: whatever was queued went as soon as a slot was free. */
    NO_DELAY,
    /** The batcher was closing and drained its queue without waiting. */
    CLOSING
}
