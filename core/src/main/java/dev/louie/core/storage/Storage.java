package dev.louie.core.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where messages, results, locks and flags live: the one interface a backend implements.
 *
 * <p>Semantics, pinned by the conformance suite ({@code StorageConformanceTest} in core's
 * test-jar) that every implementation runs unchanged:
 * <ul>
 *   <li>Queues are named. Within a queue, higher priority first, FIFO among equal priorities.</li>
 *   <li>An envelope with an eta in the future is <em>scheduled</em>: it is not delivered before
 *       {@link #promoteDue} has been called at or after its eta. (A backend may make due messages
 *       visible without it; callers always call it.)</li>
 *   <li>{@link #dequeue} hands out {@link Lease}s. A lease ends by {@link #ack}, {@link #complete},
 *       {@link #retry}, {@link #release} or {@link #deadLetter}. When its deadline passes the
 *       message is delivered again with {@code deliveries + 1}.</li>
 *   <li>Operations on a lease that is no longer current (expired and redelivered, or already
 *       ended) change nothing and return {@code false}.</li>
 *   <li>Results are byte values under a key (the message id), with an optional TTL.</li>
 *   <li>Locks are named, owned and expire after their TTL. Counters are atomic.</li>
 *   <li>Several threads and (for shared backends) several processes may call every method
 *       concurrently; each message is delivered to one consumer per lease.</li>
 * </ul>
 *
 * <p>A backend implements the 18 abstract methods (the primitives); the others have defaults
 * that a backend overrides where it can do better (one transaction for many completions, a
 * wake-up instead of polling). Sizes, listings and repairs are in the optional
 * {@link StorageInspection}, which the three backends implement too.
 *
 * <p>Implementations: {@link MemoryStorage} (one JVM, tests and immediate mode),
 * {@code SqliteStorage} (the embedded default) and {@code RedisStorage} (distributed).
 * A backend failure is reported as {@link StorageException}.
 */
public interface Storage extends AutoCloseable {

    // ---- application ----------------------------------------------------------------------

    /**
     * Binds this storage to the application {@code name}; {@code Louie.Builder.build()} calls it
     * once per {@code Louie}. A backend shared by several applications (Redis) keeps each
     * application's data apart under its name unless the user configured another namespace; a
     * backend that holds one application's data (an SQLite file, a memory storage) records the name.
     * Attaching again with the same name does nothing. Attaching one instance to a second
     * application always throws {@link IllegalStateException} naming both, and so does opening a
     * store that records another application's name (an SQLite file), so that two applications
     * never consume each other's messages or flush each other's data by accident; two
     * applications share a namespace only where the user configured it explicitly.
     */
    void attach(String application);

    // ---- queue ----------------------------------------------------------------------------

    /**
     * Adds a message to {@code queue}; an eta in the future schedules it instead. Enqueue is
     * idempotent by id: when a message with this id is already in {@code queue} (visible,
     * scheduled, leased or dead-lettered) nothing changes and the answer is {@code false}, so a
     * producer may retry an enqueue whose outcome it does not know.
     */
    boolean enqueue(String queue, Envelope envelope);

    /**
     * Adds several messages in one step where the backend can; same rules as {@link #enqueue}
     * (an envelope whose id is already in the queue, or earlier in the list, is skipped).
     */
    default void enqueueAll(String queue, List<Envelope> envelopes) {
        for (Envelope envelope : envelopes) {
            enqueue(queue, envelope);
        }
    }

    /**
     * {@link #enqueue} without waiting: the future completes, with the same answer, once the
     * storage holds the message, or exceptionally with the {@link StorageException}. Backends
     * that can combine concurrent enqueues into one round trip or one commit override it (Redis
     * coalesces what arrives while a call is in flight; SQLite commits a group); the default
     * enqueues on the caller's thread and returns a completed future. Callbacks attached to the
     * future may run on a backend thread: keep them short, or use the {@code ...Async} variants.
     */
    default CompletableFuture<Boolean> enqueueAsync(String queue, Envelope envelope) {
        try {
            return CompletableFuture.completedFuture(enqueue(queue, envelope));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Takes up to {@code max} visible messages, best first, each leased for {@code leaseTime}.
     * Expired leases of this queue are reclaimed first: their messages are delivered again, with
     * {@link Lease#deliveries()} one higher (the consumer dead-letters a message past its delivery
     * limit, so that its result records why). Returns an empty list, not blocking, when nothing
     * is visible.
     */
    List<Lease> dequeue(String queue, int max, Duration leaseTime);

    /**
     * Waits until a message may be available in {@code queue} or {@code timeout} passes. A hint
     * only: it may return early or late, and a following {@link #dequeue} may find nothing.
     * The default sleeps for {@code timeout}; backends wake up early where they can (same-JVM
     * notification, blocking pops).
     */
    default void awaitMessages(String queue, Duration timeout) throws InterruptedException {
        Thread.sleep(Math.max(1, timeout.toMillis()));
    }

    /** Extends a current lease to {@code now + leaseTime}; empty when the lease is no longer current. */
    Optional<Lease> extend(Lease lease, Duration leaseTime);

    /** Ends the lease and removes its message: {@link #complete} without a result. */
    default boolean ack(Lease lease) {
        return complete(lease, null, null, null);
    }

    /**
     * Ends the lease, removes its message and stores {@code result} under {@code resultKey} in one
     * atomic step: after a crash either both happened or neither. A {@code null} ttl keeps the
     * result until it is taken or deleted. A {@code null} resultKey only ends the lease.
     */
    boolean complete(Lease lease, String resultKey, byte[] result, Duration ttl);

    /**
     * {@link #complete} for several leases in as few storage steps as the backend can (one
     * transaction, one script call): how a consumer stores the results of many short tasks at
     * once. Each completion is atomic on its own; element {@code i} of the answer says whether
     * completion {@code i} happened (false: its lease was no longer current). The default calls
     * {@link #complete} for each; backends override it for throughput.
     */
    default boolean[] completeAll(List<Completion> completions) {
        boolean[] done = new boolean[completions.size()];
        for (int i = 0; i < done.length; i++) {
            Completion c = completions.get(i);
            done[i] = complete(c.lease(), c.resultKey(), c.result(), c.ttl());
        }
        return done;
    }

    /**
     * Ends the lease and, in the same atomic step, enqueues {@code next} (same id as the lease, a
     * new body, usually an eta): how a failed task is retried without a window where it is lost.
     * The delivery count starts again at zero for {@code next}.
     */
    boolean retry(Lease lease, Envelope next);

    /**
     * Ends the lease and makes the message visible again at once, in its old place, without
     * counting the delivery (used at shutdown for tasks that did not run).
     */
    boolean release(Lease lease);

    /** Ends the lease and moves the message to the dead-letter area of its queue with a reason. */
    boolean deadLetter(Lease lease, String reason);

    // ---- schedule -------------------------------------------------------------------------

    /** Makes scheduled messages of {@code queue} whose eta is at or before {@code now} visible; returns how many. */
    int promoteDue(String queue, Instant now);

    // ---- results ----------------------------------------------------------------------------

    /** Stores a result; a {@code null} ttl keeps it until taken or deleted. Overwrites. */
    void putResult(String key, byte[] value, Duration ttl);

    /** Reads a result that has not expired; with {@code take} it is deleted in the same step (one reader gets it). */
    Optional<byte[]> getResult(String key, boolean take);

    /**
     * Watches for the result under {@code key}: {@code onStored} is called when a result may have
     * been stored under it, with the value when the backend has it at hand, else with null (read
     * it). Calls may be spurious, and come on a thread of the backend's: keep the callback short.
     * A backend tells the watch about results stored through this instance at once and, where it
     * can, about those stored by other processes; where it cannot, it polls ({@link ResultPoller}).
     * The default polls {@link #getResult} (1 ms to 50 ms apart). Returns a handle that ends the
     * watch. This is the one way Louie waits for results: {@code Result.get} and
     * {@code Result.future} both go through it.
     */
    default AutoCloseable watchResult(String key, Consumer<byte[]> onStored) {
        return ResultPoller.watchByPolling(this, key, onStored);
    }

    /** Deletes a result; returns whether one was there. The default takes it. */
    default boolean deleteResult(String key) {
        return getResult(key, true).isPresent();
    }

    // ---- locks, flags, counters ------------------------------------------------------------------

    /**
     * Takes the lock {@code name} for {@code owner} if it is free or expired; true when taken.
     * Taking a lock one already holds refreshes its TTL and returns true.
     */
    boolean acquireLock(String name, String owner, Duration ttl);

    /** Releases a lock held by {@code owner}; false when it was not held by that owner. */
    boolean releaseLock(String name, String owner);

    /**
     * Sets a revocation flag for {@code key} (a message id or a task name, chosen by the caller).
     * A flag with an {@code until} is gone after that instant: the backend deletes it (a TTL, or a
     * sweep), it does not stay stored forever.
     */
    void revoke(String key, Revocation revocation);

    /** The revocation flag of {@code key} in force now, if any. */
    Optional<Revocation> revocation(String key);

    /** Clears a revocation flag; returns whether one was set. */
    boolean restore(String key);

    /**
     * Atomically adds {@code delta} to the counter {@code name} (created at 0) and returns the new
     * value. A counter whose value becomes 0 is deleted. A non-null {@code ttl} makes the counter
     * expire {@code ttl} after this change (it then reads 0); {@code null} leaves its expiry as it
     * was (none for a new counter).
     */
    long increment(String name, long delta, Duration ttl);

    /** {@link #increment(String, long, Duration)} without expiry. */
    default long increment(String name, long delta) {
        return increment(name, delta, null);
    }

    /** The value of the counter {@code name} (0 when it does not exist). The default increments by 0; backends where that writes override it with a read. */
    default long counter(String name) {
        return increment(name, 0);
    }

    // ---- maintenance ---------------------------------------------------------------------------

    /**
     * Removes everything this storage holds: queues, schedule, dead letters, results, locks, flags,
     * counters. A backend shared by several applications (Redis) removes only this application's
     * keys; a file-based one (SQLite) empties its file, which then belongs to one application.
     */
    void flush();

    /** Releases connections and threads; idempotent. The default has nothing to release. */
    @Override
    default void close() {
    }
}
