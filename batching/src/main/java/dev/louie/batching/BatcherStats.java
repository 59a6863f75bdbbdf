package dev.louie.batching;

import java.util.EnumMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A {@link BatchListener} that keeps counts and HdrHistogram percentiles of request latency,
 * batch size, execution time and queue wait. Thread-safe; {@link #snapshot()} is consistent.
 */
public final class BatcherStats implements BatchListener {
    private final Histogram latency = new Histogram(3);
    private final Histogram execution = new Histogram(3);
    private final Histogram oldestWait = new Histogram(3);
    private final Histogram batchRows = new Histogram(3);
    private final EnumMap<DispatchReason, Long> reasons = new EnumMap<>(DispatchReason.class);
    private long batches;
    private long failedBatches;
    private long rows;
    private long requests;
    private long failedRequests;
    private long rejected;
    private long expired;
    private int maxQueueDepth;
    private long maxLatency;
    private long maxExecution;
    private long maxOldestWait;

    /** Empty statistics. */
    public BatcherStats() {
    }

    @Override
    public synchronized void batchCompleted(BatchEvent e) {
        batches++;
        if (e.failed()) {
            failedBatches++;
        }
        rows += e.rows();
        batchRows.recordValue(e.rows());
        execution.recordValue(Math.max(0, e.executionNanos()));
        oldestWait.recordValue(Math.max(0, e.oldestWaitNanos()));
        maxExecution = Math.max(maxExecution, e.executionNanos());
        maxOldestWait = Math.max(maxOldestWait, e.oldestWaitNanos());
        reasons.merge(e.reason(), 1L, Long::sum);
        maxQueueDepth = Math.max(maxQueueDepth, e.queueDepth());
    }

    @Override
    public synchronized void requestCompleted(long latencyNanos, boolean success) {
        requests++;
        if (!success) {
            failedRequests++;
        }
        latency.recordValue(Math.max(0, latencyNanos));
        maxLatency = Math.max(maxLatency, latencyNanos);
    }

    @Override
    public synchronized void requestRejected(int queueDepth) {
        rejected++;
        maxQueueDepth = Math.max(maxQueueDepth, queueDepth);
    }

    @Override
    public synchronized void requestExpired() {
        expired++;
    }

    /** Forgets everything recorded so far (e.g. after a warm-up). */
    public synchronized void reset() {
        latency.reset();
        execution.reset();
        oldestWait.reset();
        batchRows.reset();
        reasons.clear();
        batches = failedBatches = rows = requests = failedRequests = rejected = expired = 0;
        maxQueueDepth = 0;
        maxLatency = maxExecution = maxOldestWait = 0;
    }

    /** @return a copy of the numbers so far */
    public synchronized Snapshot snapshot() {
        return new Snapshot(batches, failedBatches, requests, failedRequests, rejected, expired,
                batches == 0 ? 0 : (double) rows / batches,
                batchRows.getMaxValue(),
                latency.getValueAtPercentile(50), latency.getValueAtPercentile(99), maxLatency,
                execution.getValueAtPercentile(50), execution.getValueAtPercentile(99), maxExecution,
                oldestWait.getValueAtPercentile(99), maxOldestWait, maxQueueDepth, Map.copyOf(reasons));
    }

    /**
     * Numbers at one moment. Times are in nanoseconds; percentiles have three significant digits
     * (HdrHistogram), maxima are exact.
     *
     * @param batches              batches finished
     * @param failedBatches        of which failed
     * @param requests             requests completed by a batch (successfully or not)
     * @param failedRequests       of which failed
     * @param rejected             requests rejected because the queue was full
     * @param expired              requests whose deadline passed before dispatch
     * @param meanBatchRows        mean rows per batch
     * @param maxBatchRows         largest batch
     * @param p50LatencyNanos      median request latency (submit to completion)
     * @param p99LatencyNanos      99th percentile request latency
     * @param maxLatencyNanos      largest request latency
     * @param p50ExecutionNanos    median batch execution time
     * @param p99ExecutionNanos    99th percentile batch execution time
     * @param maxExecutionNanos    longest batch execution
     * @param p99OldestWaitNanos   99th percentile of the oldest request's queue wait per batch
     * @param maxOldestWaitNanos   longest queue wait of any dispatched request
     * @param maxQueueDepth        deepest queue seen at a dispatch or rejection
     * @param dispatchReasons      batches per dispatch reason
     */
    public record Snapshot(long batches, long failedBatches, long requests, long failedRequests, long rejected,
                           long expired, double meanBatchRows, long maxBatchRows, long p50LatencyNanos,
                           long p99LatencyNanos, long maxLatencyNanos, long p50ExecutionNanos,
                           long p99ExecutionNanos, long maxExecutionNanos, long p99OldestWaitNanos,
                           long maxOldestWaitNanos, int maxQueueDepth, Map<DispatchReason, Long> dispatchReasons) {
    }
}
