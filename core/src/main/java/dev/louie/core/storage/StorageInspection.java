package dev.louie.core.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a storage can tell about its contents, and repairs, for operators and tools rather than
 * for running tasks: queue sizes, dead letters, results, locks. Optional: a backend that
 * implements only {@link Storage} runs tasks fully; tools that need these say so when a storage
 * lacks them. {@link MemoryStorage}, {@code SqliteStorage} and {@code RedisStorage} implement it,
 * and the conformance suite checks it where a backend does.
 */
public interface StorageInspection {

    /** Visible messages waiting in {@code queue} (not scheduled, not leased). */
    long queueSize(String queue);

    /** Scheduled messages of {@code queue} not yet promoted. */
    long scheduleSize(String queue);

    /** Messages of {@code queue} currently leased. */
    long leasedCount(String queue);

    /** Dead letters of {@code queue}. */
    long deadLetterCount(String queue);

    /** Up to {@code limit} dead letters of {@code queue}, oldest first. */
    List<DeadLetter> deadLetters(String queue, int limit);

    /** Number of results stored and not expired. */
    long resultCount();

    /** Whether the lock is held (and not expired). */
    boolean isLocked(String name);

    /** Releases every lock; returns how many were held (after a crash left some held). */
    int flushLocks();

    // ---- oldest pending message (queue age) ------------------------------------------------

    /**
     * Since when the visible message of {@code queue} that has waited longest has been waiting:
     * the moment it became visible (its enqueue, its eta when it was scheduled, or its return to
     * the queue after a release or an expired lease); empty when nothing is visible. What
     * {@code louie.queue.oldest.age} reports. The default says that this storage cannot tell.
     *
     * @throws UnsupportedOperationException when the backend does not record it
     */
    default Optional<Instant> oldestPending(String queue) {
        throw new UnsupportedOperationException(this + " does not record when its messages became visible:"
                + " it cannot report the oldest pending message of queue " + queue);
    }

    /** The inspection of {@code storage}, or an explanation of why there is none. */
    static StorageInspection of(Storage storage) {
        if (storage instanceof StorageInspection inspection) {
            return inspection;
        }
        throw new UnsupportedOperationException(storage + " does not implement StorageInspection: it cannot report sizes,"
                + " list dead letters or flush locks");
    }
}
