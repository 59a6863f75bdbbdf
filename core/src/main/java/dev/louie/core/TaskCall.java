package dev.louie.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A task invocation not yet enqueued: options, pipeline stages and error callback are added here,
 * then {@link #enqueue()} submits it.
 *
 * <pre>{@code
 * Result<Integer> total = louie.call(Shop::price, "apple")     // first stage
 *         .delay(Duration.ofSeconds(5))
 *         .then(Shop::withTax)                                // receives price's result first
 *         .then(Shop::rounded)
 *         .onError(Shop::alert)                               // any stage failing for good
 *         .enqueue();                                         // handle of the last stage
 * }</pre>
 *
 * @param <R> the return type of this (the last) stage
 */
public final class TaskCall<R> {
    private final Louie louie;
    final TaskDefinition definition;
    private final List<Object> args;
    private final TaskCall<?> previous;
    private Integer priority;
    private Instant eta;
    private Instant expiresAt;
    private Duration expiresAfter;
    private Integer retries;
    private Duration retryDelay;
    private TaskCall<?> errorHandler;
    private String queue;
    private String id;
    /** The base of the ids a publish gives its messages when no id was set: kept, so that a retried publish repeats them. */
    private String publishId;

    TaskCall(Louie louie, TaskDefinition definition, Object[] args, TaskCall<?> previous) {
        this.louie = louie;
        this.definition = definition;
        this.args = args == null ? List.of() : new ArrayList<>(Arrays.asList(args));
        this.previous = previous;
        int expected = definition.isUnregistered() ? this.args.size() : definition.parameterTypes.length - (previous == null ? 0 : 1);
        if (this.args.size() != expected) {
            throw new IllegalArgumentException("task " + definition.name + " takes " + definition.parameterTypes.length
                    + " argument(s)" + (previous == null ? "" : ", the first from the previous stage,")
                    + " but " + this.args.size() + " were given");
        }
    }

    /** Priority of this stage (higher runs first); defaults to the task's. */
    public TaskCall<R> priority(int value) {
        this.priority = value;
        return this;
    }

    /** The queue of this stage; defaults to the task's ({@link Task#queue()}, or the default queue for a task known by name only). */
    public TaskCall<R> queue(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the queue name must not be blank");
        }
        this.queue = name;
        return this;
    }

    /**
     * Gives the task an id of your choice instead of a random one, so that enqueue can be retried
     * when its outcome is unknown (after an {@link EnqueueException}): a message whose id is
     * already in its queue is not enqueued again. Only the first stage of a pipeline takes an id;
     * the later stages' ids derive from it ({@code id.2}, {@code id.3}, …), so the handle that a
     * repeated enqueue returns is the same. Ids are 1 to 200 characters without whitespace.
     */
    public TaskCall<R> id(String value) {
        if (previous != null) {
            throw new IllegalStateException("only the first stage of a pipeline takes an id; the later stages' ids derive from it");
        }
        if (value == null || value.isEmpty() || value.length() > 200 || value.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("a task id must be 1 to 200 characters without whitespace, not '" + value + "'");
        }
        this.id = value;
        return this;
    }

    /** Runs no earlier than {@code delay} from now. Only the first stage of a pipeline can be delayed. */
    public TaskCall<R> delay(Duration delay) {
        return eta(louie.clock().instant().plus(delay));
    }

    /** Runs no earlier than {@code at}. Only the first stage of a pipeline can be scheduled. */
    public TaskCall<R> eta(Instant at) {
        if (previous != null) {
            throw new IllegalStateException("only the first stage of a pipeline can be scheduled; the others start when their previous stage ends");
        }
        this.eta = at;
        return this;
    }

    /** Skipped (EXPIRED signal) when not started within {@code after} of being enqueued. */
    public TaskCall<R> expires(Duration after) {
        this.expiresAfter = after;
        this.expiresAt = null;
        return this;
    }

    /** Skipped (EXPIRED signal) when not started by {@code at}. */
    public TaskCall<R> expires(Instant at) {
        this.expiresAt = at;
        this.expiresAfter = null;
        return this;
    }

    /** Retries of this stage; defaults to the task's. */
    public TaskCall<R> retries(int count, Duration delay) {
        if (count < 0) {
            throw new IllegalArgumentException("retries must be 0 or more, not " + count);
        }
        this.retries = count;
        this.retryDelay = delay;
        return this;
    }

    /** Adds a stage that receives this stage's result as its first argument. */
    public <T, R2> TaskCall<R2> then(TaskRef.F1<T, ? super R, R2> next) {
        return new TaskCall<>(louie, louie.resolve(next), new Object[0], this);
    }

    /** Adds a stage that receives this stage's result and {@code a}. */
    public <T, A, R2> TaskCall<R2> then(TaskRef.F2<T, ? super R, A, R2> next, A a) {
        return new TaskCall<>(louie, louie.resolve(next), new Object[] {a}, this);
    }

    /** Adds a void stage that receives this stage's result. */
    public <T> TaskCall<Void> then(TaskRef.V1<T, ? super R> next) {
        return new TaskCall<>(louie, louie.resolve(next), new Object[0], this);
    }

    /** Adds a stage by task name; it receives this stage's result as its first argument, then {@code args}. */
    public TaskCall<Object> then(String task, Object... args) {
        return new TaskCall<>(louie, louie.definition(task), args, this);
    }

    /**
     * Runs {@code handler} with a {@link TaskError} when any stage of this pipeline fails for good.
     * The stages after the failed one do not run; their results record the failure too.
     */
    public <T> TaskCall<R> onError(TaskRef.V1<T, TaskError> handler) {
        this.errorHandler = new TaskCall<>(louie, louie.resolve(handler), new Object[0], this);
        return this;
    }

    /** Like {@link #onError(TaskRef.V1)} for a handler that returns a value. */
    public <T, X> TaskCall<R> onError(TaskRef.F1<T, TaskError, X> handler) {
        this.errorHandler = new TaskCall<>(louie, louie.resolve(handler), new Object[0], this);
        return this;
    }

    /** Enqueues the pipeline (its first stage); returns the handle of this, its last, stage. */
    @SuppressWarnings("unchecked")
    public Result<R> enqueue() {
        Message head = toMessage();
        louie.submit(head);
        Message last = head;
        while (last.next() != null) {
            last = last.next();
        }
        return new Result<>(louie, last.id(), definition.returnType, previous == null ? head : null);
    }

    /**
     * Enqueues like {@link #enqueue()} without waiting for the storage: the future completes with
     * the handle once the storage holds the message (the same point at which {@link #enqueue()}
     * returns), or fails with an {@link EnqueueException} naming the id. Concurrent calls share
     * round trips where the backend can (Redis coalesces them into one script call; SQLite into one
     * commit), so a producer on a hot request path submits many tasks for the cost of a few round
     * trips. Callbacks may run on a storage thread: keep them short, or use {@code thenApplyAsync}.
     */
    @SuppressWarnings("unchecked")
    public CompletableFuture<Result<R>> enqueueAsync() {
        Message head = toMessage();
        Message last = head;
        while (last.next() != null) {
            last = last.next();
        }
        String lastId = last.id();
        return louie.submitAsync(head)
                .thenApply(ignored -> new Result<>(louie, lastId, definition.returnType, previous == null ? head : null));
    }

    /**
     * Publishes the pipeline to an exchange: one message per queue that {@code routingKey} reaches
     * there (see {@link Exchanges} and docs/routing.md), each with its own id, retries and result,
     * enqueued in one storage step. The ids are {@code <id>@<queue>}, where {@code <id>} is the
     * call's {@link #id(String) id} or one chosen at the first publish of this call and kept:
     * after an {@link EnqueueException} publish again on the same call (or with the same id) and
     * the queues that already have their message do not get it twice.
     *
     * @return the handles of this (the last) stage, one per queue, in the order of the queue names
     * @throws UnroutableException      when no queue matches and the exchange has no alternate queue
     * @throws IllegalArgumentException when the exchange does not exist or the routing key is invalid
     * @throws UnsupportedOperationException when the storage holds no exchanges
     */
    public ResultGroup<R> publish(String exchange, String routingKey) {
        List<String> queues = louie.exchanges().route(exchange, routingKey);
        TaskCall<?> head = this;
        while (head.previous != null) {
            head = head.previous;
        }
        String base = head.id;
        if (base == null) {
            if (head.publishId == null) {
                head.publishId = Ids.next();
            }
            base = head.publishId;
        }
        List<Message> heads = new ArrayList<>(queues.size());
        List<Result<R>> results = new ArrayList<>(queues.size());
        for (String q : queues) {
            Message m = toMessage(base + "@" + q, q);
            heads.add(m);
            Message last = m;
            while (last.next() != null) {
                last = last.next();
            }
            results.add(new Result<>(louie, last.id(), definition.returnType, previous == null ? m : null));
        }
        louie.submitRouted(heads);
        return new ResultGroup<>(results);
    }

    /** Publishes to a fanout exchange (or with the empty routing key): {@link #publish(String, String)}. */
    public ResultGroup<R> publish(String exchange) {
        return publish(exchange, "");
    }

    /** Builds this stage and the ones before it into the head message of the pipeline. */
    Message toMessage() {
        return toMessage(null, null);
    }

    /** {@link #toMessage()} with the first stage's id and queue given (a routed copy), where not null. */
    private Message toMessage(String headId, String headQueue) {
        List<TaskCall<?>> stages = new ArrayList<>();
        for (TaskCall<?> s = this; s != null; s = s.previous) {
            stages.add(0, s);
        }
        long now = louie.clock().instant().toEpochMilli();
        String base = headId != null ? headId : stages.get(0).id;
        Message handler = null;
        for (TaskCall<?> s : stages) {
            if (s.errorHandler != null) {
                handler = s.errorHandler.single(now, base == null ? null : base + ".onError", null);
            }
        }
        Message next = null;
        for (int i = stages.size() - 1; i >= 0; i--) {
            String stageId = base == null ? null : i == 0 ? base : base + "." + (i + 1);
            Message m = stages.get(i).single(now, stageId, i == 0 ? headQueue : null).withNext(next);
            next = m;
        }
        return handler == null ? next : next.withOnError(handler);
    }

    /** This stage alone as a message. */
    Message single(long now) {
        return single(now, id, null);
    }

    private Message single(long now, String stageId, String queueOverride) {
        TaskDefinition d = definition;
        Long expires = expiresAt != null ? Long.valueOf(expiresAt.toEpochMilli())
                : expiresAfter != null ? Long.valueOf(now + expiresAfter.toMillis())
                : d.expires != null ? Long.valueOf(now + d.expires.toMillis()) : null;
        Duration delay = retryDelay != null ? retryDelay : d.retryDelay;
        return new Message(stageId != null ? stageId : Ids.next(), d.name, args, queueOverride != null ? queueOverride : queue != null ? queue : d.queue,
                priority != null ? priority : d.priority,
                eta == null ? null : eta.toEpochMilli(), retries != null ? retries : d.retries,
                delay == null ? 0 : delay.toMillis(), d.retryBackoff, expires, now, 0, null, null, null);
    }
}
