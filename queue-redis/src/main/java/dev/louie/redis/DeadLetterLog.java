package dev.louie.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Says what a dequeue script moved to the dead-letter list on its own, which no caller sees:
 * malformed entries (ERROR: something other than RedisStorage wrote to a queue key, or a message's
 * data is missing) and messages past their delivery limit (WARN). At most one line per queue and
 * kind per period, with the count since the last line and the first reason; what a period holds
 * back is said by the next line, or at {@link #flush()} (when the storage closes).
 */
final class DeadLetterLog {

    /** What was dead-lettered: a malformed entry (ERROR) or a message at its delivery limit (WARN). */
    private enum Kind { MALFORMED, DELIVERY_LIMIT }

    /** Lines are limited per queue and kind. */
    private record Key(String queue, Kind kind) {
    }

    /** Counts held back for one queue and kind. */
    private static final class Window {
        long lastLine = Long.MIN_VALUE;
        long pending;
        String reason;
    }

    private final Logger log;
    private final long periodNanos;
    private final LongSupplier nanoTime;
    private final Map<Key, Window> windows = new ConcurrentHashMap<>();

    /** Logs to {@code log}, one line per queue and kind per {@code period} of {@code nanoTime}. */
    DeadLetterLog(Logger log, Duration period, LongSupplier nanoTime) {
        this.log = log;
        this.periodNanos = period.toNanos();
        this.nanoTime = nanoTime;
    }

    /** {@code count} malformed entries of {@code queue} were dead-lettered, the first with {@code reason}. */
    void malformed(String queue, long count, String reason) {
        report(new Key(queue, Kind.MALFORMED), count, reason);
    }

    /** {@code count} messages of {@code queue} reached the delivery limit while reclaimed. */
    void deliveryLimit(String queue, long count) {
        report(new Key(queue, Kind.DELIVERY_LIMIT), count, "delivery limit reached");
    }

    private void report(Key key, long count, String reason) {
        if (count <= 0) {
            return;
        }
        Window w = windows.computeIfAbsent(key, k -> new Window());
        long total;
        String why;
        synchronized (w) {
            w.pending += count;
            if (w.reason == null) {
                w.reason = reason;
            }
            long now = nanoTime.getAsLong();
            if (w.lastLine != Long.MIN_VALUE && now - w.lastLine < periodNanos) {
                return;
            }
            w.lastLine = now;
            total = w.pending;
            why = w.reason;
            w.pending = 0;
            w.reason = null;
        }
        line(key, total, why);
    }

    /** Says what is held back (at close). */
    void flush() {
        windows.forEach((key, w) -> {
            long total;
            String why;
            synchronized (w) {
                total = w.pending;
                why = w.reason;
                w.pending = 0;
                w.reason = null;
            }
            if (total > 0) {
                line(key, total, why);
            }
        });
    }

    private void line(Key key, long count, String reason) {
        String where = "deadLetters(\"" + key.queue() + "\")";
        if (key.kind() == Kind.MALFORMED) {
            log.error("queue {}: moved {} malformed {} to the dead-letter list ({}{}); they are in {}", key.queue(), count,
                    count == 1 ? "entry" : "entries", count == 1 ? "" : "the first: ", reason, where);
        } else {
            log.warn("queue {}: {} {} reached the delivery limit and moved to the dead-letter list; they are in {}",
                    key.queue(), count, count == 1 ? "message" : "messages", where);
        }
    }
}
