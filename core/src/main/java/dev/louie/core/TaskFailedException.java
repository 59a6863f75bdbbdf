package dev.louie.core;

/**
 * The task behind a {@link Result} ended without a value: it threw and had no retries left, ran
 * past its timeout, expired, was revoked or canceled, or went to the dead-letter area. Match on
 * {@link #kind()}; the error as recorded where the task ran (possibly another process) comes
 * with it: the class name, the message and the stack trace as text.
 */
public class TaskFailedException extends LouieException {
    private static final long serialVersionUID = 1L;

    private final String taskId;
    private final FailureKind kind;
    private final String errorClass;
    private final String errorMessage;
    private final String remoteStackTrace;

    /** A failure of task {@code task} [{@code taskId}] of the given kind. */
    public TaskFailedException(String taskId, String task, FailureKind kind, String errorClass, String errorMessage,
                               String remoteStackTrace) {
        super("task " + task + " [" + taskId + "] failed: "
                + (errorClass != null ? errorClass : kind) + (errorMessage == null ? "" : ": " + errorMessage));
        this.taskId = taskId;
        this.kind = kind;
        this.errorClass = errorClass;
        this.errorMessage = errorMessage;
        this.remoteStackTrace = remoteStackTrace;
    }

    /** Id of the failed task. */
    public String taskId() {
        return taskId;
    }

    /** Why the task has no value. */
    public FailureKind kind() {
        return kind;
    }

    /**
     * Fully qualified class name of the exception behind the failure ({@link FailureKind#ERROR},
     * {@code TIMEOUT}, {@code LOCKED}, {@code CANCELED}); null where Louie ended the task itself
     * ({@code EXPIRED}, {@code REVOKED}, {@code DEAD_LETTER}).
     */
    public String errorClass() {
        return errorClass;
    }

    /** Message of the error, or Louie's reason; may be null. */
    public String errorMessage() {
        return errorMessage;
    }

    /** Stack trace of the error as printed where the task ran; null without an exception. */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }
}
