package dev.louie.batching;

import java.time.Duration;

/**
 * Additive increase, multiplicative decrease of the batch size limit, after Clipper: while full
 * batches finish within the SLO the limit grows by {@code step}; when a batch's execution misses
 * the SLO the limit is cut to {@code backoff} times that batch's size (Clipper cut by 10%).
 *
 * <p>The SLO is compared with a batch's <em>execution</em> time, not with queue wait: under
 * overload queue wait grows whatever the size, and cutting the size would only lower throughput
 * further. Bound queue wait with {@link Batcher.Builder#maxQueueSize(int)} and deadlines.
 *
 * <p>Two refinements over plain AIMD. The limit only grows after a <em>full</em> batch, so a
 * lightly loaded batcher does not drift to a huge limit it never tested. And after a miss the
 * size that missed is remembered as a ceiling: the limit grows back to just below it, then
 * probes the ceiling only after {@code probeInterval} good batches in a row. Plain AIMD probes
 * every few batches and so misses the SLO on several percent of batches; with the hold, fewer
 * than one batch in {@code probeInterval} misses, which keeps the p99 within the SLO. A probe
 * that succeeds forgets the ceiling (the model got faster, e.g. after a stall). Set
 * {@code probeInterval(0)} for Clipper's behaviour.
 */
public final class AimdPolicy implements BatchPolicy {
    private final long sloNanos;
    private final int step;
    private final double backoff;
    private final int minSize;
    private final int maxSize;
    private final long delayNanos;
    private final int probeInterval;

    private int limit;
    private int ceiling; // 0: none
    private int goodBelowCeiling;

    private AimdPolicy(Builder b) {
        this.sloNanos = b.slo.toNanos();
        this.step = b.step;
        this.backoff = b.backoff;
        this.minSize = b.minSize;
        this.maxSize = b.maxSize;
        this.delayNanos = b.delay.toNanos();
        this.probeInterval = b.probeInterval;
        this.limit = Math.max(minSize, Math.min(maxSize, b.initialSize));
    }

    /**
     * @param slo the execution latency one batch should stay within
     * @return a builder with defaults: step 1, backoff 0.9, sizes 1..1024 starting at 1, no delay,
     *         probe interval 200
     */
    public static Builder builder(Duration slo) {
        return new Builder(slo);
    }

    @Override
    public int maxBatchSize() {
        return limit;
    }

    @Override
    public long maxDelayNanos() {
        return delayNanos;
    }

    @Override
    public void onBatchCompleted(Observation o) {
        if (o.failed()) {
            return; // a failure's timing says nothing about the model's speed
        }
        if (o.executionNanos() > sloNanos) {
            if (o.sizeLimit() > limit) {
                return; // formed before the last cut (concurrency > 1): already accounted for
            }
            int missed = Math.min(o.rows(), limit);
            int cut = (int) Math.floor(missed * backoff);
            if (cut >= missed) {
                cut = missed - 1;
            }
            ceiling = missed;
            limit = Math.max(minSize, Math.min(limit, cut));
            goodBelowCeiling = 0;
            return;
        }
        if (ceiling > 0 && o.rows() >= ceiling) {
            ceiling = 0; // the probe at the old ceiling succeeded
        }
        if (!o.full() || o.sizeLimit() < limit) {
            return; // not full, or formed before the last growth: says nothing about the limit
        }
        int next = Math.min(maxSize, limit + step);
        if (ceiling > 0 && next >= ceiling) {
            if (++goodBelowCeiling < probeInterval) {
                return;
            }
            goodBelowCeiling = 0;
        }
        limit = next;
    }

    @Override
    public String toString() {
        return "aimd(slo=" + Duration.ofNanos(sloNanos) + ", limit=" + limit + ")";
    }

    /** Tunables of {@link AimdPolicy}; every setter validates at once. */
    public static final class Builder {
        private final Duration slo;
        private int step = 1;
        private double backoff = 0.9;
        private int minSize = 1;
        private int maxSize = 1024;
        private int initialSize = 1;
        private Duration delay = Duration.ZERO;
        private int probeInterval = 200;

        private Builder(Duration slo) {
            if (slo == null || slo.isNegative() || slo.isZero()) {
                throw new IllegalArgumentException("slo must be positive, was " + slo);
            }
            this.slo = slo;
        }

        /** @param step rows added to the limit after a full batch within the SLO (default 1) */
        public Builder step(int step) {
            if (step < 1) {
                throw new IllegalArgumentException("step must be at least 1, was " + step);
            }
            this.step = step;
            return this;
        }

        /** @param factor the limit becomes {@code factor} × the size that missed (default 0.9) */
        public Builder backoff(double factor) {
            if (!(factor > 0 && factor < 1)) {
                throw new IllegalArgumentException("backoff must be in (0, 1), was " + factor);
            }
            this.backoff = factor;
            return this;
        }

        /** @param min smallest limit (default 1) @param max largest limit (default 1024) */
        public Builder sizeRange(int min, int max) {
            if (min < 1 || max < min) {
                throw new IllegalArgumentException("need 1 <= min <= max, was " + min + ".." + max);
            }
            this.minSize = min;
            this.maxSize = max;
            return this;
        }

        /** @param size the limit to start at (default 1, clamped to the size range) */
        public Builder initialSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("initialSize must be at least 1, was " + size);
            }
            this.initialSize = size;
            return this;
        }

        /** @param delay wait up to this long for a batch to fill under bursty load (default none) */
        public Builder delay(Duration delay) {
            if (delay == null || delay.isNegative()) {
                throw new IllegalArgumentException("delay must be zero or positive, was " + delay);
            }
            this.delay = delay;
            return this;
        }

        /**
         * @param batches good full batches just below the last size that missed before probing
         *                it again (default 200; 0 probes at once, as Clipper)
         */
        public Builder probeInterval(int batches) {
            if (batches < 0) {
                throw new IllegalArgumentException("probeInterval must be >= 0, was " + batches);
            }
            this.probeInterval = batches;
            return this;
        }

        /** @return a new policy; build one per batcher */
        public AimdPolicy build() {
            return new AimdPolicy(this);
        }
    }
}
