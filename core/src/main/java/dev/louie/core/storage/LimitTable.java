package dev.louie.core.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rate and slot state of a {@link MemoryStorage}: the GCRA theoretical arrival time of each
 * rate limit and the holders of each limit's slots with their lease expiry, as
 * {@link LimitStorage} describes them. Not thread-safe: the storage calls it under its lock.
 */
final class LimitTable {
    /** Theoretical arrival time per rate limit, in epoch microseconds. */
    private final Map<String, Long> tats = new HashMap<>();
    /** Holder to lease expiry per limit. */
    private final Map<String, Map<String, Instant>> holders = new HashMap<>();

    long admitRate(String limit, Duration period, int permits, Instant now) {
        long nowMicros = micros(now);
        long periodMicros = period.toNanos() / 1_000;
        double interval = (double) periodMicros / permits;
        Long stored = tats.get(limit);
        long tat = stored == null ? nowMicros : Math.max(stored, nowMicros);
        long next = tat + Math.round(interval);
        long allowAt = next - periodMicros;
        if (allowAt > nowMicros) {
            return Math.max(1, (allowAt - nowMicros + 999) / 1_000);
        }
        tats.put(limit, next);
        if (tats.size() > 1_000) {
            tats.values().removeIf(t -> t <= nowMicros);
        }
        return 0;
    }

    boolean acquireSlot(String limit, int slots, String holder, Duration lease, Instant now) {
        Map<String, Instant> held = holders.computeIfAbsent(limit, k -> new LinkedHashMap<>());
        dropExpired(held, now);
        if (!held.containsKey(holder) && held.size() >= slots) {
            return false;
        }
        held.put(holder, now.plus(lease));
        return true;
    }

    boolean extendSlot(String limit, String holder, Duration lease, Instant now) {
        Map<String, Instant> held = holders.get(limit);
        if (held == null) {
            return false;
        }
        dropExpired(held, now);
        if (!held.containsKey(holder)) {
            return false;
        }
        held.put(holder, now.plus(lease));
        return true;
    }

    boolean releaseSlot(String limit, String holder, Instant now) {
        Map<String, Instant> held = holders.get(limit);
        if (held == null) {
            return false;
        }
        dropExpired(held, now);
        boolean was = held.remove(holder) != null;
        if (held.isEmpty()) {
            holders.remove(limit);
        }
        return was;
    }

    void clear() {
        tats.clear();
        holders.clear();
    }

    private static void dropExpired(Map<String, Instant> held, Instant now) {
        for (Iterator<Instant> it = held.values().iterator(); it.hasNext(); ) {
            if (!it.next().isAfter(now)) {
                it.remove();
            }
        }
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
    }
}
