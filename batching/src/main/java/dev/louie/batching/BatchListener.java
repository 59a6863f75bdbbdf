package dev.louie.batching;

/**
 * Receives a {@link Batcher}'s metrics. All methods default to doing nothing. They are called
 * on the batcher's threads, outside its lock, and must be fast and thread-safe.
 * {@link BatcherStats} is a ready-made implementation with HdrHistogram percentiles.
 */
public interface BatchListener {

    /** @param event one batch finished (successfully or not) */
    default void batchCompleted(BatchEvent event) {
    }

    /**
     * One request that went through the batch function was completed.
     *
     * @param latencyNanos time from {@code submit} to completion
     * @param success      whether it completed with an output
     */
    default void requestCompleted(long latencyNanos, boolean success) {
    }

    /** @param queueDepth a request was rejected because the queue held {@code queueDepth} requests */
    default void requestRejected(int queueDepth) {
    }

    /** A request's deadline passed before dispatch; it never reached the function. */
    default void requestExpired() {
    }
}
