package dev.louie.core;

/**
 * Runs around each execution on the worker thread. A pre-execute hook (with an EXECUTING event)
 * may throw {@link CancelExecution} to skip the task; a post-execute hook runs after a task that
 * ran, with its outcome in the event: COMPLETE, RETRYING or ERROR (with the error). Tasks that did
 * not run (canceled, revoked, expired, dead-lettered) get no post-execute call: listen for their
 * signals with a {@link SignalListener}.
 */
@FunctionalInterface
public interface TaskHook {
    /** Called with the task at this point; exceptions other than {@link CancelExecution} are logged and ignored. */
    void run(TaskEvent event);
}
