package dev.louie.core;

/** A result was not ready within the time a caller waited for it. The task may still run; wait again or check {@link Result#isDone()}. */
public class ResultTimeoutException extends LouieException {
    private static final long serialVersionUID = 1L;

    public ResultTimeoutException(String message) {
        super(message);
    }
}
