package dev.louie.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that moves only when the test moves it ({@link #advance}); UTC. Thread-safe. */
public final class TestClock extends Clock {
    private final AtomicReference<Instant> now;

    /** A clock at {@code start}. */
    public TestClock(Instant start) {
        this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
    }

    /** Moves the clock forward by {@code duration}. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must be >= 0, not " + duration);
        }
        now.updateAndGet(t -> t.plus(duration));
    }

    /** The instant the test moved the clock to. */
    @Override
    public Instant instant() {
        return now.get();
    }

    /** UTC. */
    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** This clock: a test clock has one zone, UTC. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
