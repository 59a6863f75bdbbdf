package dev.louie.batching;

import java.time.Duration;

/**
 * Fits a line {@code t(n) = a + b·n} to the execution times of the batches it sees
 * (exponentially weighted least squares, so it follows a model that gets slower or faster),
 * tracks the spread of the residuals, and sets the size limit to the largest {@code n} whose
 * predicted p99, {@code a + b·n + z·σ}, stays within the SLO.
 *
 * <p>It starts by doubling the limit after each full batch within the SLO (slow start) until it
 * has seen a few distinct sizes, then follows the fit. So that the fit keeps information about
 * the slope when every batch is full, one batch in {@code exploreEvery} runs at
 * {@code exploreFraction} of the target size.
 *
 * <p>Compared with {@link AimdPolicy}: it reaches the right size in a handful of batches instead
 * of one step per batch, and it never probes past the SLO on purpose. It trusts the fit, so it
 * reacts more slowly than AIMD's immediate cut when latency changes suddenly (a stall), and it
 * mis-sizes batches when latency is far from linear in the batch size. The docs page compares
 * them by simulation.
 */
public final class LatencyFitPolicy implements BatchPolicy {
    private static final int WARMUP_SAMPLES = 6;

    private final double sloNanos;
    private final int minSize;
    private final int maxSize;
    private final long delayNanos;
    private final double decay;
    private final double z;
    private final int exploreEvery;
    private final double exploreFraction;

    // exponentially weighted sums of 1, n, n², t, n·t
    private double s0;
    private double s1;
    private double s2;
    private double t1;
    private double t2;
    private double residualVar;
    private int samples;
    private boolean slowStart = true;
    private long batches;

    private int target;
    private int limit;

    private LatencyFitPolicy(Builder b) {
        this.sloNanos = b.slo.toNanos();
        this.minSize = b.minSize;
        this.maxSize = b.maxSize;
        this.delayNanos = b.delay.toNanos();
        this.decay = b.decay;
        this.z = b.z;
        this.exploreEvery = b.exploreEvery;
        this.exploreFraction = b.exploreFraction;
        this.target = Math.max(minSize, Math.min(maxSize, b.initialSize));
        this.limit = target;
    }

    /**
     * @param slo the execution latency one batch should stay within (its p99)
     * @return a builder with defaults: sizes 1..1024 starting at 1, no delay, decay 0.97 per batch,
     *         z 2.33 (p99 of a normal spread), explore every 4th batch at 0.8 of the target
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

    /** @return the fitted fixed cost {@code a} in nanoseconds (NaN before a fit) */
    public double interceptNanos() {
        return fit()[0];
    }

    /** @return the fitted cost per row {@code b} in nanoseconds (NaN before a fit) */
    public double slopeNanos() {
        return fit()[1];
    }

    @Override
    public void onBatchCompleted(Observation o) {
        if (o.failed()) {
            return;
        }
        double n = o.rows();
        double t = o.executionNanos();
        double[] ab = fit();
        if (!Double.isNaN(ab[0])) {
            double r = t - (ab[0] + ab[1] * n);
            residualVar = decay * residualVar + (1 - decay) * r * r;
        }
        s0 = decay * s0 + 1;
        s1 = decay * s1 + n;
        s2 = decay * s2 + n * n;
        t1 = decay * t1 + t;
        t2 = decay * t2 + n * t;
        samples++;
        batches++;

        if (slowStart) {
            if (t > sloNanos) {
                slowStart = false;
            } else if (o.full() && o.sizeLimit() >= target) {
                target = Math.min(maxSize, target * 2);
                if (samples >= WARMUP_SAMPLES && target == maxSize) {
                    slowStart = false;
                }
            }
            if (slowStart) {
                limit = target;
                return;
            }
        }
        ab = fit();
        if (Double.isNaN(ab[0]) || ab[1] <= 0) {
            // no usable slope yet: behave like a cautious AIMD
            target = t > sloNanos ? Math.max(minSize, (int) (n * 0.5)) : Math.min(maxSize, target + 1);
        } else {
            double budget = sloNanos - ab[0] - z * Math.sqrt(residualVar);
            int best = (int) Math.floor(budget / ab[1]);
            // move at most by a factor of two per batch
            best = Math.min(best, Math.max(target * 2, minSize));
            target = Math.max(minSize, Math.min(maxSize, best));
        }
        if (exploreEvery > 0 && batches % exploreEvery == 0) {
            limit = Math.max(minSize, (int) Math.floor(target * exploreFraction));
        } else {
            limit = target;
        }
    }

    private double[] fit() {
        if (s0 <= 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mn = s1 / s0;
        double var = s2 / s0 - mn * mn;
        if (var < 1e-6 * Math.max(1, mn * mn)) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mt = t1 / s0;
        double b = (t2 / s0 - mn * mt) / var;
        double a = mt - b * mn;
        return new double[] {Math.max(0, a), b};
    }

    @Override
    public String toString() {
        return "latencyFit(slo=" + Duration.ofNanos((long) sloNanos) + ", limit=" + limit + ")";
    }

    /** Tunables of {@link LatencyFitPolicy}; every setter validates at once. */
    public static final class Builder {
        private final Duration slo;
        private int minSize = 1;
        private int maxSize = 1024;
        private int initialSize = 1;
        private Duration delay = Duration.ZERO;
        private double decay = 0.97;
        private double z = 2.33;
        private int exploreEvery = 4;
        private double exploreFraction = 0.8;

        private Builder(Duration slo) {
            if (slo == null || slo.isNegative() || slo.isZero()) {
                throw new IllegalArgumentException("slo must be positive, was " + slo);
            }
            this.slo = slo;
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

        /** @param size the limit to start at (default 1) */
        public Builder initialSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("initialSize must be at least 1, was " + size);
            }
            this.initialSize = size;
            return this;
        }

        /** @param delay wait up to this long for a batch to fill (default none) */
        public Builder delay(Duration delay) {
            if (delay == null || delay.isNegative()) {
                throw new IllegalArgumentException("delay must be zero or positive, was " + delay);
            }
            this.delay = delay;
            return this;
        }

        /** @param decay weight kept by old samples per batch, in (0, 1) (default 0.97) */
        public Builder decay(double decay) {
            if (!(decay > 0 && decay < 1)) {
                throw new IllegalArgumentException("decay must be in (0, 1), was " + decay);
            }
            this.decay = decay;
            return this;
        }

        /** @param z standard deviations of headroom (default 2.33, a p99 for normal noise) */
        public Builder z(double z) {
            if (!(z >= 0)) {
                throw new IllegalArgumentException("z must be >= 0, was " + z);
            }
            this.z = z;
            return this;
        }

        /**
         * @param every    one batch in {@code every} is smaller, to keep the slope observable
         *                 (0 turns exploring off; default 4)
         * @param fraction its size as a fraction of the target, in (0, 1) (default 0.8)
         */
        public Builder explore(int every, double fraction) {
            if (every < 0 || !(fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException("need every >= 0 and fraction in (0, 1)");
            }
            this.exploreEvery = every;
            this.exploreFraction = fraction;
            return this;
        }

        /** @return a new policy; build one per batcher */
        public LatencyFitPolicy build() {
            return new LatencyFitPolicy(this);
        }
    }
}
