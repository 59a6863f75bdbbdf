package dev.louie.batching;

import java.time.Duration;
import java.util.Locale;

/**
 * Searches for the batch size and the number of batches in flight that complete the most rows
 * per second, keeps each batch's execution within its share of the latency SLO, and searches
 * again now and then, because load and model change.
 *
 * <p>Why not {@link AimdPolicy}: AIMD grows the batch until the SLO is reached, which is right when
 * throughput grows with the batch size (a GPU). On a CPU, and for convolutional models, throughput
 * often peaks at a small batch and falls beyond it; a larger batch then costs both throughput and
 * latency. This policy measures instead of assuming.
 *
 * <p>How it works. A <em>configuration</em> is a size limit, taken from a ladder of sizes (1, 2, 3,
 * 4, 6, 8, 12, 16, 24, …, each step about 1.5×), and an in-flight limit from 1 to the batcher's
 * {@code concurrency}. It starts at batch size 1 with every slot in flight — plain concurrent
 * calls — and measures a <em>window</em> of {@code window × inFlight} batches, lasting at least
 * {@code minWindow} (or sixteen times as many batches): rows completed divided by the time between the window's first and last
 * completion. When most batches of the window were full or left requests queued (the
 * configuration, not the load, limits throughput), it probes neighbours one window each: one size step up, one down, one more in flight, one
 * fewer, one more in flight with the same rows spread over the batches (a smaller size: where one
 * batch holds every waiting caller, one more in flight at the same size would find nothing to run),
 * and plain concurrent batch-1 calls. A probe that beats the best so far by more than
 * {@code margin} becomes the best — a larger batch needs only to be no more than {@code margin}
 * slower than the fastest window of the search, so that where throughput is flat within the noise batches grow as under AIMD, provided
 * batches larger than the old limit formed at all — and the
 * search goes on in the same direction (hill climbing);
 * one that does not is dropped and the best is measured again before the next probe, so that each
 * comparison is between neighbouring windows. When no neighbour wins, it holds the best for a
 * number of windows that doubles after each fruitless search (up to {@code maxHold}), then
 * searches again. A change of more than {@code changeThreshold} in the held configuration's rate
 * (the load or the model changed) starts a search at once. Because plain concurrent batch-1 calls
 * are the start and a candidate of every search, it does not stay below them.
 *
 * <p>The SLO. A request can wait for one running batch before its own runs, so its latency is up
 * to about two batch executions; a batch's execution may take {@code executionShare} (default
 * one half) of the SLO. Two batches that take longer within 50 batches are a miss (one alone is
 * allowed, as a p99 allows it, and is often the machine's hiccup) — unless batches of the
 * configuration usually take less than half the budget, for then a smaller batch would not have
 * been spared the stall (at size 1 it still counts): as in AIMD, the size limit is cut to
 * {@code backoff} times the size that missed, and that size becomes a ceiling that searches do
 * not cross; a search after 50 batches within the budget, or after a few fruitless ones, may
 * probe one step higher, so a ceiling set during a stall is
 * lifted when the stall is over. At size 1, a miss removes one batch from flight instead (the
 * batches are slowing each other down).
 *
 * <p>Under light load nothing is queued, every configuration completes what arrives, and the
 * policy holds: batches are as small as the arrivals make them. It searches all the same while
 * fewer batches are in flight than it may run, since closed-loop callers that all fit in the
 * running batches queue nothing either.
 */
public final class PeakThroughputPolicy implements BatchPolicy {
    private static final int SIZE_UP = 0;
    private static final int SIZE_DOWN = 1;
    private static final int FLIGHT_UP = 2;
    private static final int FLIGHT_DOWN = 3;
    private static final int SPREAD = 4;
    private static final int PLAIN = 5;
    private static final int DIRECTIONS = 6;

