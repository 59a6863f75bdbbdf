package dev.louie.core;

import java.util.List;

/**
 * One task invocation as it travels through the queue: what to run, with which arguments, and
 * the options that govern it. Encoded by the {@link Serializer}; the storage sees only bytes.
 *
 * <p>Times are epoch milliseconds ({@code null} when unset) so that the encoding stays plain JSON
 * that other languages can write: a message submitted by name from another program needs only
 * {@code id}, {@code task} and {@code args}.
 *
 * @param id           unique id; also the key of the task's result
 * @param task         registered task name
 * @param args         arguments, decoded to the method's declared parameter types at execution
 * @param queue        queue name
 * @param priority     higher runs first
 * @param eta          earliest start, epoch ms, or null
 * @param retries      retries left
 * @param retryDelayMs delay before the next retry
 * @param retryBackoff factor applied to the delay after each retry
 * @param expires      latest start, epoch ms, or null
 * @param enqueuedAt   when it was first enqueued, epoch ms
 * @param attempt      how many executions failed before this one
 * @param next         the pipeline's next stage, which receives this task's result as its first argument, or null
 * @param onError      message enqueued with a {@link TaskError} as first argument when this task fails for good, or null
 * @param chord        membership of a chord, or null
 */
public record Message(
        String id,
        String task,
        List<Object> args,
        String queue,
        int priority,
        Long eta,
        int retries,
        long retryDelayMs,
        double retryBackoff,
        Long expires,
        long enqueuedAt,
        int attempt,
        Message next,
        Message onError,
        Chord chord) {

    public Message {
        if (args == null) {
            args = List.of();
        }
        if (queue == null) {
            queue = Louie.DEFAULT_QUEUE;
        }
        if (retryBackoff <= 0) {
            retryBackoff = 1.0;
        }
    }

    /**
     * Chord membership: when all {@code members} have results, {@code callback} is enqueued
     * with the list of their results as its first argument.
     *
     * @param id       chord id (a counter key)
     * @param members  ids of all member tasks, in order
     * @param callback the message to enqueue
     */
    public record Chord(String id, List<String> members, Message callback) {
    }

    Message withArgs(List<Object> newArgs) {
        return new Message(id, task, newArgs, queue, priority, eta, retries, retryDelayMs, retryBackoff, expires,
                enqueuedAt, attempt, next, onError, chord);
    }

    Message forRetry(long etaMs) {
        return new Message(id, task, args, queue, priority, etaMs, retries - 1, retryDelayMs, retryBackoff, expires,
                enqueuedAt, attempt + 1, next, onError, chord);
    }

    /** A later stage (or error callback) being enqueued now: its queue wait counts from here. */
    Message withEnqueuedAt(long newEnqueuedAt) {
        return new Message(id, task, args, queue, priority, eta, retries, retryDelayMs, retryBackoff, expires,
                newEnqueuedAt, attempt, next, onError, chord);
    }

    Message withIdAndEta(String newId, Long newEta) {
        return new Message(newId, task, args, queue, priority, newEta, retries, retryDelayMs, retryBackoff, expires,
                enqueuedAt, attempt, next, onError, chord);
    }

    Message withNext(Message newNext) {
        return new Message(id, task, args, queue, priority, eta, retries, retryDelayMs, retryBackoff, expires,
                enqueuedAt, attempt, newNext, onError, chord);
    }

    Message withOnError(Message handler) {
        return new Message(id, task, args, queue, priority, eta, retries, retryDelayMs, retryBackoff, expires,
                enqueuedAt, attempt, next == null ? null : next.withOnError(handler), handler, chord);
    }

    Message withChord(Chord newChord) {
        return new Message(id, task, args, queue, priority, eta, retries, retryDelayMs, retryBackoff, expires,
                enqueuedAt, attempt, next, onError, newChord);
    }
}
