package dev.louie.batching;

/**
 * The batcher's queue was full, so the request was rejected at once without being queued.
 * An HTTP layer usually turns this into {@code 503 Service Unavailable}.
 */
public class BatcherOverloadedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message says which batcher and how full it was */
    public BatcherOverloadedException(String message) {
        super(message, null, false, false);
    }
}
