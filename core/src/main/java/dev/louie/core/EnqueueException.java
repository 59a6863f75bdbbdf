package dev.louie.core;

import java.util.List;

/**
 * An enqueue failed in the storage (a connection lost, a timeout): the message may or may not
 * have been stored. {@link #taskIds()} names the ids it was given; enqueue again with the same id
 * ({@link TaskCall#id(String)}) to have it stored at most once.
 */
public class EnqueueException extends LouieException {
    private static final long serialVersionUID = 1L;

    private final List<String> taskIds;

    /** An enqueue of {@code taskIds} that failed with {@code cause}. */
    public EnqueueException(List<String> taskIds, Throwable cause) {
        super("enqueue of task" + (taskIds.size() == 1 ? " [" + taskIds.get(0) + "]" : "s " + taskIds) + " failed: "
                + cause.getMessage() + "; it may or may not be stored: enqueue again with the same id (TaskCall.id) to store it at most once",
                cause);
        this.taskIds = List.copyOf(taskIds);
    }

    /** The id of the (first) message whose enqueue failed. */
    public String taskId() {
        return taskIds.get(0);
    }

    /** The ids of every message of the failed enqueue. */
    public List<String> taskIds() {
        return taskIds;
    }
}
