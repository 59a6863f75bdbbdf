package dev.louie.core.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a storage can tell about its contents, and repairs, for operators and tools rather than
 * for running tasks: queue sizes, listings of pending, scheduled and leased messages, dead letters
 * and their repair (requeue, delete, purge), results, locks, and the heartbeats consumers record.
 * Optional: a backend that
 * implements only {@link Storage} runs tasks fully; tools that need these say so when a storage
 * lacks them. {@link MemoryStorage}, {@code SqliteStorage} and {@code RedisStorage} implement it,
 * and the conformance suite checks it where a backend does.
 *
 * <p>Listings are paged by {@code offset} and {@code limit} (at most {@code limit} entries from
 * position {@code offset}, 0 first) and read without locking the queue: a page is a snapshot of
 * that moment, and messages that move between two pages may be seen twice or not at all. Repairs
 * are each one atomic step: a dead letter is either still dead or back in its queue, never both or
 * neither, whatever happens to the process that asked.
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

    /** Up to {@code limit} dead letters of {@code queue}, oldest first: {@link #deadLetters(String, int, int)} from 0. */
    default List<DeadLetter> deadLetters(String queue, int limit) {
        return deadLetters(queue, 0, limit);
    }

    // ---- listings --------------------------------------------------------------------------------

    /**
     * The names of the queues that hold anything: pending, scheduled or leased messages, or dead
     * letters. A queue that was emptied may or may not still be listed.
     */
    Set<String> queues();

    /** Pending (visible) messages of {@code queue} in delivery order: best priority first, FIFO within one. */
    List<StoredMessage> pending(String queue, int offset, int limit);

    /** Scheduled messages of {@code queue}, soonest eta first. */
    List<StoredMessage> scheduled(String queue, int offset, int limit);

    /** Leased messages of {@code queue}, soonest deadline first; an expired lease not yet reclaimed is listed too. */
    List<StoredMessage> leased(String queue, int offset, int limit);

    /** The message {@code id} of {@code queue} if it is pending, scheduled or leased there. */
    Optional<StoredMessage> message(String queue, String id);

    /**
     * Deletes the pending or scheduled message {@code id} of {@code queue}; a leased one is not
     * deleted (revoke it instead). Its id may then be enqueued again. Returns whether it was deleted.
     */
    boolean deleteMessage(String queue, String id);

    // ---- dead letters ----------------------------------------------------------------------------

    /** Dead letters of {@code queue}, oldest first. */
    List<DeadLetter> deadLetters(String queue, int offset, int limit);

    /** The dead letter {@code id} of {@code queue}, if there is one (the oldest, should there be several). */
    Optional<DeadLetter> deadLetter(String queue, String id);

    /**
     * Moves the dead letter {@code id} of {@code queue} back into the queue, visible at once with
     * {@code priority} and a fresh delivery count (0), in one atomic step. Returns false (and changes
     * nothing) when there is no such dead letter, or when a message with that id is in the queue
     * already.
     */
    boolean requeueDeadLetter(String queue, String id, int priority);

    /** Deletes the dead letter {@code id} of {@code queue}; its id may then be enqueued again. Returns whether one was there. */
    boolean deleteDeadLetter(String queue, String id);

    /** Deletes every dead letter of {@code queue} in one step; returns how many there were. */
    long purgeDeadLetters(String queue);

    // ---- consumer heartbeats -----------------------------------------------------------------------

    /**
     * Stores the heartbeat {@code record} of consumer {@code consumer} (an encoding chosen by the
     * caller), replacing its previous one. The record is gone {@code ttl} after this call unless
     * written again, so that consumers that died do not stay listed forever.
     */
    void putHeartbeat(String consumer, byte[] record, Duration ttl);

    /** Every heartbeat record that has not expired, by consumer id; across processes and machines where the store is shared. */
    Map<String, byte[]> heartbeats();

    /** Removes the heartbeat of {@code consumer} (it stopped); returns whether one was there. */
    boolean removeHeartbeat(String consumer);

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
