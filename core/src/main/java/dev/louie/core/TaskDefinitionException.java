package dev.louie.core;

/** A task definition is invalid: thrown at registration, naming the method and what to change. */
public class TaskDefinitionException extends LouieException {
    private static final long serialVersionUID = 1L;

    public TaskDefinitionException(String message) {
        super(message);
    }

    public TaskDefinitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
