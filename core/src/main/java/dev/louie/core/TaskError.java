package dev.louie.core;

/**
 * What an error callback receives as its first argument when a task fails for good (see
 * {@link TaskCall#onError}).
 *
 * @param taskId     id of the failed task
 * @param task       name of the failed task
 * @param kind       why it failed
 * @param errorClass class name of the error, or null where Louie ended the task itself (see {@link FailureKind})
 * @param message    message of the error, may be null
 */
public record TaskError(String taskId, String task, FailureKind kind, String errorClass, String message) {
}
