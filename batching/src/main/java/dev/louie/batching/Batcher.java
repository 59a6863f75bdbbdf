package dev.louie.batching;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns many concurrent single requests into batched calls of one {@link BatchFunction}.
 *
 * <pre>{@code
 * Batcher<float[], Float> batcher = Batcher.builder(model::predictBatch)
 *     .policy(BatchPolicy.aimd(Duration.ofMillis(50)))
 *     .maxQueueSize(10_000)
 *     .concurrency(1)
 *     .build();
 * CompletableFuture<Float> y = batcher.submit(x);
 * }</pre>
 *
 * <p>Requests wait in a bounded queue. The {@link BatchPolicy} says how many rows a batch may
 * hold and how long the oldest request may wait for it to fill; a batch is dispatched when it is
 * full, when that delay expires, or at once when the delay is zero, provided fewer than
 * {@code concurrency} batches are running. Requests whose {@linkplain Builder#batchKey batch keys}
 * differ never share a batch.
 *
 * <p>{@code submit} never blocks and never throws for a well-formed call: every failure arrives
 * through the returned future — {@link BatcherOverloadedException} when the queue is full,
 * {@link DeadlineExceededException} when the deadline passes before dispatch,
 * {@link RejectedExecutionException} after {@link #close()}, the function's exception when it
 * throws, and an {@link IllegalStateException} when it returns the wrong number of outputs.
 * Cancelling a returned future removes its request from the queue.
 *
 * <p>Thread-safe. Futures are completed on the thread that ran the batch; keep dependent stages
 * short or move them to another executor with the {@code *Async} methods. Requests submitted from
 * inside those stages are held until the batch's futures are all completed and then dispatched
 * together, so that closed-loop callers resubmitting on completion do not fragment batches; such a
 * stage must not block on a request it submitted to the same batcher.
 *
 * @param <I> input of one request
 * @param <O> output of one request
 */
public final class Batcher<I, O> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Batcher.class);
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static final int QUEUED = 0;
    private static final int DISPATCHED = 1;
    private static final int REMOVED = 2;

    private final String name;
    private final BatchFunction<I, O> function;
    private final AsyncBatchFunction<I, O> asyncFunction;
    private final BatchPolicy policy;
    private final int maxQueueSize;
    private final int concurrency;
    private final ToIntFunction<? super I> sizeFunction;
    private final Function<? super I, ?> batchKey;
    /** The builder's listener and those added since, chained; null when none. */
    private volatile BatchListener listener;
    private final BatchClock clock;
    private final SystemClock ownedClock;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final boolean rejectQueuedOnClose;

    private final ReentrantLock lock = new ReentrantLock();
    /** How deep the current thread is in completing this batcher's futures; 0 outside. */
    private final ThreadLocal<int[]> completing = ThreadLocal.withInitial(() -> new int[1]);
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    // guarded by lock
    private final Group<I, O> defaultGroup = new Group<>(null);
    private final Map<Object, Group<I, O>> groups;
    private int depth;
    private int inFlight;
    private boolean closed;
    private long timerAt = Long.MAX_VALUE;
    private BatchClock.Cancellable timer;

    private Batcher(Builder<I, O> b) {
        this.name = b.name != null ? b.name : "batcher-" + NAMES.incrementAndGet();
        this.function = b.function;
        this.asyncFunction = b.asyncFunction;
        this.policy = b.policy != null ? b.policy : BatchPolicy.fixed(32, Duration.ofMillis(5));
        this.maxQueueSize = b.maxQueueSize;
        this.concurrency = b.concurrency;
        this.policy.attach(concurrency);
        this.sizeFunction = b.sizeFunction;
        this.batchKey = b.batchKey;
        this.listener = b.listener;
        this.rejectQueuedOnClose = b.rejectQueuedOnClose;
        this.groups = b.batchKey == null ? null : new LinkedHashMap<>();
        if (b.clock != null) {
            this.clock = b.clock;
            this.ownedClock = null;
        } else {
            this.ownedClock = new SystemClock(name);
            this.clock = ownedClock;
        }
        if (b.executor != null || asyncFunction != null) {
            this.executor = b.executor;
            this.ownedExecutor = null;
        } else {
            AtomicInteger threads = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "louie-batcher-" + name + "-worker-" + threads.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            this.ownedExecutor = pool;
            this.executor = pool;
        }
    }

    /**
     * @param function called with each batch
     * @return a builder; defaults: {@code BatchPolicy.fixed(32, 5 ms)}, queue of 10,000,
     *         concurrency 1, one row per request, one batch key for all
     */
    public static <I, O> Builder<I, O> builder(BatchFunction<I, O> function) {
        return new Builder<>(Objects.requireNonNull(function, "function"), null);
    }

    /**
     * A batcher whose function answers through a future; see {@link AsyncBatchFunction} for where
     * it is called. The builder's {@link Builder#executor(Executor) executor} is not used. With a
     * {@linkplain Builder#clock clock} you pass in (such as a virtual one), {@link #close()}
     * does not wait for running batches: their requests complete when the function's futures do.
     *
     * @param function called with each batch
     * @return a builder with the defaults of {@link #builder(BatchFunction)}
     */
    public static <I, O> Builder<I, O> asyncBuilder(AsyncBatchFunction<I, O> function) {
        return new Builder<>(null, Objects.requireNonNull(function, "function"));
    }

    /**
     * Queues one request.
     *
     * @param input the request; not null
     * @return its output, or the reason it failed
     */
    public CompletableFuture<O> submit(I input) {
        return submit(input, Long.MAX_VALUE);
    }

    /**
     * Queues one request that must be dispatched before {@code deadline}, or else fails with
     * {@link DeadlineExceededException} without reaching the function.
     *
     * @param input    the request; not null
     * @param deadline wall-clock time (of the batcher's {@link BatchClock}) by which the
     *                 request must have been dispatched
     * @return its output, or the reason it failed
     */
    public CompletableFuture<O> submit(I input, Instant deadline) {
        Objects.requireNonNull(deadline, "deadline");
        long now = clock.nanoTime();
        long left;
        try {
            left = Duration.between(clock.now(), deadline).toNanos();
        } catch (ArithmeticException e) {
            left = deadline.isBefore(clock.now()) ? -1 : Long.MAX_VALUE / 2;
        }
        long at = left > Long.MAX_VALUE / 2 - now ? Long.MAX_VALUE - 1 : now + left;
        return submit(input, at);
    }

    private CompletableFuture<O> submit(I input, long deadlineNanos) {
        Objects.requireNonNull(input, "input");
        int rows;
        Object key;
        try {
            rows = sizeFunction == null ? 1 : sizeFunction.applyAsInt(input);
            key = batchKey == null ? null : batchKey.apply(input);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (rows < 1) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("size function gave " + rows + " rows; need at least 1"));
        }
        long now = clock.nanoTime();
        Request<I, O> r = new Request<>(this, input, rows, now, deadlineNanos);
        if (deadlineNanos <= now) {
            expire(r, now);
            return r;
        }
        Work<I, O> work;
        RuntimeException rejection = null;
        lock.lock();
        try {
            if (closed) {
                rejection = new RejectedExecutionException("batcher '" + name + "' is closed");
                work = null;
            } else if (depth >= maxQueueSize) {
                rejection = new BatcherOverloadedException(
                        "batcher '" + name + "' is overloaded: " + depth + " requests queued (maxQueueSize " + maxQueueSize + ")");
                work = null;
            } else {
                Group<I, O> g = groupFor(key);
                r.group = g;
                g.queue.add(r);
                g.rows += rows;
                g.live++;
                depth++;
                // inside this batcher's completion step the dispatch waits for the step's end
                work = completing.get()[0] > 0 ? null : collectReady(now);
                if (r.state == QUEUED && deadlineNanos != Long.MAX_VALUE) {
                    r.deadlineTimer = clock.schedule(() -> onDeadline(r), deadlineNanos - now);
                }
            }
        } finally {
            lock.unlock();
        }
        if (rejection != null) {
            if (listener != null && rejection instanceof BatcherOverloadedException) {
                safely(() -> listener.requestRejected(maxQueueSize));
            }
            r.completeExceptionally(rejection);
            return r;
        }
        launch(work);
        return r;
    }

    /** @return requests queued and not yet dispatched */
    public int queueDepth() {
        lock.lock();
        try {
            return depth;
        } finally {
            lock.unlock();
        }
    }

    /** @return batches running now */
    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds a listener to the one given to the builder (a metrics binder attached after the batcher
     * was built, say). It hears about what happens from now on, on the same terms: called on the
     * batcher's threads, outside its lock; an exception it throws is logged and ignored.
     *
     * @param added receives metrics from now on
     */
    public void addListener(BatchListener added) {
        Objects.requireNonNull(added, "listener");
        lock.lock();
        try {
            BatchListener current = listener;
            listener = current == null ? added : new ChainedListener(current, added);
        } finally {
            lock.unlock();
        }
    }

    /** @return the name given to the builder, or a generated one */
    public String name() {
        return name;
    }

    /** @return the current size limit of the policy (rows) */
    public int currentSizeLimit() {
        lock.lock();
        try {
            return policy.maxBatchSize();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops accepting requests, finishes queued work (dispatched without waiting for batches to
     * fill) or, with {@link Builder#rejectQueuedOnClose(boolean)}, fails it with
     * {@link RejectedExecutionException}; waits for running batches, then stops the threads the
     * batcher owns. Do not call it from inside the batch function. Idempotent.
     */
    @Override
    public void close() {
        List<Request<I, O>> rejected = null;
        Work<I, O> work = null;
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                if (rejectQueuedOnClose) {
                    rejected = new ArrayList<>(depth);
                    for (Group<I, O> g : allGroups()) {
                        for (Request<I, O> r : g.queue) {
                            if (r.state == QUEUED) {
                                unqueue(r);
                                rejected.add(r);
                            }
                        }
                        g.queue.clear();
                    }
                    if (groups != null) {
                        groups.clear();
                    }
                } else {
                    work = collectReady(clock.nanoTime());
                }
                checkTerminated();
            }
        } finally {
            lock.unlock();
        }
        if (rejected != null) {
            for (Request<I, O> r : rejected) {
                r.completeExceptionally(new RejectedExecutionException("batcher '" + name + "' closed before dispatch"));
            }
        }
        launch(work);
        if (asyncFunction == null || ownedClock != null) {
            terminated.join();
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
        if (ownedClock != null) {
            ownedClock.shutdown();
        }
    }

    /** Completes when a closed batcher has no queued or running work left. */
    CompletableFuture<Void> terminated() {
        return terminated;
    }

    // ---------------------------------------------------------------- queue (under lock)

    private Group<I, O> groupFor(Object key) {
        if (groups == null) {
            return defaultGroup;
        }
        Group<I, O> g = groups.get(key);
        if (g == null) {
            g = new Group<>(key);
            groups.put(key, g);
        }
        return g;
    }

    private Iterable<Group<I, O>> allGroups() {
        return groups == null ? List.of(defaultGroup) : new ArrayList<>(groups.values());
    }

    private void unqueue(Request<I, O> r) {
        r.state = REMOVED;
        Group<I, O> g = r.group;
        g.rows -= r.rows;
        g.live--;
        depth--;
        if (r.deadlineTimer != null) {
            r.deadlineTimer.cancel();
            r.deadlineTimer = null;
        }
        if (g.live == 0) {
            g.queue.clear();
            if (groups != null) {
                groups.remove(g.key);
            }
        }
    }

    /** Head of the group after dropping requests that are no longer queued, or null. */
    private static <I, O> Request<I, O> head(Group<I, O> g) {
        Request<I, O> r;
        while ((r = g.queue.peek()) != null && r.state != QUEUED) {
            g.queue.poll();
        }
        return r;
    }

    private Work<I, O> collectReady(long now) {
        Work<I, O> work = null;
        while (inFlight < inFlightLimit() && depth > 0) {
            int limit = Math.max(1, policy.maxBatchSize());
            long delay = Math.max(0, policy.maxDelayNanos());
            Group<I, O> best = null;
            DispatchReason bestReason = null;
            long bestAge = Long.MIN_VALUE;
            for (Group<I, O> g : groups == null ? List.of(defaultGroup) : groups.values()) {
                Request<I, O> h = head(g);
                if (h == null) {
                    continue;
                }
                long age = now - h.enqueuedNanos;
                DispatchReason reason = g.rows >= limit ? DispatchReason.FULL
                        : closed ? DispatchReason.CLOSING
                        : delay == 0 ? DispatchReason.NO_DELAY
                        : age >= delay ? DispatchReason.DELAY_EXPIRED
                        : null;
                if (reason != null && age > bestAge) {
                    best = g;
                    bestReason = reason;
                    bestAge = age;
                }
            }
            if (best == null) {
                break;
            }
            if (work == null) {
                work = new Work<>();
            }
            Batch<I, O> b = form(best, now, limit, bestReason, work);
            if (b != null) {
                inFlight++;
                b.inFlightAtDispatch = inFlight;
                b.next = work.batches;
                work.batches = b;
            }
        }
        armTimer(now);
        checkTerminated();
        return work;
    }

    /** Batches that may run at once now: the configured concurrency, or less if the policy says so. */
    private int inFlightLimit() {
        return Math.max(1, Math.min(concurrency, policy.maxInFlight()));
    }

    private Batch<I, O> form(Group<I, O> g, long now, int limit, DispatchReason reason, Work<I, O> work) {
        List<Request<I, O>> reqs = new ArrayList<>(Math.min(limit, g.live));
        int rows = 0;
        Request<I, O> r;
        while ((r = g.queue.peek()) != null) {
            if (r.state != QUEUED) {
                g.queue.poll();
                continue;
            }
            if (r.isDone() || r.deadlineNanos <= now) {
                g.queue.poll();
                unqueue(r);
                if (!r.isDone()) {
                    if (work.expired == null) {
                        work.expired = new ArrayList<>();
                    }
                    work.expired.add(r);
                }
                continue;
            }
            if (rows > 0 && rows + r.rows > limit) {
                break;
            }
            g.queue.poll();
            r.state = DISPATCHED;
            if (r.deadlineTimer != null) {
                r.deadlineTimer.cancel();
                r.deadlineTimer = null;
            }
            g.rows -= r.rows;
            g.live--;
            depth--;
            rows += r.rows;
            reqs.add(r);
            if (rows >= limit) {
                break;
            }
        }
        if (g.live == 0 && groups != null && g.queue.isEmpty()) {
            groups.remove(g.key);
        }
        if (reqs.isEmpty()) {
            return null;
        }
        return new Batch<>(this, reqs, rows, limit, reason, now - reqs.get(0).enqueuedNanos, depth);
    }

    private void armTimer(long now) {
        if (inFlight >= inFlightLimit() || depth == 0 || closed) {
            return;
        }
        long delay = Math.max(0, policy.maxDelayNanos());
        long earliest = Long.MAX_VALUE;
        for (Group<I, O> g : groups == null ? List.of(defaultGroup) : groups.values()) {
            Request<I, O> h = head(g);
            if (h != null) {
                earliest = Math.min(earliest, h.enqueuedNanos + delay);
            }
        }
        if (earliest == Long.MAX_VALUE || earliest >= timerAt) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        long at = Math.max(earliest, now);
        timerAt = at;
        timer = clock.schedule(() -> onTimer(at), at - now);
    }

    private void onTimer(long at) {
        Work<I, O> work;
        lock.lock();
        try {
            if (timerAt == at) {
                timerAt = Long.MAX_VALUE;
                timer = null;
            }
            work = collectReady(clock.nanoTime());
        } finally {
            lock.unlock();
        }
        launch(work);
    }

    private void checkTerminated() {
        if (closed && depth == 0 && inFlight == 0 && !terminated.isDone()) {
            terminated.complete(null);
        }
    }

    private void remove(Request<I, O> r) {
        lock.lock();
        try {
            if (r.state == QUEUED) {
                unqueue(r);
                checkTerminated();
            }
        } finally {
            lock.unlock();
        }
    }

    private void onDeadline(Request<I, O> r) {
        boolean expired = false;
        lock.lock();
        try {
            if (r.state == QUEUED) {
                r.deadlineTimer = null;
                unqueue(r);
                expired = true;
                checkTerminated();
            }
        } finally {
            lock.unlock();
        }
        if (expired) {
            expire(r, clock.nanoTime());
        }
    }

    private void expire(Request<I, O> r, long now) {
        if (r.completeExceptionally(new DeadlineExceededException("batcher '" + name + "': deadline passed "
                + Duration.ofNanos(Math.max(0, now - r.deadlineNanos)) + " before dispatch"))
                && listener != null) {
            safely(listener::requestExpired);
        }
    }

    // ---------------------------------------------------------------- running batches

    private void launch(Work<I, O> work) {
        if (work == null) {
            return;
        }
        if (work.expired != null) {
            long now = clock.nanoTime();
            for (Request<I, O> r : work.expired) {
                expire(r, now);
            }
        }
        for (Batch<I, O> b = work.batches; b != null; ) {
            Batch<I, O> next = b.next;
            b.next = null;
            run(b);
            b = next;
        }
    }

    private void run(Batch<I, O> b) {
        if (asyncFunction != null) {
            b.startNanos = clock.nanoTime();
            CompletableFuture<List<O>> f;
            try {
                f = asyncFunction.apply(b.inputs());
            } catch (Throwable t) {
                finish(b, null, t);
                return;
            }
            f.whenComplete((out, err) -> finish(b, out, err));
            return;
        }
        try {
            executor.execute(b);
        } catch (RejectedExecutionException e) {
            b.startNanos = clock.nanoTime();
            finish(b, null, e);
        }
    }

    void execute(Batch<I, O> b) {
        b.startNanos = clock.nanoTime();
        List<O> out = null;
        Throwable err = null;
        try {
            out = function.apply(b.inputs());
        } catch (Throwable t) {
            err = t;
        }
        finish(b, out, err);
    }

    private void finish(Batch<I, O> b, List<O> out, Throwable err) {
        long end = clock.nanoTime();
        long exec = end - b.startNanos;
        List<Request<I, O>> reqs = b.requests;
        int n = reqs.size();
        if (err instanceof CompletionException || err instanceof ExecutionException) {
            err = err.getCause() != null ? err.getCause() : err;
        }
        if (err == null && (out == null || out.size() != n)) {
            err = new IllegalStateException("batch function of batcher '" + name + "' returned "
                    + (out == null ? "null" : out.size() + " outputs") + " for " + n + " inputs");
        }
        boolean failed = err != null;
        // Requests submitted from inside the completions (closed-loop callers resubmitting) are
        // held until the step ends and then dispatched together with what is queued: a slot that
        // is free meanwhile would otherwise take a batch of the first one or two alone.
        int[] depthHere = completing.get();
        depthHere[0]++;
        try {
            if (failed) {
                for (int i = 0; i < n; i++) {
                    reqs.get(i).completeExceptionally(err);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    reqs.get(i).complete(out.get(i));
                }
            }
            if (listener != null) {
                for (int i = 0; i < n; i++) {
                    long lat = end - reqs.get(i).enqueuedNanos;
                    safely(() -> listener.requestCompleted(lat, !failed));
                }
                BatchEvent e = new BatchEvent(name, n, b.rows, b.sizeLimit, b.reason, b.oldestWaitNanos, exec,
                        b.depthAfter, failed);
                safely(() -> listener.batchCompleted(e));
            }
        } finally {
            depthHere[0]--;
            Work<I, O> work = null;
            lock.lock();
            try {
                inFlight--;
                try {
                    policy.onBatchCompleted(new BatchPolicy.Observation(b.rows, b.sizeLimit, b.oldestWaitNanos, exec,
                            failed, end, b.inFlightAtDispatch, b.depthAfter));
                } catch (RuntimeException e) {
                    log.warn("batch policy {} of batcher '{}' failed", policy, name, e);
                }
                if (depthHere[0] == 0) {
                    work = collectReady(clock.nanoTime());
                } else {
                    checkTerminated(); // an enclosing completion step dispatches when it ends
                }
            } finally {
                lock.unlock();
            }
            launch(work);
        }
    }

    private void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("batch listener of batcher '{}' failed", name, e);
        }
    }

    @Override
    public String toString() {
        return "Batcher[" + name + ", " + policy + "]";
    }

    // ---------------------------------------------------------------- internals

    private static final class Group<I, O> {
        final Object key;
        final ArrayDeque<Request<I, O>> queue = new ArrayDeque<>();
        int rows;
        int live;

        Group(Object key) {
            this.key = key;
        }
    }

    private static final class Work<I, O> {
        Batch<I, O> batches;
        List<Request<I, O>> expired;
    }

    static final class Batch<I, O> implements Runnable {
        final Batcher<I, O> owner;
        final List<Request<I, O>> requests;
        final int rows;
        final int sizeLimit;
        final DispatchReason reason;
        final long oldestWaitNanos;
        final int depthAfter;
        long startNanos;
        int inFlightAtDispatch = 1;
        Batch<I, O> next;

        Batch(Batcher<I, O> owner, List<Request<I, O>> requests, int rows, int sizeLimit, DispatchReason reason,
              long oldestWaitNanos, int depthAfter) {
            this.owner = owner;
            this.requests = requests;
            this.rows = rows;
            this.sizeLimit = sizeLimit;
            this.reason = reason;
            this.oldestWaitNanos = oldestWaitNanos;
            this.depthAfter = depthAfter;
        }

        List<I> inputs() {
            List<I> in = new ArrayList<>(requests.size());
            for (Request<I, O> r : requests) {
                in.add(r.input);
            }
            return in;
        }

        @Override
        public void run() {
            owner.execute(this);
        }
    }

    /** The future handed to the caller; it is also the queue entry. */
    static final class Request<I, O> extends CompletableFuture<O> {
        final Batcher<I, O> owner;
        final I input;
        final int rows;
        final long enqueuedNanos;
        final long deadlineNanos;
        // guarded by owner.lock
        Group<I, O> group;
        int state = QUEUED;
        BatchClock.Cancellable deadlineTimer;

        Request(Batcher<I, O> owner, I input, int rows, long enqueuedNanos, long deadlineNanos) {
            this.owner = owner;
            this.input = input;
            this.rows = rows;
            this.enqueuedNanos = enqueuedNanos;
            this.deadlineNanos = deadlineNanos;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled && group != null) {
                owner.remove(this);
            }
            return cancelled;
        }
    }

    /**
     * Configures a {@link Batcher}. Every setter validates its argument at once.
     *
     * @param <I> input of one request
     * @param <O> output of one request
     */
    public static final class Builder<I, O> {
        private final BatchFunction<I, O> function;
        private final AsyncBatchFunction<I, O> asyncFunction;
        private BatchPolicy policy;
        private int maxQueueSize = 10_000;
        private int concurrency = 1;
        private ToIntFunction<? super I> sizeFunction;
        private Function<? super I, ?> batchKey;
        private BatchListener listener;
        private BatchClock clock;
        private Executor executor;
        private String name;
        private boolean rejectQueuedOnClose;

        private Builder(BatchFunction<I, O> function, AsyncBatchFunction<I, O> asyncFunction) {
            this.function = function;
            this.asyncFunction = asyncFunction;
        }

        /** @param policy decides batch size and wait; one instance per batcher (default fixed(32, 5 ms)) */
        public Builder<I, O> policy(BatchPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** @param max requests that may wait; beyond it submit fails with {@link BatcherOverloadedException} */
        public Builder<I, O> maxQueueSize(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxQueueSize must be at least 1, was " + max);
            }
            this.maxQueueSize = max;
            return this;
        }

        /** @param n batches that may run at once, e.g. model instances or GPU streams (default 1) */
        public Builder<I, O> concurrency(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, was " + n);
            }
            this.concurrency = n;
            return this;
        }

        /**
         * @param rows rows one request carries; batch sizes are counted in rows (default 1 per
         *             request). A request larger than the limit runs alone.
         */
        public Builder<I, O> sizeFunction(ToIntFunction<? super I> rows) {
            this.sizeFunction = Objects.requireNonNull(rows, "rows");
            return this;
        }

        /**
         * @param key requests whose keys are not {@code equals} never share a batch (for example
         *            tensors of different shapes); default: one key for all
         */
        public Builder<I, O> batchKey(Function<? super I, ?> key) {
            this.batchKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /** @param listener receives metrics; see {@link BatcherStats} */
        public Builder<I, O> listener(BatchListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @param clock time and timers; e.g. {@link dev.louie.batching.simulation.VirtualTime} in
         *              tests (default: real time)
         */
        public Builder<I, O> clock(BatchClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param executor runs batches; must be able to run {@code concurrency} tasks at once, and
         *                 is not shut down by {@link #close()} (default: an owned pool of
         *                 {@code concurrency} daemon threads). {@code Runnable::run} runs batches
         *                 on the dispatching thread, handy in tests.
         */
        public Builder<I, O> executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** @param name used in thread names, log lines, metrics and exception messages */
        public Builder<I, O> name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** @param reject whether {@link #close()} fails queued requests instead of running them (default false) */
        public Builder<I, O> rejectQueuedOnClose(boolean reject) {
            this.rejectQueuedOnClose = reject;
            return this;
        }

        /** @return a running batcher */
        public Batcher<I, O> build() {
            return new Batcher<>(this);
        }
    }
}
