package dev.louie.core.storage;

import java.time.Instant;

/**
 * A message that was taken out of circulation, with the reason why: its body could not be
 * decoded, or it was delivered more often than the delivery limit allows.
 *
 * @param queue      queue it came from
 * @param id         message id
 * @param body       encoded message as it was stored
 * @param reason     human-readable reason
 * @param deliveries deliveries made before it was dead-lettered
 * @param at         when it was dead-lettered
 */
public record DeadLetter(String queue, String id, byte[] body, String reason, int deliveries, Instant at) {
}
