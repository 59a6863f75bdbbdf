package dev.louie.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A warning that is logged at most once per period, with the count of those held back: for
 * conditions that repeat per message (a task no consumer knows) and would flood the log.
 */
final class RateLimitedLog {
    private final Logger log;
    private final long periodNanos;
    private final AtomicLong last = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger log, Duration period) {
        this.log = log;
        this.periodNanos = period.toNanos();
    }

    void warn(String format, Object... args) {
        long now = System.nanoTime();
        long then = last.get();
        if (now - then < periodNanos || !last.compareAndSet(then, now)) {
            suppressed.incrementAndGet();
            return;
        }
        long held = suppressed.getAndSet(0);
        log.warn(held == 0 ? format : format + " (" + held + " more like this since the last such line)", args);
    }
}
