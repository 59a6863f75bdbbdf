package dev.louie.core;

import dev.louie.core.storage.Storage;
import java.time.Duration;

/**
 * A named lock held in the storage, shared by every process on it; released by {@link #close()}
 * or when its TTL passes (so a crashed holder cannot keep it forever).
 *
 * <pre>{@code
 * try (TaskLock lock = louie.lock("nightly-report", Duration.ofMinutes(10))) {
 *     // only one holder at a time, across consumers
 * }
 * }</pre>
 */
public final class TaskLock implements AutoCloseable {
    private final Storage storage;
    private final String name;
    private final String owner;

    private TaskLock(Storage storage, String name, String owner) {
        this.storage = storage;
        this.name = name;
        this.owner = owner;
    }

    static TaskLock acquire(Storage storage, String name, Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a lock needs a positive TTL, not " + ttl);
        }
        String owner = Ids.next();
        if (!storage.acquireLock(name, owner, ttl)) {
            throw new TaskLockedException(name);
        }
        return new TaskLock(storage, name, owner);
    }

    /** The lock's name. */
    public String name() {
        return name;
    }

    /** Releases the lock if this holder still has it. */
    @Override
    public void close() {
        storage.releaseLock(name, owner);
    }
}
