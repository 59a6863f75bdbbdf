package dev.louie.core;

/**
 * Why a task ended without a value: what {@link TaskFailedException#kind()} says, for callers to
 * match on. {@link #ERROR} and {@link #TIMEOUT} carry the exception's class name in
 * {@link TaskFailedException#errorClass()}; for the others Louie ended the task itself and
 * {@code errorClass()} is null.
 */
public enum FailureKind {
    /** The task threw, with no retries left; {@code errorClass()} names what it threw. */
    ERROR,
    /** The task ran past its {@link Task#timeout()} ({@link TaskTimeoutException}), with no retries left. */
    TIMEOUT,
    /** The task's lock was held by another task, with no retries left ({@link TaskLockedException}). */
    LOCKED,
    /** The task was not started before its expiry. */
    EXPIRED,
    /** The task, or its task type, was revoked. */
    REVOKED,
    /** A pre-execute hook threw {@link CancelExecution}. */
    CANCELED,
    /**
     * The message could not be run and went to the dead-letter area: undecodable, a task no
     * consumer knows after the grace period, arguments that do not fit, or the delivery limit
     * reached. The message says which; the dead letter keeps the body.
     */
    DEAD_LETTER
}
