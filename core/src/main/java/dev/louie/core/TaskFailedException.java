package dev.louie.core;

/**
 * The task behind a {@link Result} failed: it threw and had no retries left, expired, was revoked
 * or canceled. Carries the error as recorded by the worker, possibly in another process: the
 * class name, the message and the stack trace as text.
 */
public class TaskFailedException extends LouieException {
    private static final long serialVersionUID = 1L;

    private final String taskId;
    private final String errorClass;
    private final String errorMessage;
    private final String remoteStackTrace;

    public TaskFailedException(String taskId, String task, String errorClass, String errorMessage, String remoteStackTrace) {
        super("task " + task + " [" + taskId + "] failed: " + errorClass + (errorMessage == null ? "" : ": " + errorMessage));
        this.taskId = taskId;
        this.errorClass = errorClass;
        this.errorMessage = errorMessage;
        this.remoteStackTrace = remoteStackTrace;
    }

    /** Id of the failed task. */
    public String taskId() {
        return taskId;
    }

    /** Fully qualified class name of the error the task raised. */
    public String errorClass() {
        return errorClass;
    }

    /** Message of the error the task raised, may be null. */
    public String errorMessage() {
        return errorMessage;
    }

    /** Stack trace of the error as printed where the task ran. */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }
}
