package dev.louie.core;

import java.time.Duration;

/**
 * A task at the moment of a {@link Signal}.
 *
 * @param signal   what happened
 * @param id       task id
 * @param task     task name
 * @param queue    queue name
 * @param attempt  failed executions before this one
 * @param error    the error for ERROR, RETRYING, LOCKED, TIMEOUT, CANCELED and INTERRUPTED (when there was one);
 *                 otherwise null
 * @param duration execution time for COMPLETE, ERROR, RETRYING, TIMEOUT and INTERRUPTED; otherwise null
 */
public record TaskEvent(Signal signal, String id, String task, String queue, int attempt, Throwable error, Duration duration) {
}