    private final long sloNanos;
    private final long budgetNanos;
    private final int[] sizes;
    private final long delayNanos;
    private final int windowBatches;
    private final long minWindowNanos;
    private final double margin;
    private final double backoff;
    private final double changeThreshold;
    private final int minHold;
    private final int maxHold;

    private int concurrency = 1;

    // the configuration in force
    private int sizeIndex;
    private int flight = 1;
    private long changedAt = Long.MIN_VALUE;

    // the best configuration measured so far
    private int bestIndex;
    private int bestFlight = 1;
    private double bestRate = Double.NaN;
    private boolean bestSaturated;
    /** Mean rows per batch in the best's last window. */
    private double bestMeanRows = 1;
    /**
     * The highest rate measured in this search: a larger batch that ties (is at most margin
     * slower) must tie with it, not only with the best, which may itself have won on a tie;
     * otherwise ties of a few percent each would add up over many steps.
     */
    private double searchPeak;

    // sizes at this index and above, and this many batches in flight or more, missed the SLO;
    // searches stay below
    private int ceiling;
    private int flightCeiling = Integer.MAX_VALUE;

    // the window being measured
    private boolean windowOpen;
    private long windowStart;
    private long windowRows;
    private int windowBatchCount;
    private int windowSaturated;
    private int windowLarger;
    private double windowMeanRows = 1;

    // the search
    private boolean searching;
    private boolean probing;
    private int direction;
    private int failedDirections;
    private int skipDirection = -1;
    private int hold;
    private int holdLeft;
    private long searches;

    // misses: one alone is noise (the SLO is a p99); a second within MISS_SPAN batches is a miss
    private static final int MISS_SPAN = 50;
    private long batchCount;
    private long lastMissAt = Long.MIN_VALUE / 2;
    /** Moving average of batch executions; 0 before the first. */
    private long typicalExecNanos;

    private PeakThroughputPolicy(Builder b) {
        this.sloNanos = b.slo.toNanos();
        this.budgetNanos = Math.max(1, Math.round(sloNanos * b.executionShare));
        this.sizes = ladder(b.minSize, b.maxSize);
        this.delayNanos = b.delay.toNanos();
        this.windowBatches = b.window;
        this.minWindowNanos = b.minWindow != null ? b.minWindow.toNanos() : 2 * sloNanos;
        this.margin = b.margin;
        this.backoff = b.backoff;
        this.changeThreshold = b.changeThreshold;
        this.minHold = b.minHold;
        this.maxHold = b.maxHold;
        this.ceiling = sizes.length;
        this.hold = minHold;
    }

    /**
     * @param slo the latency one request, queue wait included, should stay within
     * @return a builder with defaults: sizes 1..1024, no delay, execution share 0.5, windows of 8
     *         batches per batch in flight and at least twice the SLO, margin 0.03, backoff 0.9, change threshold 0.25, holds of
     *         4 to 64 windows
     */
    public static Builder builder(Duration slo) {
        return new Builder(slo);
    }

    /** Sizes from min to max, each about 1.5 times the one before: 1, 2, 3, 4, 6, 8, 12, 16, 24, … */
    static int[] ladder(int min, int max) {
        int[] tmp = new int[64];
        int n = 0;
        for (int p = 1; p <= max && p > 0; p *= 2) {
            for (int s : new int[] {p, p + p / 2}) {
                if (s >= min && s <= max && (n == 0 || s > tmp[n - 1])) {
                    tmp[n++] = s;
                }
            }
        }
        if (n == 0 || tmp[0] != min) {
            System.arraycopy(tmp, 0, tmp, 1, n);
            tmp[0] = min;
            n++;
        }
        if (tmp[n - 1] != max) {
            tmp[n++] = max;
        }
        int[] out = new int[n];
        System.arraycopy(tmp, 0, out, 0, n);
        return out;
    }

    @Override
    public void attach(int concurrency) {
        this.concurrency = Math.max(1, concurrency);
        this.flight = this.concurrency;
        this.bestFlight = this.concurrency;
    }

    @Override
    public int maxBatchSize() {
        return sizes[sizeIndex];
    }

