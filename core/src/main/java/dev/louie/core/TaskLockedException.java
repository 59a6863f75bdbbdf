package dev.louie.core;

/** A task could not take its lock because another holder has it; the task fails (and is retried if it has retries left). */
public class TaskLockedException extends LouieException {
    private static final long serialVersionUID = 1L;

    private final String lockName;

    public TaskLockedException(String lockName) {
        super("lock '" + lockName + "' is held by another task; try again later or give the task retries");
        this.lockName = lockName;
    }

    /** The name of the lock that was held. */
    public String lockName() {
        return lockName;
    }
}
