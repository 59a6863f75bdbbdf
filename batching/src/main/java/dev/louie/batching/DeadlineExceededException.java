package dev.louie.batching;

/**
 * The request's deadline passed before it was dispatched; it was never sent to the batch
 * function.
 */
public class DeadlineExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message says which batcher and by how much the deadline was missed */
    public DeadlineExceededException(String message) {
        super(message, null, false, false);
    }
}