    @Override
    public long maxDelayNanos() {
        return delayNanos;
    }

    @Override
    public int maxInFlight() {
        return flight;
    }

    /** @return the best rate measured so far in rows per second (NaN before the first window) */
    public double bestRowsPerSecond() {
        return bestRate;
    }

    /** @return how many searches for a better configuration have started */
    public long searches() {
        return searches;
    }

    @Override
    public void onBatchCompleted(Observation o) {
        if (o.failed()) {
            return; // a failure's timing says nothing about the model's speed
        }
        boolean current = o.startNanos() >= changedAt && o.sizeLimit() == sizes[sizeIndex];
        batchCount++;
        // a sustained slowdown lifts this above half the budget within a few batches; a stall of
        // one or two batches does not
        typicalExecNanos = typicalExecNanos == 0 ? o.executionNanos()
                : Math.round(0.9 * typicalExecNanos + 0.1 * o.executionNanos());
        if (o.executionNanos() > budgetNanos) {
            if (o.startNanos() < changedAt) {
                return; // started before the last change, which either cut already or was a probe
            }
            boolean repeated = batchCount - lastMissAt <= MISS_SPAN;
            lastMissAt = batchCount;
            if (repeated && !(sizeIndex > 0 && machineStall())) {
                if (probing) {
                    probeMissed(o);
                } else {
                    miss(o);
                }
                return;
            }
            // one slow batch in many is a stall of the machine, not of this configuration: it
            // counts in the window like any other
        }
        if (!current) {
            return; // formed under an earlier configuration
        }
        if (!windowOpen) {
            windowOpen = true; // the window runs from this completion to its last one
            windowStart = o.endNanos();
            return;
        }
        windowRows += o.rows();
        windowBatchCount++;
        // the configuration limits throughput when requests were left queued, or when the batch
        // was full: closed-loop callers resubmit together, so a full batch leaves nothing queued
        // (at size 1 every batch is full; there a queue says it)
        if (o.queuedAfter() > 0 || (o.sizeLimit() > 1 && o.rows() >= o.sizeLimit())) {
            windowSaturated++;
        }
        if (o.rows() > sizes[bestIndex]) {
            windowLarger++;
        }
        long span = o.endNanos() - windowStart;
        // a window of fast batches lasts minWindow, but no more than sixteen times its batches (at
        // four times, batch-1 probes of a small CNN lasted 9 ms and measured 5,500-7,300 rows/s
        // for a rate of 7,100, so they lost to larger batches that were slower)
        int batches = windowBatches * flight;
        if (windowBatchCount >= batches && (span >= minWindowNanos || windowBatchCount >= 16 * batches)) {
            double rate = span <= 0 ? Double.POSITIVE_INFINITY : windowRows * 1e9 / span;
            boolean saturated = 2 * windowSaturated >= windowBatchCount;
            windowMeanRows = (double) windowRows / windowBatchCount;
            windowEnded(rate, saturated, o.endNanos());
        }
    }

