package dev.louie.core;

import dev.louie.core.storage.Revocation;
import dev.louie.core.storage.Storage;
import java.time.Clock;
import java.util.Optional;

/**
 * Revocation flags: which tasks (one message by id, or every message of a task type) workers
 * skip, and the two counters that let workers skip the flag lookups while no flag is in force.
 *
 * <p>{@code revocations} counts the flags without an end; {@code revocations:until} holds the
 * latest end of the others. Both are raised before the flag is written, so a worker that reads
 * "none" has not missed a flag, except one set within the last refresh period (50 ms). Concurrent
 * revokes with an end may leave the end later than needed, which only keeps the lookups on
 * longer. A message's flag is deleted once the message is skipped, a one-time flag once it has
 * skipped a task, so the count returns to zero when nothing is revoked.
 */
final class Revocations {
    private static final String BY_ID = "revoked:id:";
    private static final String BY_TASK = "revoked:task:";
    /** Counts the revocation flags in force without an end. */
    static final String COUNT = "revocations";
    /** Epoch ms until which a revocation flag with an end may be in force (0, or past: none). */
    static final String UNTIL = "revocations:until";
    private static final long REFRESH_NANOS = 50_000_000L;

    private final Storage storage;
    private final Clock clock;
    private volatile long checkedAt;
    private volatile boolean checked;
    private volatile boolean inForce;

    Revocations(Storage storage, Clock clock) {
        this.storage = storage;
        this.clock = clock;
    }

    static String keyForId(String id) {
        return BY_ID + id;
    }

    static String keyForTask(String task) {
        return BY_TASK + task;
    }

    /** Sets the flag {@code key} and counts it. */
    void revoke(String key, Revocation revocation) {
        Optional<Revocation> old = storage.revocation(key);
        boolean counted = old.isPresent() && old.get().until() == null;
        if (revocation.until() == null) {
            if (!counted) {
                storage.increment(COUNT, 1);
            }
        } else {
            long until = revocation.until().toEpochMilli();
            long known = storage.counter(UNTIL);
            if (until > known) {
                storage.increment(UNTIL, until - known);
            }
        }
        storage.revoke(key, revocation);
        if (revocation.until() != null && counted) {
            storage.increment(COUNT, -1);
        }
        checked = false;
    }

    /** Clears the flag {@code key}; true when one was in force. */
    boolean restore(String key) {
        Optional<Revocation> flag = storage.revocation(key);
        return flag.isPresent() && restore(key, flag.get());
    }

    /** Clears the flag {@code key}, known to be {@code flag}, and uncounts it. */
    private boolean restore(String key, Revocation flag) {
        boolean had = storage.restore(key);
        if (had && flag.until() == null) {
            storage.increment(COUNT, -1);
        }
        checked = false;
        return had;
    }

    /**
     * Whether the message {@code id} of task {@code task} is to be skipped. A message's own flag has
     * served its purpose once the message is skipped, and a task's one-time flag too: both are
     * deleted then.
     */
    boolean skips(String id, String task) {
        if (!mayBeInForce()) {
            return false;
        }
        return inForce(keyForId(id), true) || inForce(keyForTask(task), false);
    }

    private boolean inForce(String key, boolean messageFlag) {
        Optional<Revocation> r = storage.revocation(key);
        if (r.isEmpty()) {
            return false;
        }
        if (messageFlag || r.get().once()) {
            restore(key, r.get());
        }
        return true;
    }

    /** Whether any flag may be in force; refreshed from the storage at most every 50 ms. */
    boolean mayBeInForce() {
        long now = System.nanoTime();
        if (!checked || now - checkedAt > REFRESH_NANOS) {
            inForce = storage.counter(COUNT) > 0 || storage.counter(UNTIL) > clock.millis();
            checkedAt = now;
            checked = true;
        }
        return inForce;
    }
}
