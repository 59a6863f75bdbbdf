package dev.louie.core;

/** Thrown by a pre-execute hook to skip a task: the task does not run, its result records the cancellation and the CANCELED signal is sent. */
public class CancelExecution extends LouieException {
    private static final long serialVersionUID = 1L;

    public CancelExecution(String reason) {
        super(reason);
    }
}
