package dev.louie.core;

/** What happened to a task; sent to every {@link SignalListener}. */
public enum Signal {
    /** Put in a queue to run as soon as a worker is free. */
    ENQUEUED,
    /** Put in the schedule to run at its eta. */
    SCHEDULED,
    /** A worker is about to run it. */
    EXECUTING,
    /** It returned; sent just before its result is stored, so listeners hear it before waiters wake. */
    COMPLETE,
    /** It failed for good (no retries left); sent just before its error is stored as its result. */
    ERROR,
    /** It failed and was scheduled to run again. */
    RETRYING,
    /** It was revoked and skipped. */
    REVOKED,
    /** It was not started before its expiry and skipped. */
    EXPIRED,
    /** Its lock was held by another task. */
    LOCKED,
    /**
     * Its worker thread was interrupted other than for its timeout (consumer shutdown: the
     * message goes back to the queue).
     */
    INTERRUPTED,
    /**
     * It ran past its {@link Task#timeout()}, whether it noticed through
     * {@link TaskContext#checkTimeout()}, through the interrupt, or not at all (then its thread
     * was abandoned); RETRYING or ERROR follows.
     */
    TIMEOUT,
    /** A pre-execute hook threw {@link CancelExecution}. */
    CANCELED,
    /**
     * It was moved to the dead-letter area of its queue without running: its message could not be
     * decoded (then {@link TaskEvent#task()} is null), its task is registered on no consumer, its
     * arguments do not fit, or it was delivered more often than the delivery limit allows.
     */
    DEAD_LETTERED,
    /**
     * Its start was refused by a rate limit ({@link Task#rateLimit()}, {@link Limits}): it went back
     * to the schedule until the limit admits it. Not a failure and not a retry.
     */
    RATE_LIMITED,
    /**
     * Its start was refused because every slot of a concurrency limit ({@link Task#concurrency()},
     * {@link Limits}) was held: it went back to the schedule for a moment. Not a failure and not a retry.
     */
    CONCURRENCY_LIMITED
}
