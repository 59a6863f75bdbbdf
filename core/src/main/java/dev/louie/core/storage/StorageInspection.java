package dev.louie.core.storage;

import java.util.List;

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

    /** The inspection of {@code storage}, or an explanation of why there is none. */
    static StorageInspection of(Storage storage) {
        if (storage instanceof StorageInspection inspection) {
            return inspection;
        }
        throw new UnsupportedOperationException(storage + " does not implement StorageInspection: it cannot report sizes,"
                + " list dead letters or flush locks");
    }
}
