package dev.louie.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What a running task can learn about itself: its id, attempt and deadline. Read it with
 * {@link #current()} from the task's thread. A long task checks its {@link Task#timeout()} with
 * {@link #checkTimeout()} at safe points; the worker thread is also interrupted when the
 * timeout passes.
 */
public final class TaskContext {
    private static final ThreadLocal<TaskContext> CURRENT = new ThreadLocal<>();

    private final String id;
    private final String task;
    private final int attempt;
    private final Instant deadline;
    private final Duration timeout;
    private final Clock clock;

    TaskContext(String id, String task, int attempt, Instant deadline, Duration timeout, Clock clock) {
        this.id = id;
        this.task = task;
        this.attempt = attempt;
        this.deadline = deadline;
        this.timeout = timeout;
        this.clock = clock;
    }

    /**
     * The context of the task running on this thread.
     *
     * @throws IllegalStateException when called outside a task
     */
    public static TaskContext current() {
        TaskContext ctx = CURRENT.get();
        if (ctx == null) {
            throw new IllegalStateException("TaskContext.current() is only available on the thread running a task");
        }
        return ctx;
    }

    static void set(TaskContext ctx) {
        if (ctx == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(ctx);
        }
    }

    /** Task id. */
    public String id() {
        return id;
    }

    /** Task name. */
    public String task() {
        return task;
    }

    /** Failed executions before this one (0 on the first run). */
    public int attempt() {
        return attempt;
    }

    /** Time left before the timeout; {@code null} when the task has no timeout. */
    public Duration remaining() {
        return deadline == null ? null : Duration.between(clock.instant(), deadline);
    }

    /** Whether the task has run past its timeout. */
    public boolean isTimedOut() {
        return deadline != null && !clock.instant().isBefore(deadline);
    }

    /** Throws {@link TaskTimeoutException} when the task has run past its timeout. */
    public void checkTimeout() {
        if (isTimedOut()) {
            throw new TaskTimeoutException("task " + task + " [" + id + "] ran past its timeout of " + timeout);
        }
    }
}
