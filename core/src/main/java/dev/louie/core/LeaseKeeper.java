package dev.louie.core;

import dev.louie.core.storage.Lease;
import dev.louie.core.storage.LimitStorage;
import dev.louie.core.storage.Storage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leases a consumer holds, from the moment a worker takes a message until its outcome is
 * stored: extended while held (every third of the lease time), and handed back to the queue
 * when the consumer stops with some still held. The slots of concurrency limits that running
 * tasks hold are extended in the same round.
 */
final class LeaseKeeper {
    private static final Logger log = LoggerFactory.getLogger(Consumer.class);

    private final Storage storage;
    private final Duration leaseTime;
    private final Map<String, Lease> held = new ConcurrentHashMap<>();
    /** Leases whose extension failed once: lost if still held at the next round. */
    private final Map<String, Lease> extensionFailed = new ConcurrentHashMap<>();
    /** When each held lease was taken, by token: what the consumer's heartbeat reports as running. */
    private final Map<String, Instant> since = new ConcurrentHashMap<>();
    private final Clock clock;
    /** The slots of concurrency limits held by running tasks, by lease token: extended with their leases. */
    private final Map<String, HeldSlots> slots = new ConcurrentHashMap<>();

    /** The slots one running task holds: the limits' names and the holder. */
    private record HeldSlots(String holder, List<String> limits) {
    }

    LeaseKeeper(Storage storage, Duration leaseTime, Clock clock) {
        this.storage = storage;
        this.leaseTime = leaseTime;
        this.clock = clock;
    }

    void hold(Lease lease) {
        since.put(lease.token(), clock.instant());
        held.put(lease.token(), lease);
    }

    /** The lease ended (its outcome is stored, or it went back to the queue): stop extending it. */
    void ended(Lease lease) {
        held.remove(lease.token());
        since.remove(lease.token());
        slots.remove(lease.token());
    }

    /** The task of {@code lease} holds slots of {@code limits} as {@code holder}: extend them with its lease. */
    void holdSlots(Lease lease, String holder, List<String> limits) {
        slots.put(lease.token(), new HeldSlots(holder, List.copyOf(limits)));
    }

    /** The slots held for {@code lease} were freed: stop extending them. */
    void slotsFreed(Lease lease) {
        slots.remove(lease.token());
    }

    /** The ids of the messages held now, with when each was taken. */
    Map<String, Instant> running() {
        Map<String, Instant> out = new java.util.LinkedHashMap<>();
        for (Lease lease : held.values()) {
            Instant at = since.get(lease.token());
            if (at != null) {
                out.put(lease.id(), at);
            }
        }
        return out;
    }

    /** The lease as last extended, or the given one when it is not held. */
    Lease current(Lease lease) {
        return held.getOrDefault(lease.token(), lease);
    }

    /**
     * Extends every held lease. A failed extension is only reported as a loss when the lease is
     * still held one round later: a lease that a worker or the completer ended in the meantime
     * (the usual case) was not lost.
     */
    void extendAll() {
        extensionFailed.keySet().retainAll(held.keySet());
        for (Lease lease : held.values()) {
            try {
                Optional<Lease> fresh = storage.extend(lease, leaseTime);
                if (fresh.isPresent()) {
                    held.replace(lease.token(), lease, fresh.get());
                    extensionFailed.remove(lease.token());
                } else if (extensionFailed.putIfAbsent(lease.token(), lease) != null && held.containsKey(lease.token())) {
                    log.warn("lease of message {} was lost before it could be extended; another consumer may run it too", lease.id());
                    held.remove(lease.token());
                    since.remove(lease.token());
                    extensionFailed.remove(lease.token());
                }
            } catch (RuntimeException e) {
                log.warn("cannot extend lease of message {}: {}", lease.id(), e.toString());
            }
        }
        extendSlots();
    }

    /**
     * Extends the slots of running tasks by a lease time. A slot that cannot be extended (it
     * expired, say after a long pause of this JVM) is reported once: the task keeps running, and
     * the limit may admit another in its place.
     */
    private void extendSlots() {
        if (slots.isEmpty() || !(storage instanceof LimitStorage limits)) {
            return;
        }
        for (Map.Entry<String, HeldSlots> e : slots.entrySet()) {
            HeldSlots h = e.getValue();
            for (String limit : h.limits()) {
                try {
                    if (!limits.extendSlot(limit, h.holder(), leaseTime) && slots.remove(e.getKey(), h)) {
                        log.warn("the slot of limit {} held by {} expired before it could be extended; the limit may admit"
                                + " another task while this one runs", limit, h.holder());
                    }
                } catch (RuntimeException ex) {
                    log.warn("cannot extend the slot of limit {} held by {}: {}", limit, h.holder(), ex.toString());
                }
            }
        }
    }

    /** At stop: returns every message still held to the queue at once, for other consumers. */
    void releaseAll() {
        for (Lease lease : held.values()) {
            try {
                storage.release(lease);
            } catch (RuntimeException e) {
                log.warn("cannot release message {} ({}); it will be delivered again when its lease expires", lease.id(), e.toString());
            }
        }
        held.clear();
        since.clear();
    }
}
