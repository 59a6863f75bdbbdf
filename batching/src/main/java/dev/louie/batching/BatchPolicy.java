package dev.louie.batching;

import java.time.Duration;

/**
 * Decides how large the next batch may be and how long a batcher waits for it to fill. It
 * observes every batch it shaped and may adapt.
 *
 * <p>A batcher dispatches a batch when the queued rows reach {@link #maxBatchSize()} or when the
 * oldest queued request has waited {@link #maxDelayNanos()}, provided fewer than its
 * {@code concurrency} (or the policy's {@link #maxInFlight()}, if smaller) batches are running.
 *
 * <p>Policies keep state: give each {@link Batcher} its own instance (the factories below return
 * a new one on each call). A batcher calls a policy under its lock, so implementations need not
 * be thread-safe.
 */
public interface BatchPolicy {

    /** @return the current size limit of one batch, in rows; at least 1 */
    int maxBatchSize();

    /** @return how long the oldest request may wait for a batch to fill, in nanoseconds; 0 for none */
    long maxDelayNanos();

    /**
     * @return how many batches may run at once; the batcher runs at most the smaller of this and
     *         its configured {@code concurrency} (default: no limit of its own)
     */
    default int maxInFlight() {
        return Integer.MAX_VALUE;
    }

    /**
     * Called once by the batcher that uses this policy, before its first batch.
     *
     * @param concurrency the batcher's configured {@code concurrency}: the most batches it runs at once
     */
    default void attach(int concurrency) {
    }

    /** @param observation what happened to a batch that this policy's limits shaped */
    default void onBatchCompleted(Observation observation) {
    }

    /**
     * What a policy observed about one finished batch.
     *
     * @param rows            rows in the batch
     * @param sizeLimit       the limit that was in force when it was formed
     * @param oldestWaitNanos queue wait of its oldest request
     * @param executionNanos  how long the batch function took
     * @param failed          whether the function threw or returned the wrong count
     * @param endNanos        when it finished, on the batcher's {@link BatchClock#nanoTime()}
     * @param inFlight        batches running when it was dispatched, itself included
     * @param queuedAfter     requests left in the queue when it was formed (more than a full batch
     *                        was waiting when this is positive)
     */
    record Observation(int rows, int sizeLimit, long oldestWaitNanos, long executionNanos, boolean failed,
                       long endNanos, int inFlight, int queuedAfter) {

        /**
         * An observation without timing context: finished at time 0, alone in flight, nothing queued.
         *
         * @param rows            rows in the batch
         * @param sizeLimit       the limit that was in force when it was formed
         * @param oldestWaitNanos queue wait of its oldest request
         * @param executionNanos  how long the batch function took
         * @param failed          whether the function threw or returned the wrong count
         */
        public Observation(int rows, int sizeLimit, long oldestWaitNanos, long executionNanos, boolean failed) {
            this(rows, sizeLimit, oldestWaitNanos, executionNanos, failed, 0, 1, 0);
        }

        /** @return when the batch started running: {@code endNanos - executionNanos} */
        public long startNanos() {
            return endNanos - executionNanos;
        }

        /** @return whether the batch reached its size limit (the queue had more than enough) */
        public boolean full() {
            return rows >= sizeLimit;
        }
    }

    /** @return every request alone, dispatched as soon as a slot is free: the baseline */
    static BatchPolicy none() {
        return new FixedPolicy(1, Duration.ZERO);
    }

    /**
     * Delayed batching with fixed limits: dispatch when {@code maxSize} rows wait or when the
     * oldest has waited {@code maxDelay}.
     *
     * @param maxSize  rows per batch, at least 1
     * @param maxDelay how long to wait for a batch to fill; zero dispatches whatever is queued
     */
    static BatchPolicy fixed(int maxSize, Duration maxDelay) {
        return new FixedPolicy(maxSize, maxDelay);
    }

    /**
     * Clipper's additive-increase / multiplicative-decrease with default tunables; see
     * {@link AimdPolicy#builder(Duration)} to change them.
     *
     * @param slo the latency a batch's execution should stay within
     */
    static BatchPolicy aimd(Duration slo) {
        return AimdPolicy.builder(slo).build();
    }

    /**
     * Finds the batch size and number of batches in flight with the most rows per second whose
     * request latency stays within {@code slo}, and follows it as load and model change; see
     * {@link PeakThroughputPolicy#builder(Duration)} for the tunables.
     *
     * @param slo the latency one request, queue wait included, should stay within
     */
    static BatchPolicy peakThroughput(Duration slo) {
        return PeakThroughputPolicy.builder(slo).build();
    }

    /**
     * Fits {@code latency(n) = a + b·n} online and uses the largest size whose predicted p99
     * latency meets the SLO; see {@link LatencyFitPolicy#builder(Duration)}.
     *
     * @param slo the latency a batch's execution should stay within
     */
    static BatchPolicy latencyFit(Duration slo) {
        return LatencyFitPolicy.builder(slo).build();
    }
}
