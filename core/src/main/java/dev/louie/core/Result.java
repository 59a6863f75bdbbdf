package dev.louie.core;

import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The handle of an enqueued task: wait for its value, blocking or asynchronously, or revoke it.
 *
 * <p>{@link #future()} completes when the storage tells of the result, without a thread per
 * result; {@link #get(Duration)} is a thin blocking layer over the same wait. A failed task makes both throw {@link TaskFailedException}. Reading keeps the stored
 * result (the handle also remembers it) unless you {@link #take(Duration) take} it. Results expire
 * after {@link Louie.Builder#resultTtl}.
 *
 * @param <T> the task's return type ({@code Void} for void tasks)
 */
public final class Result<T> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Result.class);
    private final Louie louie;
    private final String id;
    private final Type type;
    private final Message message;
    private volatile Outcome outcome;

    Result(Louie louie, String id, Type type, Message message) {
        this.louie = louie;
        this.id = id;
        this.type = type;
        this.message = message;
    }

    /** The task id, which is also the key of its stored result. */
    public String id() {
        return id;
    }

    /**
     * Waits as long as it takes for the value. Every task that ends leaves a result (a value,
     * "done", or a failure); a task that no consumer takes never ends, so this logs a warning
     * each minute it keeps waiting.
     */
    public T get() {
        for (int minutes = 1; ; minutes++) {
            try {
                return get(Duration.ofMinutes(1));
            } catch (ResultTimeoutException e) {
                LOG.warn("still waiting for the result of task {} after {} min: is a consumer serving its queue{}?",
                        id, minutes, message == null ? "" : " '" + message.queue() + "'");
            }
        }
    }

    /**
     * Waits up to {@code timeout} for the value.
     *
     * @throws ResultTimeoutException when it is not ready in time
     * @throws TaskFailedException    when the task failed
     */
    public T get(Duration timeout) {
        return value(read(timeout, false));
    }

    /** Like {@link #get(Duration)}, and deletes the stored result (one reader takes it). */
    public T take(Duration timeout) {
        return value(read(timeout, true));
    }

    /** Completes with the value, or exceptionally with {@link TaskFailedException}. */
    public CompletableFuture<T> future() {
        Outcome known = outcome;
        if (known != null) {
            return completed(known);
        }
        louie.requireResults();
        ResultWaiter waiter = louie.waiter();
        CompletableFuture<byte[]> raw = waiter.watch(id);
        CompletableFuture<T> out = raw.thenApplyAsync(bytes -> {
            Outcome o = louie.decodeOutcome(bytes);
            outcome = o;
            return value(o);
        });
        out.whenComplete((v, e) -> {
            if (out.isCancelled()) {
                waiter.forget(id, raw);
            }
        });
        return out;
    }

    private CompletableFuture<T> completed(Outcome known) {
        try {
            return CompletableFuture.completedFuture(value(known));
        } catch (TaskFailedException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Whether the task has finished (with a value or an error). */
    public boolean isDone() {
        if (outcome != null) {
            return true;
        }
        louie.requireResults();
        Optional<byte[]> bytes = louie.storage().getResult(id, false);
        bytes.ifPresent(b -> outcome = louie.decodeOutcome(b));
        return bytes.isPresent();
    }

    /** Revokes the task: a worker that takes it skips it (REVOKED signal) until {@link #restore()}. */
    public void revoke() {
        louie.revokeId(id, null, false);
    }

    /** Revokes the task until {@code until}. */
    public void revoke(Instant until) {
        louie.revokeId(id, until, false);
    }

    /** Clears a revocation; true when one was in force. */
    public boolean restore() {
        return louie.revocations().restore(Revocations.keyForId(id));
    }

    /**
     * Revokes this task and enqueues a copy of it that runs after {@code delay}; returns the
     * copy's handle.
     */
    public Result<T> reschedule(Duration delay) {
        return reschedule(louie.clock().instant().plus(delay));
    }

    /** Revokes this task and enqueues a copy of it that runs at {@code eta}; returns the copy's handle. */
    public Result<T> reschedule(Instant eta) {
        if (message == null) {
            throw new IllegalStateException("only the handle of a single task, as enqueue returns it, can reschedule it; "
                    + "this one was looked up by id, or is the last stage of a pipeline or a chord's callback");
        }
        revoke();
        Message copy = message.withIdAndEta(Ids.next(), eta.toEpochMilli());
        louie.submit(copy);
        return new Result<>(louie, copy.id(), type, copy);
    }

    /** Waits for the outcome (the one waiting path: {@link #future()}'s), and takes the stored result with {@code take}. */
    private Outcome read(Duration timeout, boolean take) {
        Outcome known = outcome;
        if (known != null) {
            if (take) {
                louie.storage().getResult(id, true);
            }
            return known;
        }
        louie.requireResults();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            byte[] bytes = await(deadline, timeout);
            if (take) {
                Optional<byte[]> taken = louie.storage().getResult(id, true);
                if (taken.isEmpty()) {
                    continue; // another reader took it first
                }
                bytes = taken.get();
            }
            Outcome o = louie.decodeOutcome(bytes);
            outcome = o;
            return o;
        }
    }

    /** Blocks on a waiter's future until {@code deadlineNanos}. */
    private byte[] await(long deadlineNanos, Duration timeout) {
        ResultWaiter waiter = louie.waiter();
        CompletableFuture<byte[]> f = waiter.watch(id);
        try {
            return f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            waiter.forget(id, f);
            throw new ResultTimeoutException("the result of task " + id + " was not ready within " + timeout);
        } catch (InterruptedException e) {
            waiter.forget(id, f);
            Thread.currentThread().interrupt();
            throw new ResultTimeoutException("interrupted while waiting for the result of task " + id);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    @SuppressWarnings("unchecked")
    private T value(Outcome o) {
        if (o.failed()) {
            throw o.exception(id);
        }
        if (o.value() == null || type == null || type == void.class || type == Void.class) {
            return (T) o.value();
        }
        return (T) louie.serializer().convert(o.value(), type);
    }

    @Override
    public String toString() {
        return "Result[" + id + "]";
    }
}
