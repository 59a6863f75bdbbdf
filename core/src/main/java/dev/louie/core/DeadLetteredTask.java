package dev.louie.core;

import java.time.Instant;

/**
 * A dead letter, as {@link Operations#deadLetters} lists it: a task taken out of circulation, with
 * the reason why. {@link Operations#requeue(String, String)} puts it back.
 *
 * @param id         task id
 * @param task       task name, or {@code null} when the message cannot be decoded (often the reason it is dead)
 * @param queue      queue it came from
 * @param priority   the priority it had (0 when the message cannot be decoded); a requeue keeps it
 * @param reason     why it was dead-lettered
 * @param deliveries deliveries made before it was dead-lettered
 * @param at         when it was dead-lettered
 */
public record DeadLetteredTask(String id, String task, String queue, int priority, String reason, int deliveries, Instant at) {
}
