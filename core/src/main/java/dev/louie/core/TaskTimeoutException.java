package dev.louie.core;

/** A task ran past its {@link Task#timeout()}. Thrown by {@link TaskContext#checkTimeout()}; recorded as the task's error. */
public class TaskTimeoutException extends LouieException {
    private static final long serialVersionUID = 1L;

    public TaskTimeoutException(String message) {
        super(message);
    }
}
