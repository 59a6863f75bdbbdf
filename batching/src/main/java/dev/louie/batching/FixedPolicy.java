package dev.louie.batching;

import java.time.Duration;

/** {@link BatchPolicy#fixed(int, Duration)} and {@link BatchPolicy#none()}. */
final class FixedPolicy implements BatchPolicy {
    private final int maxSize;
    private final long maxDelayNanos;

    FixedPolicy(int maxSize, Duration maxDelay) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be at least 1, was " + maxSize);
        }
        if (maxDelay == null || maxDelay.isNegative()) {
            throw new IllegalArgumentException("maxDelay must be zero or positive, was " + maxDelay);
        }
        this.maxSize = maxSize;
        this.maxDelayNanos = maxDelay.toNanos();
    }

    @Override
    public int maxBatchSize() {
        return maxSize;
    }

    @Override
    public long maxDelayNanos() {
        return maxDelayNanos;
    }

    @Override
    public String toString() {
        return maxSize == 1 && maxDelayNanos == 0 ? "none"
                : "fixed(maxSize=" + maxSize + ", maxDelay=" + Duration.ofNanos(maxDelayNanos) + ")";
    }
}
