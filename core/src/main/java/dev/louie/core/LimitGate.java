package dev.louie.core;

import dev.louie.core.storage.LimitStorage;
import dev.louie.core.storage.Storage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The check a leased message passes before it starts: the concurrency and rate limits of its task
 * and of its queue ({@link Limits}), asked of the storage ({@link LimitStorage}). Slots are taken
 * first, then rates, so a start that finds no slot does not use up a rate permit.
 *
 * <p>A refused start is given a time to try again. For a rate that is when the limit would admit
 * one more start, spread further by this consumer: each message it refuses for a limit is given
 * the next free interval after the previous one it refused (plus a little jitter), so a backlog of
 * waiters comes back one at a time instead of all at once. For want of a slot it is about 200 ms.
 */
final class LimitGate {
    private static final Logger log = LoggerFactory.getLogger(LimitGate.class);
    /** How long a start refused for want of a slot waits before it is tried again (plus up to half of it). */
    static final long SLOT_RETRY_MS = 200;

    private final Limits limits;
    private final Storage storage;
    /** Per rate limit: the epoch ms this consumer last gave a refused start, so the next one is given a later one. */
    private final Map<String, AtomicLong> nextTry = new ConcurrentHashMap<>();

    LimitGate(Limits limits, Storage storage) {
        this.limits = limits;
        this.storage = storage;
    }

    /** What the gate decided: admitted with the slots taken, or refused with a signal and a delay. */
    record Admission(List<String> slots, Signal refusedBy, long delayMillis) {
        static final Admission FREE = new Admission(List.of(), null, 0);

        boolean admitted() {
            return refusedBy == null;
        }
    }

    /** Whether {@code d}'s messages in {@code queue} pass through the gate at all. */
    boolean applies(TaskDefinition d, String queue) {
        if (limits.none()) {
            return false;
        }
        return limits.rateLimit(d.name) != null || limits.slots(d.name) > 0
                || limits.rateLimit(queue) != null || limits.slots(queue) > 0;
    }

    /**
     * Takes the slots and rate permits of task {@code d} in {@code queue} for {@code holder}, with
     * slot leases of {@code lease}. On refusal nothing stays taken.
     */
    Admission admit(TaskDefinition d, String queue, String holder, Duration lease, long nowMillis) {
        List<String> names = d.name.equals(queue) ? List.of(d.name) : List.of(d.name, queue);
        LimitStorage store = LimitStorage.of(storage);
        List<String> taken = new ArrayList<>(2);
        try {
            for (String name : names) {
                int slots = limits.slots(name);
                if (slots > 0) {
                    if (!store.acquireSlot(name, slots, holder, lease)) {
                        release(taken, holder);
                        taken.clear();
                        long delay = SLOT_RETRY_MS + ThreadLocalRandom.current().nextLong(SLOT_RETRY_MS / 2 + 1);
                        return new Admission(List.of(), Signal.CONCURRENCY_LIMITED, delay);
                    }
                    taken.add(name);
                }
            }
            for (String name : names) {
                RateLimit rate = limits.rateLimit(name);
                if (rate != null) {
                    long wait = store.admitRate(name, rate.period(), rate.permits());
                    if (wait > 0) {
                        release(taken, holder);
                        taken.clear();
                        return new Admission(List.of(), Signal.RATE_LIMITED, spread(name, rate, wait, nowMillis));
                    }
                }
            }
        } catch (RuntimeException e) {
            release(taken, holder);
            throw e;
        }
        return taken.isEmpty() ? Admission.FREE : new Admission(List.copyOf(taken), null, 0);
    }

    /**
     * The delay of a start refused by {@code rate} that the storage says may be admitted in
     * {@code wait} ms: the next interval after the one this consumer gave the previous refused
     * start (when that is later), and jitter of up to half an interval.
     */
    private long spread(String name, RateLimit rate, long wait, long nowMillis) {
        long interval = Math.max(1, rate.interval().toMillis());
        AtomicLong next = nextTry.computeIfAbsent(name, k -> new AtomicLong());
        long at = next.accumulateAndGet(nowMillis + wait, (previous, earliest) -> Math.max(previous + interval, earliest));
        return at - nowMillis + ThreadLocalRandom.current().nextLong(interval / 2 + 1);
    }

    /** Frees the slots {@code holder} holds of {@code names}; a failure is logged (the slot's lease frees it). */
    void release(List<String> names, String holder) {
        if (names.isEmpty()) {
            return;
        }
        LimitStorage store = LimitStorage.of(storage);
        for (String name : names) {
            try {
                store.releaseSlot(name, holder);
            } catch (RuntimeException e) {
                log.warn("cannot free the slot of limit {} held by {} ({}); it frees itself when its lease expires",
                        name, holder, e.toString());
            }
        }
    }
}