    private void windowEnded(double rate, boolean saturated, long now) {
        if (probing) {
            // a larger batch wins unless it is measurably slower: where throughput is flat within
            // the noise it keeps growing, as AIMD would; any other move must be measurably faster
            // (only if the larger batches were formed: with fewer callers than the old size, a
            // larger limit changes nothing and must not drift upwards on noise)
            boolean up = direction == SIZE_UP;
            boolean grew = up && 4 * windowLarger >= windowBatchCount;
            double needed = grew ? Math.max(bestRate, searchPeak) * (1 - margin) : bestRate * (1 + margin);
            if (rate > needed && (saturated || bestSaturated) && (grew || !up)) {
                bestIndex = sizeIndex;
                bestFlight = flight;
                bestRate = rate;
                bestMeanRows = windowMeanRows;
                searchPeak = Math.max(searchPeak, rate);
                bestSaturated = saturated;
                failedDirections = 0;
                skipDirection = reverse(direction);
                if (saturated) {
                    probeNext(now); // keep climbing in the same direction
                } else {
                    settle(now, false); // it keeps up with the load: nothing more to gain
                }
                return;
            }
            failedDirections++;
            direction = (direction + 1) % DIRECTIONS;
            probing = false;
            apply(bestIndex, bestFlight, now); // measure the best again before the next probe
            return;
        }
        if (searching) {
            bestRate = rate;
            bestMeanRows = windowMeanRows;
            searchPeak = Math.max(searchPeak, rate);
            bestSaturated = saturated;
            probeNext(now);
            return;
        }
        // holding the best
        boolean changed = !Double.isNaN(bestRate)
                && Math.abs(rate - bestRate) > changeThreshold * bestRate;
        boolean faster = changed && rate > bestRate && saturated && bestSaturated;
        bestRate = Double.isNaN(bestRate) || changed ? rate : 0.7 * bestRate + 0.3 * rate;
        bestSaturated = saturated;
        bestMeanRows = windowMeanRows;
        if (changed) {
            hold = minHold;
            holdLeft = 0;
            if (faster) {
                ceiling = sizes.length; // faster than before: what missed may fit now
                flightCeiling = Integer.MAX_VALUE;
            }
        }
        // fewer batches in flight than allowed leaves cores idle: search even when nothing is
        // queued, for closed-loop callers that all fit in the running batches queue nothing
        if (--holdLeft <= 0 && (saturated || flight < maxFlight())) {
            if (hold >= 4 * minHold || batchCount - lastMissAt > MISS_SPAN) {
                // searches have found nothing for a while, or no batch has been slow lately (the
                // miss was the machine's, say): probe one step past the last miss
                ceiling = Math.min(sizes.length, ceiling + 1);
                flightCeiling = flightCeiling > concurrency ? flightCeiling : flightCeiling + 1;
            }
            startSearch(now);
        } else {
            restartWindow(now);
        }
    }

    private void startSearch(long now) {
        searches++;
        searching = true;
        searchPeak = 0;
        failedDirections = 0;
        skipDirection = -1;
        direction = SIZE_UP;
        probeNext(now);
    }

    /** Applies the next valid neighbour of the best, or holds when none is left to try. */
    private void probeNext(long now) {
        for (int tried = 0; tried < DIRECTIONS; tried++) {
            if (failedDirections >= DIRECTIONS) {
                break;
            }
            int d = direction;
            int[] next = neighbour(d);
            if (next == null || d == skipDirection) {
                failedDirections++;
                direction = (direction + 1) % DIRECTIONS;
                continue;
            }
            probing = true;
            apply(next[0], next[1], now);
            return;
        }
        settle(now, true);
    }

    private int[] neighbour(int d) {
        return switch (d) {
            case SIZE_UP -> bestIndex + 1 < Math.min(sizes.length, ceiling) ? new int[] {bestIndex + 1, bestFlight} : null;
            case SIZE_DOWN -> bestIndex > 0 ? new int[] {bestIndex - 1, bestFlight} : null;
            case FLIGHT_UP -> bestFlight + 1 <= maxFlight() ? new int[] {bestIndex, bestFlight + 1} : null;
            case FLIGHT_DOWN -> bestFlight > 1 ? new int[] {bestIndex, bestFlight - 1} : null;
            case SPREAD -> spread();
            default -> bestIndex != 0 || bestFlight != maxFlight() ? new int[] {0, maxFlight()} : null;
        };
    }

    /**
     * One more batch in flight carrying the same rows in all: the size that holds the best's mean
     * batch spread over one more batch. When every waiting request fits in the running batches
     * (closed-loop callers, fewer than the size limit allows in flight), one more batch in flight
     * at the same size finds nothing to run; a smaller size leaves requests for it.
     */
    private int[] spread() {
        if (bestFlight + 1 > maxFlight()) {
            return null;
        }
        int index = indexAtMost((int) Math.floor(bestMeanRows * bestFlight / (bestFlight + 1)));
        return index < bestIndex ? new int[] {index, bestFlight + 1} : null;
    }

