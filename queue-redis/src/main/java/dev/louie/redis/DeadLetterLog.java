package dev.louie.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Says what a dequeue script moved to the dead-letter list on its own, which no caller sees:
 * malformed entries (something other than RedisStorage wrote to a queue key, or a message's data
 * is missing), at ERROR. At most one line per queue per period, with the count since the last line
 * and the first reason; what a period holds back is said by the next line, or at {@link #flush()}
 * (when the storage closes). Messages past their delivery limit are not the script's business: the
 * consumer dead-letters them and stores a result saying why.
 */
final class DeadLetterLog {

    /** Counts held back for one queue. */
    private static final class Window {
        long lastLine = Long.MIN_VALUE;
        long pending;
        String reason;
    }

    private final Logger log;
    private final long periodNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** Logs to {@code log}, one line per queue per {@code period} of {@code nanoTime}. */
    DeadLetterLog(Logger log, Duration period, LongSupplier nanoTime) {
        this.log = log;
        this.periodNanos = period.toNanos();
        this.nanoTime = nanoTime;
    }

    /** {@code count} malformed entries of {@code queue} were dead-lettered, the first with {@code reason}. */
    void malformed(String queue, long count, String reason) {
        if (count <= 0) {
            return;
        }
        Window w = windows.computeIfAbsent(queue, q -> new Window());
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
        line(queue, total, why);
    }

    /** Says what is held back (at close). */
    void flush() {
        windows.forEach((queue, w) -> {
            long total;
            String why;
            synchronized (w) {
                total = w.pending;
                why = w.reason;
                w.pending = 0;
                w.reason = null;
            }
            if (total > 0) {
                line(queue, total, why);
            }
        });
    }

    private void line(String queue, long count, String reason) {
        log.error("queue {}: moved {} malformed {} to the dead-letter list ({}{}); they are in deadLetters(\"{}\")", queue,
                count, count == 1 ? "entry" : "entries", count == 1 ? "" : "the first: ", reason, queue);
    }
}
