package dev.louie.core;

import java.time.Duration;

/**
 * A task at the moment of a {@link Signal}.
 *
 * @param signal    what happened
 * @param id        task id
 * @param task      task name; null for DEAD_LETTERED when the message could not be decoded
 * @param queue     queue name
 * @param attempt   failed executions before this one
 * @param error     the error for ERROR, RETRYING, LOCKED, TIMEOUT, CANCELED and INTERRUPTED (when there was one);
 *                  otherwise null
 * @param duration  execution time for COMPLETE, ERROR, RETRYING, TIMEOUT and INTERRUPTED; otherwise null
 * @param queueWait for EXECUTING: how long the task waited to start since it was ready to run (its
 *                  enqueue, or its eta when it had one, which for a retry is the retry's); otherwise null
 */
public record TaskEvent(Signal signal, String id, String task, String queue, int attempt, Throwable error, Duration duration,
                        Duration queueWait) {

    /** An event without a queue wait (every signal but EXECUTING). */
    public TaskEvent(Signal signal, String id, String task, String queue, int attempt, Throwable error, Duration duration) {
        this(signal, id, task, queue, attempt, error, duration, null);
    }
}
