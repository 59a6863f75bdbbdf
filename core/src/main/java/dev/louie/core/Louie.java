package dev.louie.core;

import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.ExchangeStorage;
import dev.louie.core.storage.LimitStorage;
import dev.louie.core.storage.MemoryStorage;
import dev.louie.core.storage.Revocation;
import dev.louie.core.storage.Storage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: tasks registered on a storage, submitted from code, run by a {@link Consumer}.
 *
 * <pre>{@code
 * Louie louie = Louie.builder("shop")
 *         .storage(SqliteStorage.file(Path.of("louie.db")))
 *         .register(new ShopTasks())
 *         .build();
 * Result<String> r = louie.enqueue(ShopTasks::greet, "alice");
 * try (Consumer consumer = louie.consumer().workers(4).start()) {
 *     System.out.println(r.get(Duration.ofSeconds(5)));
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} closes the storage.
 */
public final class Louie implements AutoCloseable {
    /** The queue tasks go to unless {@link Task#queue()} says otherwise. */
    public static final String DEFAULT_QUEUE = "default";

    private static final Logger log = LoggerFactory.getLogger(Louie.class);

    private final String name;
    private final Storage storage;
    private final Serializer serializer;
    private final Clock clock;
    private final ZoneId zone;
    private final Duration resultTtl;
    private final boolean storeResults;
    private final boolean storeNulls;
    private final boolean immediate;
    private final TaskRegistry registry;
    private final List<SignalListener> listeners;
    private final List<TaskHook> preHooks;
    private final List<TaskHook> postHooks;
    private final List<TaskInterceptor> interceptors;
    private final TaskRunner runner;
    private final Limits limits;
    private final Revocations revocations;
    private final ThreadLocal<Boolean> draining = new ThreadLocal<>();
    private volatile InlineConsumer immediateConsumer;
    /** Consumers of this Louie running in this JVM: told about etas so that they wake for them. */
    private final List<Consumer> localConsumers = new CopyOnWriteArrayList<>();
    private volatile ResultWaiter waiter;
    /** Null when the storage does not implement {@link ExchangeStorage}. */
    private final Exchanges exchanges;

    private Louie(Builder b, TaskRegistry registry) {
        this.name = b.name;
        this.storage = b.storage != null ? b.storage : new MemoryStorage(b.clock);
        storage.attach(b.name);
        this.revocations = new Revocations(storage, b.clock);
        this.serializer = b.serializer;
        this.clock = b.clock;
        this.zone = b.zone;
        this.resultTtl = b.resultTtl;
        this.storeResults = b.storeResults;
        this.storeNulls = b.storeNulls;
        this.immediate = b.immediate;
        this.listeners = new CopyOnWriteArrayList<>(b.listeners);
        this.preHooks = List.copyOf(b.preHooks);
        this.postHooks = List.copyOf(b.postHooks);
        this.interceptors = List.copyOf(b.interceptors);
        this.registry = registry;
        this.limits = new Limits(storage, registry.byName().values());
        if (!immediate && !(storage instanceof LimitStorage)) {
            for (TaskDefinition d : registry.byName().values()) {
                if (d.rateLimit != null || d.concurrency > 0) {
                    throw new TaskDefinitionException("task " + d.name + " declares " + (d.rateLimit != null
                            ? "rateLimit = \"" + d.rateLimit + "\"" : "concurrency = " + d.concurrency) + ", but " + storage
                            + " does not support global limits (it does not implement LimitStorage); use MemoryStorage,"
                            + " SqliteStorage or RedisStorage, or remove the limit");
                }
            }
        }
        this.runner = new TaskRunner(this);
        this.exchanges = storage instanceof ExchangeStorage es ? new Exchanges(es, b.clock, b.routingRefresh) : null;
    }

    /** Starts building a Louie for the application {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    // ---- submission -------------------------------------------------------------------------

    /** Enqueues a task method without parameters. */
    public <T, R> Result<R> enqueue(TaskRef.F0<T, R> task) {
        return call(task).enqueue();
    }

    /** Enqueues a task method with one parameter. */
    public <T, A, R> Result<R> enqueue(TaskRef.F1<T, A, R> task, A a) {
        return call(task, a).enqueue();
    }

    /** Enqueues a task method with two parameters. */
    public <T, A, B, R> Result<R> enqueue(TaskRef.F2<T, A, B, R> task, A a, B b) {
        return call(task, a, b).enqueue();
    }

    /** Enqueues a task method with three parameters. */
    public <T, A, B, C, R> Result<R> enqueue(TaskRef.F3<T, A, B, C, R> task, A a, B b, C c) {
        return call(task, a, b, c).enqueue();
    }

    /** Enqueues a void task method without parameters. */
    public <T> Result<Void> enqueue(TaskRef.V0<T> task) {
        return call(task).enqueue();
    }

    /** Enqueues a void task method with one parameter. */
    public <T, A> Result<Void> enqueue(TaskRef.V1<T, A> task, A a) {
        return call(task, a).enqueue();
    }

    /** Enqueues a void task method with two parameters. */
    public <T, A, B> Result<Void> enqueue(TaskRef.V2<T, A, B> task, A a, B b) {
        return call(task, a, b).enqueue();
    }

    /** Enqueues a void task method with three parameters. */
    public <T, A, B, C> Result<Void> enqueue(TaskRef.V3<T, A, B, C> task, A a, B b, C c) {
        return call(task, a, b, c).enqueue();
    }

    /**
     * Enqueues a task by its name, for tools and callers that do not have the class. When the
     * task is not registered here, it goes to the {@link #DEFAULT_QUEUE default queue} with
     * default options (set others with {@link #call(String, Object...)} and
     * {@link TaskCall#queue(String)}); the consumer that runs it converts the arguments to the
     * method's parameter types and dead-letters the message when they do not fit.
     */
    public Result<Object> enqueue(String task, Object... args) {
        return call(task, args).enqueue();
    }

    /** A call of a task method without parameters, to set options on before {@link TaskCall#enqueue()}. */
    public <T, R> TaskCall<R> call(TaskRef.F0<T, R> task) {
        return new TaskCall<>(this, resolve(task), new Object[0], null);
    }

    /** A call of a task method with one parameter. */
    public <T, A, R> TaskCall<R> call(TaskRef.F1<T, A, R> task, A a) {
        return new TaskCall<>(this, resolve(task), new Object[] {a}, null);
    }

    /** A call of a task method with two parameters. */
    public <T, A, B, R> TaskCall<R> call(TaskRef.F2<T, A, B, R> task, A a, B b) {
        return new TaskCall<>(this, resolve(task), new Object[] {a, b}, null);
    }

    /** A call of a task method with three parameters. */
    public <T, A, B, C, R> TaskCall<R> call(TaskRef.F3<T, A, B, C, R> task, A a, B b, C c) {
        return new TaskCall<>(this, resolve(task), new Object[] {a, b, c}, null);
    }

    /** A call of a void task method without parameters. */
    public <T> TaskCall<Void> call(TaskRef.V0<T> task) {
        return new TaskCall<>(this, resolve(task), new Object[0], null);
    }

    /** A call of a void task method with one parameter. */
    public <T, A> TaskCall<Void> call(TaskRef.V1<T, A> task, A a) {
        return new TaskCall<>(this, resolve(task), new Object[] {a}, null);
    }

    /** A call of a void task method with two parameters. */
    public <T, A, B> TaskCall<Void> call(TaskRef.V2<T, A, B> task, A a, B b) {
        return new TaskCall<>(this, resolve(task), new Object[] {a, b}, null);
    }

    /** A call of a void task method with three parameters. */
    public <T, A, B, C> TaskCall<Void> call(TaskRef.V3<T, A, B, C> task, A a, B b, C c) {
        return new TaskCall<>(this, resolve(task), new Object[] {a, b, c}, null);
    }

    /** A call of a task by name, registered here or not (see {@link #enqueue(String, Object...)}). */
    public TaskCall<Object> call(String task, Object... args) {
        return new TaskCall<>(this, definition(task), args, null);
    }

    /** Enqueues the task once per argument, in one storage step where the backend can; returns the handles in order. */
    public <T, A, R> ResultGroup<R> map(TaskRef.F1<T, A, R> task, Iterable<? extends A> args) {
        List<TaskCall<R>> calls = new ArrayList<>();
        for (A a : args) {
            calls.add(call(task, a));
        }
        return group(calls);
    }

    /** Enqueues several calls together (one storage step per queue where the backend can). */
    public <R> ResultGroup<R> group(List<TaskCall<R>> calls) {
        List<Message> messages = new ArrayList<>(calls.size());
        List<Result<R>> results = new ArrayList<>(calls.size());
        for (TaskCall<R> c : calls) {
            Message m = c.toMessage();
            messages.add(m);
            results.add(new Result<>(this, last(m).id(), c.definition.returnType, m));
        }
        submitAll(messages);
        return new ResultGroup<>(results);
    }

    /**
     * Enqueues {@code calls} and, once all have finished, {@code callback} with the list of their
     * results (in order) as its argument. Returns the callback's handle. When a member fails for
     * good the callback does not run and its result records the failure.
     */
    public <T, R, R2> Result<R2> chord(List<TaskCall<R>> calls, TaskRef.F1<T, List<R>, R2> callback) {
        if (calls.isEmpty()) {
            throw new IllegalArgumentException("a chord needs at least one task");
        }
        requireResults();
        TaskDefinition cb = resolve(callback);
        long now = clock.instant().toEpochMilli();
        Message cbMessage = new TaskCall<>(this, cb, new Object[] {List.of()}, null).single(now).withArgs(List.of());
        List<Message> members = new ArrayList<>();
        for (TaskCall<R> c : calls) {
            members.add(c.toMessage());
        }
        List<String> ids = members.stream().map(m -> last(m).id()).toList();
        Message.Chord chord = new Message.Chord(Ids.next(), ids, cbMessage);
        List<Message> tagged = new ArrayList<>();
        for (Message m : members) {
            tagged.add(tagLast(m, chord));
        }
        if (!immediate) {
            tagged.add(Chords.check(chord, now)); // immediate mode runs members and callback on this thread: nothing to watch
        }
        submitAll(tagged);
        return new Result<>(this, cbMessage.id(), cb.returnType, null);
    }

    private static Message last(Message m) {
        while (m.next() != null) {
            m = m.next();
        }
        return m;
    }

    private static Message tagLast(Message m, Message.Chord chord) {
        return m.next() == null ? m.withChord(chord) : m.withNext(tagLast(m.next(), chord));
    }

    /** A handle to a task enqueued elsewhere, by id; its value is given as decoded (maps, lists, numbers, strings). */
    public Result<Object> result(String id) {
        return new Result<>(this, id, null, null);
    }

    /** A handle to a task enqueued elsewhere, by id, with the value converted to {@code type}. */
    public <R> Result<R> result(String id, Class<R> type) {
        return new Result<>(this, id, type, null);
    }

    void submit(Message m) {
        Envelope envelope = envelope(m);
        signalSubmitted(m);
        boolean added;
        try {
            added = storage.enqueue(m.queue(), envelope);
        } catch (RuntimeException e) {
            throw new EnqueueException(List.of(m.id()), e);
        }
        stored(m, envelope, added);
        if (immediate) {
            drain();
        }
    }

    /**
     * {@link #submit} without waiting for the storage (immediate mode runs the task first and
     * completes at once). The future fails with an {@link EnqueueException} naming the id.
     */
    CompletableFuture<Void> submitAsync(Message m) {
        if (immediate) {
            try {
                submit(m);
                return CompletableFuture.completedFuture(null);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        Envelope envelope = envelope(m);
        signalSubmitted(m);
        CompletableFuture<Boolean> stored;
        try {
            stored = storage.enqueueAsync(m.queue(), envelope);
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        return stored.handle((added, error) -> {
            if (error != null) {
                throw new EnqueueException(List.of(m.id()), error instanceof CompletionException ce && ce.getCause() != null
                        ? ce.getCause() : error);
            }
            stored(m, envelope, added);
            return null;
        });
    }

    /** After the storage answered an enqueue of {@code m}: a repeated id is logged, an eta wakes local consumers on time. */
    private void stored(Message m, Envelope envelope, boolean added) {
        if (!added) {
            log.debug("task {} [{}] is already in queue {}; not enqueued again", m.task(), m.id(), m.queue());
        } else if (envelope.eta() != null) {
            scheduledLocally(m.queue(), envelope.eta());
        }
    }

    private void submitAll(List<Message> messages) {
        Map<String, List<Envelope>> byQueue = new LinkedHashMap<>();
        for (Message m : messages) {
            byQueue.computeIfAbsent(m.queue(), q -> new ArrayList<>()).add(envelope(m));
        }
        for (Message m : messages) {
            signalSubmitted(m);
        }
        for (Map.Entry<String, List<Envelope>> e : byQueue.entrySet()) {
            try {
                storage.enqueueAll(e.getKey(), e.getValue());
            } catch (RuntimeException ex) {
                throw new EnqueueException(messages.stream().map(Message::id).toList(), ex);
            }
            for (Envelope envelope : e.getValue()) {
                if (envelope.eta() != null) {
                    scheduledLocally(e.getKey(), envelope.eta());
                }
            }
        }
        if (immediate) {
            drain();
        }
    }

    /** Tells this JVM's consumers that a message of {@code queue} becomes due at {@code eta}. */
    void scheduledLocally(String queue, Instant eta) {
        for (Consumer c : localConsumers) {
            c.wakeAt(queue, eta);
        }
    }

    void consumerStarted(Consumer consumer) {
        localConsumers.add(consumer);
    }

    void consumerStopped(Consumer consumer) {
        localConsumers.remove(consumer);
    }

    private void signalSubmitted(Message m) {
        if (listeners.isEmpty()) {
            return;
        }
        boolean scheduled = m.eta() != null && m.eta() > clock.millis();
        signal(new TaskEvent(scheduled ? Signal.SCHEDULED : Signal.ENQUEUED, m.id(), m.task(), m.queue(), m.attempt(), null, null));
    }

    Envelope envelope(Message m) {
        return new Envelope(m.id(), m.priority(), m.eta() == null ? null : Instant.ofEpochMilli(m.eta()), serializer.encode(m));
    }

    /**
     * Immediate mode: runs what is ready on the caller's thread (an {@link InlineConsumer} that
     * dead-letters unknown tasks at once); nested submissions join the outer loop.
     */
    private void drain() {
        if (draining.get() != null) {
            return;
        }
        draining.set(Boolean.TRUE);
        try {
            // a publish to a queue the inline consumer does not serve yet drops it (routedQueue): run again with a new one
            InlineConsumer inline;
            do {
                inline = immediateConsumer;
                if (inline == null) {
                    Consumer.Builder b = new Consumer.Builder(this).periodic(false).unknownTaskGrace(Duration.ZERO)
                            .leaseTime(Duration.ofMinutes(5)).maxDeliveries(Integer.MAX_VALUE - 1);
                    if (!routedQueues.isEmpty()) {
                        java.util.Set<String> all = new java.util.LinkedHashSet<>();
                        all.add(DEFAULT_QUEUE);
                        registry.byName().values().forEach(d -> all.add(d.queue));
                        all.addAll(routedQueues);
                        b.queues(all.toArray(new String[0]));
                    }
                    inline = b.inline();
                    immediateConsumer = inline;
                }
                inline.runUntilIdle();
            } while (immediateConsumer != inline);
        } finally {
            draining.remove();
        }
    }

    // ---- routing -----------------------------------------------------------------------------------

    /**
     * The exchanges and bindings of this Louie's storage (see {@link Exchanges} and docs/routing.md).
     *
     * @throws UnsupportedOperationException when the storage does not implement {@link ExchangeStorage}
     */
    public Exchanges exchanges() {
        if (exchanges == null) {
            ExchangeStorage.of(storage); // throws, saying why
        }
        return exchanges;
    }

    /**
     * The queues bound to some exchange, for the consumer's start-up checks: empty when the storage
     * holds no exchanges or cannot be read now (a consumer may start before its Redis does).
     */
    Set<String> boundQueues() {
        if (exchanges == null) {
            return Set.of();
        }
        try {
            return exchanges.boundQueues();
        } catch (RuntimeException e) {
            log.debug("bound queues unknown at consumer start: {}", e.toString());
            return Set.of();
        }
    }

    /** Enqueues messages published together, one per queue, in one storage step ({@link ExchangeStorage#publish}). */
    void submitRouted(List<Message> heads) {
        Map<String, Envelope> byQueue = new LinkedHashMap<>();
        for (Message m : heads) {
            byQueue.put(m.queue(), envelope(m));
        }
        for (Message m : heads) {
            signalSubmitted(m);
        }
        try {
            ExchangeStorage.of(storage).publish(byQueue);
        } catch (RuntimeException e) {
            throw new EnqueueException(heads.stream().map(Message::id).toList(), e);
        }
        for (Map.Entry<String, Envelope> e : byQueue.entrySet()) {
            if (e.getValue().eta() != null) {
                scheduledLocally(e.getKey(), e.getValue().eta());
            }
        }
        if (immediate) {
            if (routedQueues.addAll(byQueue.keySet())) {
                immediateConsumer = null; // the next drain serves these queues too
            }
            drain();
        }
    }

    /** Immediate mode: the queues publishes reached, which the inline consumer serves besides the tasks' own. */
    private final java.util.Set<String> routedQueues = java.util.concurrent.ConcurrentHashMap.newKeySet();

    // ---- revocation, locks -----------------------------------------------------------------------------

    void revokeId(String id, Instant until, boolean once) {
        revocations.revoke(Revocations.keyForId(id), new Revocation(until, once));
    }

    Revocations revocations() {
        return revocations;
    }

    /**
     * Revokes every task of a type: workers skip them (REVOKED signal) until {@code until}
     * ({@code null}: until {@link #restore(String)}), or, with {@code once}, the next one only.
     */
    public void revoke(String task, Instant until, boolean once) {
        revocations.revoke(Revocations.keyForTask(taskName(task)), new Revocation(until, once));
    }

    /** Clears the revocation of a task type; true when one was in force. */
    public boolean restore(String task) {
        return revocations.restore(Revocations.keyForTask(taskName(task)));
    }

    /**
     * Takes the named lock for {@code ttl} (or until closed), for use with try-with-resources.
     *
     * @throws TaskLockedException when someone else holds it
     */
    public TaskLock lock(String lockName, Duration ttl) {
        return TaskLock.acquire(storage, lockName, ttl);
    }

    // ---- limits ------------------------------------------------------------------------------------

    /**
     * The rate and concurrency limits this Louie's consumers apply, by task or queue name: those of
     * the {@link Task#rateLimit()} and {@link Task#concurrency()} annotations, changed at runtime
     * here. Immediate mode runs tasks on the caller's thread and applies no limits.
     */
    public Limits limits() {
        return limits;
    }

    // ---- consumer ----------------------------------------------------------------------------------

    /** Starts configuring a consumer that runs this Louie's tasks. */
    public Consumer.Builder consumer() {
        if (immediate) {
            throw new IllegalStateException("immediate mode runs tasks on enqueue; a consumer is not needed (build without immediate(true) to use one)");
        }
        return new Consumer.Builder(this);
    }

    // ---- accessors ---------------------------------------------------------------------------------

    /**
     * Inspection and repair of this application's queues: pending, scheduled and running tasks,
     * dead letters (requeue, delete, purge), task states by id and the consumers' heartbeats. Needs
     * a storage with {@link dev.louie.core.storage.StorageInspection} (memory, SQLite, Redis).
     */
    public Operations operations() {
        return new Operations(this);
    }

    /** The application name. */
    public String name() {
        return name;
    }

    /** The storage this Louie uses. */
    public Storage storage() {
        return storage;
    }

    /** Names of the registered tasks. */
    public Set<String> tasks() {
        return registry.byName().keySet();
    }

    /** The queues the registered tasks use, and the {@link #DEFAULT_QUEUE default queue}, in a stable order. */
    public Set<String> queues() {
        Set<String> queues = new TreeSet<>();
        queues.add(DEFAULT_QUEUE);
        for (TaskDefinition d : registry.byName().values()) {
            if (!d.isUnregistered()) {
                queues.add(d.queue);
            }
        }
        return Collections.unmodifiableSet(queues);
    }

    /** The registered task named {@code name}: its object, method and queue; empty when no such task is registered here. */
    public Optional<RegisteredTask> task(String name) {
        TaskDefinition d = registry.byName().get(name);
        return d == null || d.isUnregistered() ? Optional.empty() : Optional.of(new RegisteredTask(d.name, d.target, d.method, d.queue));
    }

    /** Whether tasks run synchronously on enqueue. */
    public boolean isImmediate() {
        return immediate;
    }

    /** Adds a signal listener. */
    public void addListener(SignalListener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /** Removes a signal listener added before (the first of its registrations); returns whether it was there. */
    public boolean removeListener(SignalListener listener) {
        return listeners.remove(listener);
    }

    Serializer serializer() {
        return serializer;
    }

    Clock clock() {
        return clock;
    }

    ZoneId zone() {
        return zone;
    }

    Duration resultTtl() {
        return resultTtl;
    }

    boolean storeResults() {
        return storeResults;
    }

    boolean storeNulls() {
        return storeNulls;
    }

    TaskRunner runner() {
        return runner;
    }

    Map<String, TaskDefinition> definitions() {
        return registry.byName();
    }

    List<TaskHook> preHooks() {
        return preHooks;
    }

    List<TaskHook> postHooks() {
        return postHooks;
    }

    List<TaskInterceptor> interceptors() {
        return interceptors;
    }

    void requireResults() {
        if (!storeResults) {
            throw new IllegalStateException("this Louie does not store results (storeResults(false)); build it with storeResults(true) to read them");
        }
    }

    ResultWaiter waiter() {
        ResultWaiter w = waiter;
        if (w == null) {
            synchronized (this) {
                if (waiter == null) {
                    waiter = new ResultWaiter(storage);
                }
                w = waiter;
            }
        }
        return w;
    }

    /** The stored result; zero bytes is the "done, no value" marker of {@link Builder#storeNulls(boolean) storeNulls(false)}. */
    Outcome decodeOutcome(byte[] bytes) {
        return bytes.length == 0 ? Outcome.DONE : serializer.decode(bytes, Outcome.class);
    }

    /**
     * The task named {@code task}: the registered one, or, for a producer that does not have the
     * class, an unregistered stand-in (default queue and options unless the call sets them; the
     * consumer checks the arguments).
     */
    TaskDefinition definition(String task) {
        return registry.named(task, immediate);
    }

    private String taskName(String task) {
        if (task == null || task.isBlank()) {
            throw new IllegalArgumentException("the task name must not be blank");
        }
        return task;
    }

    TaskDefinition resolve(TaskRef ref) {
        return registry.resolve(ref);
    }

    void signal(TaskEvent event) {
        for (SignalListener l : listeners) {
            try {
                l.onSignal(event);
            } catch (RuntimeException e) {
                log.warn("signal listener {} failed on {}: {}", l, event.signal(), e.toString());
            }
        }
    }

    /** Closes the result waiter and the storage. */
    @Override
    public void close() {
        ResultWaiter w = waiter;
        if (w != null) {
            w.close();
        }
        storage.close();
    }

    @Override
    public String toString() {
        return "Louie[" + name + ", " + storage + ", " + registry.byName().size() + " tasks]";
    }

    /** Configures a {@link Louie}; {@link #build()} validates every task and fails fast naming the method. */
    public static final class Builder {
        private final String name;
        private Storage storage;
        private Serializer serializer = new JsonSerializer();
        private Clock clock = Clock.systemUTC();
        private ZoneId zone = ZoneOffset.UTC;
        private Duration resultTtl = Duration.ofDays(1);
        private boolean storeResults = true;
        private boolean storeNulls = true;
        private boolean immediate;
        private Duration routingRefresh = Duration.ofSeconds(1);
        private final List<TaskRegistry.Target> targets = new ArrayList<>();
        private final List<SignalListener> listeners = new ArrayList<>();
        private final List<TaskHook> preHooks = new ArrayList<>();
        private final List<TaskHook> postHooks = new ArrayList<>();
        private final List<TaskInterceptor> interceptors = new ArrayList<>();

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("the application name must not be blank");
            }
            this.name = name;
        }

        /** Where messages and results live. Default: a {@link MemoryStorage} (lost when the JVM stops). */
        public Builder storage(Storage value) {
            this.storage = Objects.requireNonNull(value, "storage");
            return this;
        }

        /** How messages and results are encoded. Default: {@link JsonSerializer}. */
        public Builder serializer(Serializer value) {
            this.serializer = Objects.requireNonNull(value, "serializer");
            return this;
        }

        /** Registers the {@link Task} and {@link PeriodicTask} methods of these objects. */
        public Builder register(Object... taskObjects) {
            for (Object o : taskObjects) {
                Objects.requireNonNull(o, "task object");
                targets.add(new TaskRegistry.Target(o.getClass(), o));
            }
            return this;
        }

        /**
         * Registers the {@link Task} and {@link PeriodicTask} methods that {@code type} (and its
         * superclasses) declares, called on {@code target}. For an object of a generated subclass
         * that wraps calls, such as a class-based proxy: its tasks are found on, and named after,
         * the class it extends, and every call still goes through the proxy.
         *
         * @throws IllegalArgumentException when {@code target} is not an instance of {@code type}
         */
        public <T> Builder registerAs(Class<T> type, T target) {
            targets.add(new TaskRegistry.Target(Objects.requireNonNull(type, "type"), Objects.requireNonNull(target, "task object")));
            return this;
        }

        /** Time source (tests inject one). Default: the system UTC clock. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Zone in which cron expressions are evaluated. Default: UTC. */
        public Builder zone(ZoneId value) {
            this.zone = Objects.requireNonNull(value, "zone");
            return this;
        }

        /** How long results are kept; {@code null} keeps them until read with take or deleted. Default: one day. */
        public Builder resultTtl(Duration value) {
            if (value != null && (value.isNegative() || value.isZero())) {
                throw new IllegalArgumentException("resultTtl must be positive or null, not " + value);
            }
            this.resultTtl = value;
            return this;
        }

        /** Whether task results are stored at all. Default: true. Without results, handles cannot be read. */
        public Builder storeResults(boolean value) {
            this.storeResults = value;
            return this;
        }

        /**
         * Whether a {@code null} return value (and void tasks) store an encoded result. Default:
         * true. With false they store a zero-byte "done" marker instead, which costs no encoding
         * and reads as {@code null}: {@link Result#get(Duration)} still returns once the task has
         * run, as for every task that ends.
         */
        public Builder storeNulls(boolean value) {
            this.storeNulls = value;
            return this;
        }

        /**
         * Immediate mode: each enqueue runs the task (and what it enqueues) synchronously on the
         * caller's thread, as in a unit test, against the configured storage (a
         * {@link MemoryStorage} when none is set). Scheduled tasks and delayed retries wait in the
         * schedule and run on a later enqueue once due.
         */
        public Builder immediate(boolean value) {
            this.immediate = value;
            return this;
        }

        /**
         * How stale a producer's copy of the exchanges and bindings may be: it checks the storage
         * for changes at most this often (one small read), and at once before it would report an
         * unknown exchange or an unroutable message. A binding added by another producer or a
         * consumer is used by this one within this time. {@link Duration#ZERO} checks on every
         * publish. Default: 1 second.
         */
        public Builder routingRefresh(Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException("routingRefresh must be zero or positive, not " + value);
            }
            this.routingRefresh = value;
            return this;
        }

        /** Receives every {@link Signal}. */
        public Builder listener(SignalListener value) {
            listeners.add(Objects.requireNonNull(value));
            return this;
        }

        /** Runs before each execution; may throw {@link CancelExecution}. */
        public Builder preExecute(TaskHook hook) {
            preHooks.add(Objects.requireNonNull(hook));
            return this;
        }

        /** Runs after each execution with its outcome. */
        public Builder postExecute(TaskHook hook) {
            postHooks.add(Objects.requireNonNull(hook));
            return this;
        }

        /**
         * Wraps the method call of every task (result caching, tracing); see {@link TaskInterceptor}.
         * The first registered is the outermost.
         */
        public Builder interceptor(TaskInterceptor value) {
            interceptors.add(Objects.requireNonNull(value, "interceptor"));
            return this;
        }

        /**
         * Builds the Louie.
         *
         * @throws TaskDefinitionException naming the method of the first invalid task
         */
        public Louie build() {
            return new Louie(this, TaskRegistry.scan(name, targets, serializer, interceptors));
        }
    }
}