    /** The most batches in flight a search may try: the concurrency, or fewer than last missed. */
    private int maxFlight() {
        return Math.max(1, Math.min(concurrency, flightCeiling - 1));
    }

    private static int reverse(int d) {
        return switch (d) {
            case SIZE_UP -> SIZE_DOWN;
            case SIZE_DOWN -> SIZE_UP;
            case FLIGHT_UP -> FLIGHT_DOWN;
            case FLIGHT_DOWN -> FLIGHT_UP;
            default -> -1;
        };
    }

    private void settle(long now, boolean fruitless) {
        searching = false;
        probing = false;
        holdLeft = hold;
        hold = fruitless ? Math.min(maxHold, hold * 2) : minHold;
        apply(bestIndex, bestFlight, now);
    }

    /** A probe missed the SLO: it is no better than the best, and what it tried becomes a ceiling. */
    private void probeMissed(Observation o) {
        if (sizeIndex > bestIndex) {
            ceiling = Math.max(1, Math.min(ceiling, indexAtLeast(o.rows())));
        }
        if (flight > bestFlight) {
            flightCeiling = Math.min(flightCeiling, flight);
        }
        failedDirections++;
        direction = (direction + 1) % DIRECTIONS;
        probing = false;
        apply(bestIndex, bestFlight, o.endNanos());
    }

    /**
     * Whether slow batches are the machine's rather than the size's: the batches usually take less
     * than half the budget (a smaller batch would not have been spared the stall).
     */
    private boolean machineStall() {
        return typicalExecNanos > 0 && 2 * typicalExecNanos < budgetNanos;
    }

    /** The configuration in force missed the SLO: cut it as AIMD does. */
    private void miss(Observation o) {
        // Where this configuration's batches usually take less than half the budget, the slow
        // ones were the machine's (the process descheduled), not the size's: cut as usual, but set
        // no ceiling, so that the next search may climb back at once, as AIMD grows back.
        boolean machine = machineStall();
        int missedAt = indexAtLeast(o.rows());
        if (!machine) {
            ceiling = Math.max(1, Math.min(ceiling, missedAt));
        }
        int cut = indexAtMost((int) Math.floor(o.rows() * backoff));
        int index = Math.min(Math.min(sizeIndex, cut), Math.min(ceiling, missedAt) - 1);
        index = Math.max(0, index);
        int f = flight;
        if (index == sizeIndex && sizeIndex == 0 && flight > 1) {
            f = flight - 1; // batch 1 is too slow: the batches in flight slow each other down
            if (!machine) {
                flightCeiling = Math.min(flightCeiling, flight);
            }
        }
        long now = o.endNanos();
        bestIndex = index;
        bestFlight = f;
        bestRate = Double.NaN;
        probing = false;
        searching = false;
        hold = minHold;
        holdLeft = 1; // measure the new best, then search around it if the queue is full
        apply(index, f, now);
    }

