package dev.louie.batching;

/**
 * What happened to one batch, reported to {@link BatchListener#batchCompleted(BatchEvent)}.
 *
 * @param batcher            name of the batcher
 * @param requests           requests in the batch
 * @param rows               rows in the batch (equals {@code requests} without a size function)
 * @param sizeLimit          the policy's size limit (rows) when the batch was formed
 * @param reason             why the batch was dispatched when it was
 * @param oldestWaitNanos    queue wait of the oldest request in the batch
 * @param executionNanos     time the batch function took
 * @param queueDepth         requests still queued right after this batch was formed
 * @param failed             whether the batch failed (function threw or returned the wrong count)
 */
public record BatchEvent(String batcher, int requests, int rows, int sizeLimit, DispatchReason reason,
                         long oldestWaitNanos, long executionNanos, int queueDepth, boolean failed) {
}
