package dev.louie.core;

/** Where a task is, by its id: what {@link Operations#state(String)} answers. */
public enum TaskState {
    /** Waiting in its queue, visible to consumers. */
    PENDING,
    /** Waiting for its eta (scheduled, or a retry after a delay). */
    SCHEDULED,
    /** Taken by a consumer under a lease. */
    RUNNING,
    /** Finished with a value; its result is stored. */
    DONE,
    /** Finished without a value (an error, a timeout, an expiry, …); its result records why. */
    FAILED,
    /** In its queue's dead-letter area. */
    DEAD,
    /** Revoked: a consumer skips it, or skipped it. */
    REVOKED,
    /** Nothing is known of this id: never enqueued, or its result was taken, deleted or expired. */
    UNKNOWN
}
