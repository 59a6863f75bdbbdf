package dev.louie.core;

import java.time.Instant;

/**
 * A task in a queue, as {@link Operations} lists it: pending, scheduled or running. Fields that
 * do not apply to its state are {@code null}.
 *
 * @param id          task id (also the key of its result)
 * @param task        task name, or {@code null} when the message cannot be decoded
 * @param queue       queue it is in
 * @param state       {@link TaskState#PENDING}, {@link TaskState#SCHEDULED} or {@link TaskState#RUNNING}
 * @param priority    priority
 * @param enqueuedAt  when it was first enqueued, or {@code null} when the message cannot be decoded
 * @param eta         when a scheduled task becomes visible
 * @param deliveries  deliveries so far (0 for a task never taken)
 * @param consumer    id of the consumer running it, when its heartbeat says so
 * @param leasedSince when that consumer took it, when its heartbeat says so
 * @param deadline    when the lease of a running task expires unless extended
 */
public record QueuedTask(String id, String task, String queue, TaskState state, int priority, Instant enqueuedAt,
        Instant eta, int deliveries, String consumer, Instant leasedSince, Instant deadline) {
}
