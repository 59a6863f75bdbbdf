package dev.louie.core;

/**
 * Runs around each execution on the worker thread. A pre-execute hook may throw
 * {@link CancelExecution} to skip the task; a post-execute hook sees the outcome in the event
 * (COMPLETE or ERROR with its error).
 */
@FunctionalInterface
public interface TaskHook {
    void run(TaskEvent event);
}
