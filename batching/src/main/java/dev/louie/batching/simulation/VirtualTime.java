package dev.louie.batching.simulation;

import dev.louie.batching.BatchClock;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * A {@link BatchClock} whose time only moves when told to. Timers run on the thread that
 * advances time, in time order (ties in scheduling order), so a batcher driven by it behaves
 * the same on every run. Used by the {@link Simulator} and by tests. Not thread-safe: drive it
 * from one thread.
 */
public final class VirtualTime implements BatchClock {
    private static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");

    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long now;
    private long seq;

    /** Starts at time zero (wall clock 2025-01-01T00:00:00Z). */
    public VirtualTime() {
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Instant now() {
        return EPOCH.plusNanos(now);
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        Timer t = new Timer(now + Math.max(0, delayNanos), seq++, task);
        timers.add(t);
        return () -> t.cancelled = true;
    }

    /** Advances time by {@code d}, running every timer that falls due on the way. */
    public void advance(Duration d) {
        advanceTo(now + d.toNanos());
    }

    /**
     * Advances time to {@code nanos} (no-op if already past), running due timers in order;
     * timers scheduled by those timers run too if they fall due in time.
     */
    public void advanceTo(long nanos) {
        Timer t;
        while ((t = timers.peek()) != null && t.at <= nanos) {
            timers.poll();
            if (t.cancelled) {
                continue;
            }
            now = Math.max(now, t.at);
            t.task.run();
        }
        now = Math.max(now, nanos);
    }

    /** Runs timers until none is left (time jumps to the last one). */
    public void runAll() {
        long next;
        while ((next = nextTimerNanos()) >= 0) {
            advanceTo(next);
        }
    }

    /** @return the time of the next pending timer, or {@code -1} if none */
    public long nextTimerNanos() {
        Timer t;
        while ((t = timers.peek()) != null && t.cancelled) {
            timers.poll();
        }
        return t == null ? -1 : t.at;
    }

    private static final class Timer implements Comparable<Timer> {
        final long at;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Timer(long at, long seq, Runnable task) {
            this.at = at;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
