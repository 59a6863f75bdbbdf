package dev.louie.core;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * What is stored as a task's result: its value, or why it has none ({@code kind}).
 *
 * @param value        the returned value (null for void tasks and failures)
 * @param task         the task name, on failures
 * @param kind         why it failed, or null on success
 * @param errorClass   the exception's class name for {@link FailureKind#ERROR}, {@code TIMEOUT} and {@code LOCKED}
 * @param errorMessage the exception's message, or Louie's reason
 * @param stack        the stack trace as text, when there was an exception
 */
record Outcome(Object value, String task, FailureKind kind, String errorClass, String errorMessage, String stack) {
    /** A task that finished without a value; also what a zero-byte stored result means. */
    static final Outcome DONE = new Outcome(null, null, null, null, null, null);

    static Outcome success(Object value) {
        return value == null ? DONE : new Outcome(value, null, null, null, null, null);
    }

    static Outcome failure(String task, Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        FailureKind kind = error instanceof TaskTimeoutException ? FailureKind.TIMEOUT
                : error instanceof TaskLockedException ? FailureKind.LOCKED
                : error instanceof CancelExecution ? FailureKind.CANCELED
                : FailureKind.ERROR;
        return new Outcome(null, task, kind, error.getClass().getName(), error.getMessage(), text.toString());
    }

    /** A failure Louie decided without an exception of the task's (expired, revoked, dead-lettered). */
    static Outcome failure(String task, FailureKind kind, String message) {
        return new Outcome(null, task, kind, null, message, null);
    }

    boolean failed() {
        return kind != null || errorClass != null;
    }

    TaskFailedException exception(String id) {
        return new TaskFailedException(id, task, kind == null ? FailureKind.ERROR : kind, errorClass, errorMessage, stack);
    }
}
