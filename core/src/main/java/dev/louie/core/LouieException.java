package dev.louie.core;

/** Base class of the unchecked exceptions Louie throws. */
public class LouieException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LouieException(String message) {
        super(message);
    }

    public LouieException(String message, Throwable cause) {
        super(message, cause);
    }
}