    private int indexAtLeast(int rows) {
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] >= rows) {
                return i;
            }
        }
        return sizes.length - 1;
    }

    private int indexAtMost(int rows) {
        int best = 0;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] <= rows) {
                best = i;
            }
        }
        return best;
    }

    private void apply(int index, int f, long now) {
        sizeIndex = index;
        flight = f;
        changedAt = now;
        windowOpen = false;
        restartWindow(now);
    }

    private void restartWindow(long now) {
        windowRows = 0;
        windowBatchCount = 0;
        windowSaturated = 0;
        windowLarger = 0;
        if (windowOpen) {
            windowStart = now;
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "peakThroughput(slo=%s, size=%d, inFlight=%d, best=%.0f rows/s)",
                Duration.ofNanos(sloNanos), sizes[sizeIndex], flight, bestRate);
    }

    /** Tunables of {@link PeakThroughputPolicy}; every setter validates at once. */
    public static final class Builder {
        private final Duration slo;
        private int minSize = 1;
        private int maxSize = 1024;
        private Duration delay = Duration.ZERO;
        private double executionShare = 0.5;
        private int window = 8;
        private Duration minWindow;
        private double margin = 0.03;
        private double backoff = 0.9;
        private double changeThreshold = 0.25;
        private int minHold = 4;
        private int maxHold = 64;

        private Builder(Duration slo) {
            if (slo == null || slo.isNegative() || slo.isZero()) {
                throw new IllegalArgumentException("slo must be positive, not " + slo);
            }
            this.slo = slo;
        }

        /** @param min smallest size limit (default 1) @param max largest (default 1024) */
        public Builder sizeRange(int min, int max) {
            if (min < 1 || max < min) {
                throw new IllegalArgumentException("sizeRange must be 1 <= min <= max, not " + min + ".." + max);
            }
            this.minSize = min;
            this.maxSize = max;
            return this;
        }

        /** @param delay wait up to this long for a batch to fill under bursty load (default none) */
        public Builder delay(Duration delay) {
            if (delay == null || delay.isNegative()) {
                throw new IllegalArgumentException("delay must be zero or positive, not " + delay);
            }
            this.delay = delay;
            return this;
        }

        /**
         * @param share the part of the SLO one batch's execution may take, in (0, 1] (default 0.5,
         *              since a request may wait for one running batch before its own runs)
         */
        public Builder executionShare(double share) {
            if (!(share > 0 && share <= 1)) {
                throw new IllegalArgumentException("executionShare must be in (0, 1], not " + share);
            }
            this.executionShare = share;
            return this;
        }

        /** @param batches batches per window and per batch in flight (default 8); larger is steadier but slower */
        public Builder window(int batches) {
            if (batches < 2) {
                throw new IllegalArgumentException("window must be at least 2 batches, not " + batches);
            }
            this.window = batches;
            return this;
        }

        /**
         * @param span a window also lasts at least this long, or until sixteen times its batches completed
         *             (default twice the SLO): short windows of fast batches measure the
         *             machine's noise more than the configuration
         */
        public Builder minWindow(Duration span) {
            if (span == null || span.isNegative()) {
                throw new IllegalArgumentException("minWindow must be zero or positive, not " + span);
            }
            this.minWindow = span;
            return this;
        }

        /** @param margin how much faster a probe must be to become the best, e.g. 0.03 for 3% (default) */
        public Builder margin(double margin) {
            if (!(margin >= 0 && margin < 1)) {
                throw new IllegalArgumentException("margin must be in [0, 1), not " + margin);
            }
            this.margin = margin;
            return this;
        }

        /** @param factor after a miss the size limit becomes {@code factor} × the size that missed (default 0.9) */
        public Builder backoff(double factor) {
            if (!(factor > 0 && factor < 1)) {
                throw new IllegalArgumentException("backoff must be in (0, 1), not " + factor);
            }
            this.backoff = factor;
            return this;
        }

        /** @param fraction a change of the held rate by more than this starts a search (default 0.25) */
        public Builder changeThreshold(double fraction) {
            if (!(fraction > 0)) {
                throw new IllegalArgumentException("changeThreshold must be positive, not " + fraction);
            }
            this.changeThreshold = fraction;
            return this;
        }

        /**
         * @param min windows to hold after a search that moved (default 4)
         * @param max windows to hold at most; the hold doubles after each search that found nothing (default 64)
         */
        public Builder hold(int min, int max) {
            if (min < 1 || max < min) {
                throw new IllegalArgumentException("hold must be 1 <= min <= max, not " + min + ".." + max);
            }
            this.minHold = min;
            this.maxHold = max;
            return this;
        }

        /** @return a new policy; build one per batcher */
        public PeakThroughputPolicy build() {
            return new PeakThroughputPolicy(this);
        }
    }
}
