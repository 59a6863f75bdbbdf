package dev.louie.batching;

import java.time.Instant;

/**
 * Time for a {@link Batcher}: a monotonic clock, the wall clock (for deadlines) and one-shot
 * timers. The default, {@link Batcher.Builder#build()} without a clock, uses
 * {@link System#nanoTime()} and one daemon timer thread per batcher. Tests and the
 * {@link dev.louie.batching.simulation.Simulator} pass a
 * {@link dev.louie.batching.simulation.VirtualTime} instead, so every decision is deterministic.
 */
public interface BatchClock {

    /** @return monotonic time in nanoseconds, as {@link System#nanoTime()} */
    long nanoTime();

    /** @return wall-clock time, used to turn a deadline {@link Instant} into {@link #nanoTime()} */
    Instant now();

    /**
     * Runs {@code task} once, {@code delayNanos} from now, on a thread other than the caller's
     * (or, for virtual time, when time is advanced past it).
     *
     * @return a handle that cancels the timer if it has not fired yet
     */
    Cancellable schedule(Runnable task, long delayNanos);

    /** A timer that can still be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels the timer; does nothing if it already ran. */
        void cancel();
    }
}
