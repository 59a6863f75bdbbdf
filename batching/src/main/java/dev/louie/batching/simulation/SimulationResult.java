package dev.louie.batching.simulation;

import java.util.List;

/**
 * What a {@link Simulator} run measured after its warm-up. Latencies are in (virtual)
 * nanoseconds from arrival to completion; requests still queued when the run ended are not
 * counted as completed.
 *
 * @param policy            the policy's description at the end of the run
 * @param offeredPerSecond  arrival rate
 * @param throughputPerSecond completed requests per second
 * @param p50LatencyNanos   median request latency
 * @param p99LatencyNanos   99th percentile request latency
 * @param maxLatencyNanos   largest request latency
 * @param meanBatchSize     mean rows per batch
 * @param batches           batches completed
 * @param completed         requests completed
 * @param rejected          requests rejected because the queue was full
 * @param expired           requests dropped because their deadline passed
 * @param p99ExecutionNanos 99th percentile of batch execution time
 * @param maxQueueWaitNanos longest time any request waited before dispatch
 * @param queuedAtEnd       requests still queued when arrivals stopped
 * @param trace             every batch after the warm-up, in completion order
 */
public record SimulationResult(String policy, double offeredPerSecond, double throughputPerSecond,
                               long p50LatencyNanos, long p99LatencyNanos, long maxLatencyNanos,
                               double meanBatchSize, long batches, long completed, long rejected, long expired,
                               long p99ExecutionNanos, long maxQueueWaitNanos, int queuedAtEnd,
                               List<BatchSample> trace) {

    /** @return p99 request latency in milliseconds */
    public double p99Millis() {
        return p99LatencyNanos / 1e6;
    }

    /** @return median request latency in milliseconds */
    public double p50Millis() {
        return p50LatencyNanos / 1e6;
    }

    /** @return a one-line summary */
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "%s offered=%.0f/s throughput=%.0f/s p50=%.2fms p99=%.2fms max=%.2fms mean_batch=%.1f "
                        + "p99_exec=%.2fms rejected=%d expired=%d",
                policy, offeredPerSecond, throughputPerSecond, p50Millis(), p99Millis(), maxLatencyNanos / 1e6,
                meanBatchSize, p99ExecutionNanos / 1e6, rejected, expired);
    }

    /**
     * One batch in a simulation.
     *
     * @param atNanos         virtual time it completed
     * @param rows            its size
     * @param sizeLimit       the policy's limit when it was formed
     * @param executionNanos  how long it ran
     * @param oldestWaitNanos queue wait of its oldest request
     */
    public record BatchSample(long atNanos, int rows, int sizeLimit, long executionNanos, long oldestWaitNanos) {
    }
}
