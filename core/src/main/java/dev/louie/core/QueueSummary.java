package dev.louie.core;

/**
 * The sizes of one queue, as {@link Operations#queues()} lists them.
 *
 * @param queue     queue name
 * @param pending   visible messages waiting
 * @param scheduled messages waiting for their eta
 * @param running   messages leased by consumers
 * @param dead      dead letters
 */
public record QueueSummary(String queue, long pending, long scheduled, long running, long dead) {
}
