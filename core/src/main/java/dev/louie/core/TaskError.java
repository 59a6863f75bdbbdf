package dev.louie.core;

/**
 * What an error callback receives as its first argument when a task fails for good (see
 * {@link TaskCall#onError}).
 *
 * @param taskId     id of the failed task
 * @param task       name of the failed task
 * @param errorClass class name of the error
 * @param message    message of the error, may be null
 */
public record TaskError(String taskId, String task, String errorClass, String message) {
}
