package dev.louie.core;

import dev.louie.core.storage.Completion;
import dev.louie.core.storage.Lease;
import dev.louie.core.storage.Storage;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks: worker threads take leased messages from the storage and execute them; a scheduler
 * thread promotes due scheduled tasks, enqueues periodic tasks, extends the leases of running
 * tasks and replaces dead workers.
 *
 * <pre>{@code
 * try (Consumer consumer = louie.consumer().workers(4).start()) {
 *     ...   // tasks run until close()
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops taking work, lets running tasks finish within the grace period,
 * then interrupts them and returns their messages to the queue: nothing is lost. A consumer that
 * dies without closing loses nothing either: its leases expire and other consumers run the
 * messages again. Started from the command line by {@link ConsumerMain}.
 */
public final class Consumer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Consumer.class);
    /** Taken but not started messages go back to the queue once the task before them has run this long. */
    private static final long PREFETCH_HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Batches grow while their tasks take less than this each. */
    private static final long FAST_TASK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final Louie louie;
    private final Storage storage;
    private final Builder config;
    private final List<String> queues;
    private final String id = Ids.next().substring(0, 12);
    private final ThreadFactory threads;
    private final Worker[] workers;
    private final ScheduledExecutorService scheduler;
    private final Completer completer;
    private final Map<String, Lease> held = new ConcurrentHashMap<>();
    private final AtomicInteger workerSeq = new AtomicInteger();
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder replaced = new LongAdder();
    private final LongAdder abandoned = new LongAdder();
    /** Leases whose extension failed once: lost if still held at the next round (see {@link #extendLeases}). */
    private final Map<String, Lease> extensionFailed = new ConcurrentHashMap<>();
    /** Due times (ms, per queue) for which a promotion is scheduled: wake-ups for etas known in this JVM. */
    private final Set<String> wakeUps = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private volatile boolean stopped;
    private ZonedDateTime lastMinute;

    private Consumer(Builder b) {
        this.louie = b.louie;
        this.storage = louie.storage();
        this.config = b;
        Set<String> q = new LinkedHashSet<>(b.queues);
        if (q.isEmpty()) {
            q.add(Louie.DEFAULT_QUEUE);
            for (TaskDefinition d : louie.definitions().values()) {
                q.add(d.queue);
            }
        }
        this.queues = List.copyOf(q);
        this.threads = b.threadFactory != null ? b.threadFactory : platformThreads();
        this.workers = new Worker[b.workers];
        this.completer = b.batchCompletions ? new Completer() : null;
        this.scheduler = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "louie-scheduler");
            t.setDaemon(true);
            return t;
        });
    }

    private static ThreadFactory platformThreads() {
        return r -> {
            Thread t = new Thread(r);
            t.setDaemon(false);
            return t;
        };
    }

    private Consumer start() {
        logConfiguration();
        warnAboutUnusedQueues();
        louie.consumerStarted(this);
        if (completer != null) {
            completer.start();
        }
        for (int i = 0; i < workers.length; i++) {
            workers[i] = newWorker(i);
        }
        long tick = config.schedulerInterval.toMillis();
        scheduler.scheduleWithFixedDelay(this::tick, 0, tick, TimeUnit.MILLISECONDS);
        long keep = Math.max(10, config.leaseTime.toMillis() / 3);
        scheduler.scheduleWithFixedDelay(this::extendLeases, keep, keep, TimeUnit.MILLISECONDS);
        if (config.prefetch > 1) {
            long hold = TimeUnit.NANOSECONDS.toMillis(PREFETCH_HOLD_NANOS) / 2;
            scheduler.scheduleWithFixedDelay(this::returnHeldBack, hold, hold, TimeUnit.MILLISECONDS);
        }
        long health = config.healthCheckInterval.toMillis();
        scheduler.scheduleWithFixedDelay(this::checkHealth, health, health, TimeUnit.MILLISECONDS);
        return this;
    }

    private void logConfiguration() {
        int cores = Runtime.getRuntime().availableProcessors();
        log.info("consumer {} starting for {} on {}: workers={} ({} threads), queues={}, periodic={}, schedulerInterval={}, "
                        + "healthCheckInterval={}, leaseTime={}, maxDeliveries={}, prefetch={}, maxTasksPerWorker={}, "
                        + "gracePeriod={}, batchCompletions={}, timeoutGrace={}, unknownTaskGrace={}, tasks={}",
                id, louie.name(), storage, workers.length, config.virtual ? "virtual" : "platform", queues, config.periodic,
                config.schedulerInterval, config.healthCheckInterval, config.leaseTime, config.maxDeliveries,
                config.prefetch, config.maxTasksPerWorker == 0 ? "unlimited" : config.maxTasksPerWorker,
                config.gracePeriod, config.batchCompletions, config.timeoutGrace, config.unknownTaskGrace, louie.tasks());
        if (!config.virtual && workers.length > 2 * cores + 1) {
            log.warn("{} workers exceed 2 x {} cores + 1: CPU-bound tasks will only contend; fewer workers give the same throughput",
                    workers.length, cores);
        }
        if (config.modelSizeBytes > 0) {
            long need = config.modelSizeBytes * workers.length;
            long max = Runtime.getRuntime().maxMemory();
            if (need > max) {
                log.warn("model size {} MiB x {} workers = {} MiB exceeds the JVM's maximum heap of {} MiB; "
                                + "share one model between workers or raise -Xmx",
                        config.modelSizeBytes >> 20, workers.length, need >> 20, max >> 20);
            }
        }
    }

    /** A queue no registered task uses is often a typo ({@code --queues defualt}): say so at start. */
    private void warnAboutUnusedQueues() {
        Set<String> used = new LinkedHashSet<>();
        for (TaskDefinition d : louie.definitions().values()) {
            used.add(d.queue);
        }
        for (String q : queues) {
            if (!used.contains(q) && !(q.equals(Louie.DEFAULT_QUEUE) && used.isEmpty())) {
                log.warn("consumer {} serves queue '{}', which no registered task uses; the registered tasks use {}"
                        + " (tasks enqueued by name with TaskCall.queue can still arrive there)", id, q, used);
            }
        }
    }

    private Worker newWorker(int slot) {
        Worker w = new Worker(slot);
        Thread t = threads.newThread(w);
        t.setName("louie-worker-" + workerSeq.incrementAndGet());
        t.setUncaughtExceptionHandler((thread, e) -> log.error("worker {} died: {}; the health check replaces it",
                thread.getName(), e.toString(), e));
        w.thread = t;
        t.start();
        return w;
    }

    // ---- worker ---------------------------------------------------------------------------------

    private final class Worker implements Runnable, TaskRunner.Watch {
        final int slot;
        volatile Thread thread;
        volatile boolean finished;
        int ran;
        /** Taken, not yet started messages of the current batch; the scheduler hands them back when a task runs long. */
        final java.util.concurrent.ConcurrentLinkedQueue<Lease> waiting = new java.util.concurrent.ConcurrentLinkedQueue<>();
        volatile long taskStarted;
        volatile boolean cut;
        /** Set when its thread was given up after a task ignored its timeout: the loop ends when (if) the task returns. */
        volatile boolean abandoned;
        private final Map<Execution, List<ScheduledFuture<?>>> watched = new ConcurrentHashMap<>();

        Worker(int slot) {
            this.slot = slot;
        }

        @Override
        public void run() {
            if (config.onWorkerStart != null) {
                config.onWorkerStart.run();
            }
            try {
                loop();
            } finally {
                finished = true;
                if (config.onWorkerStop != null) {
                    try {
                        config.onWorkerStop.run();
                    } catch (RuntimeException e) {
                        log.warn("worker shutdown hook failed: {}", e.toString());
                    }
                }
            }
        }

        private void loop() {
            long idle = 1;
            long backoff = 0;
            int next = slot;
            int take = 1;
            while (!stopping && !abandoned && (config.maxTasksPerWorker == 0 || ran < config.maxTasksPerWorker)) {
                List<Lease> leases;
                String queue = queues.get(Math.floorMod(next++, queues.size()));
                try {
                    int max = config.maxTasksPerWorker == 0 ? take : Math.min(take, config.maxTasksPerWorker - ran);
                    // the runner enforces maxDeliveries, so that a dead-lettered message leaves a result
                    leases = storage.dequeue(queue, max, config.leaseTime, Integer.MAX_VALUE);
                    backoff = 0;
                } catch (RuntimeException e) {
                    backoff = backoff == 0 ? 100 : Math.min(backoff * 2, 5_000);
                    log.warn("cannot take work from queue {} ({}); retrying in {} ms", queue, e.toString(), backoff);
                    if (!pause(backoff)) {
                        return;
                    }
                    continue;
                }
                if (leases.isEmpty()) {
                    if (next % queues.size() != slot % queues.size()) {
                        continue;
                    }
                    try {
                        storage.awaitMessages(queue, Duration.ofMillis(Math.min(idle, config.pollInterval.toMillis())));
                    } catch (InterruptedException e) {
                        if (stopping) {
                            return;
                        }
                    } catch (RuntimeException e) {
                        pause(100);
                    }
                    idle = Math.min(idle * 2, Math.max(1, config.pollInterval.toMillis()));
                    continue;
                }
                idle = 1;
                for (Lease lease : leases) {
                    held.put(lease.token(), lease);
                }
                long started = System.nanoTime();
                cut = false;
                taskStarted = started;
                waiting.addAll(leases);
                Lease lease;
                while ((lease = waiting.poll()) != null) {
                    TaskRunner.Status status = null;
                    taskStarted = System.nanoTime();
                    try {
                        if (stopping) {
                            storage.release(lease);
                            continue;
                        }
                        status = louie.runner().execute(lease, this);
                        if (status == TaskRunner.Status.ABANDONED) {
                            return;
                        }
                        count(status);
                        ran++;
                    } catch (RuntimeException e) {
                        giveBack(lease, e);
                    } finally {
                        if (status != TaskRunner.Status.DEFERRED) {
                            held.remove(lease.token());
                        }
                    }
                }
                take = nextTake(take, leases.size(), cut, System.nanoTime() - started);
            }
        }

        /**
         * A storage error while the message was handled (a revocation check during a Redis
         * restart, say): the message goes back to the queue at once, retried with a backoff while
         * its lease lasts, instead of waiting a whole lease time to be delivered again.
         */
        private void giveBack(Lease lease, RuntimeException error) {
            long pause = 100;
            while (true) {
                try {
                    storage.release(lease);
                    log.warn("worker failed on message {} ({}); it went back to the queue", lease.id(), error.toString(), error);
                    return;
                } catch (RuntimeException again) {
                    Lease current = held.getOrDefault(lease.token(), lease);
                    if (stopping || current.deadline() == null
                            || louie.clock().instant().plusMillis(pause).isAfter(current.deadline()) || !pause(pause)) {
                        log.error("worker failed on message {} ({}) and cannot return it to the queue ({}); "
                                + "it is delivered again when its lease expires", lease.id(), error.toString(), again.toString(), error);
                        return;
                    }
                    pause = Math.min(pause * 2, 2_000);
                }
            }
        }

        /**
         * Adaptive prefetch: short tasks double the number of messages taken per storage call, up to
         * {@code prefetch}; slow ones (or a batch that had to be cut) halve it, down to one.
         */
        private int nextTake(int take, int got, boolean cut, long elapsedNanos) {
            if (cut || elapsedNanos > FAST_TASK_NANOS * got) {
                return Math.max(1, take / 2);
            }
            return got == take ? Math.min(config.prefetch, take * 2) : take;
        }

        @Override
        public void started(Execution run) {
            if (run.deadline == null) {
                return;
            }
            long delay = Math.max(0, Duration.between(louie.clock().instant(), run.deadline).toNanos());
            ScheduledFuture<?> interrupt = scheduler.schedule(run::interruptAtTimeout, delay, TimeUnit.NANOSECONDS);
            ScheduledFuture<?> abandon = scheduler.schedule(() -> abandonIfStuck(this, run),
                    delay + config.timeoutGrace.toNanos(), TimeUnit.NANOSECONDS);
            watched.put(run, List.of(interrupt, abandon));
        }

        @Override
        public void finished(Execution run) {
            List<ScheduledFuture<?>> timers = watched.remove(run);
            if (timers != null) {
                for (ScheduledFuture<?> f : timers) {
                    f.cancel(false);
                }
            }
        }

        @Override
        public int maxDeliveries() {
            return config.maxDeliveries;
        }

        @Override
        public Duration unknownTaskGrace() {
            return config.unknownTaskGrace;
        }

        @Override
        public boolean stopping() {
            return stopping;
        }

        @Override
        public boolean defer(Completion completion) {
            return completer != null && completer.offer(completion);
        }
    }

    /**
     * Stores the results of finished tasks in batches ({@link Storage#completeAll}): while one
     * batch is written, the next accumulates, so many short tasks share one transaction or one
     * round trip, and a result waits at most for the write before it. A lease stays held (and
     * extended) until its completion is stored; if the consumer dies first, the lease expires and
     * the task runs again, as for any crash.
     */
    private final class Completer implements Runnable {
        private static final int MAX_BATCH = 256;
        private static final int MAX_PENDING = 4096;
        private final BlockingQueue<Completion> pending = new LinkedBlockingQueue<>();
        private volatile boolean closing;
        private volatile Thread thread;

        void start() {
            Thread t = new Thread(this, "louie-completer");
            t.setDaemon(true);
            thread = t;
            t.start();
        }

        /** Takes a completion, unless closing or too far behind (the worker then completes it itself). */
        boolean offer(Completion completion) {
            if (closing || pending.size() >= MAX_PENDING) {
                return false;
            }
            pending.add(completion);
            return true;
        }

        @Override
        public void run() {
            List<Completion> batch = new ArrayList<>(MAX_BATCH);
            while (true) {
                try {
                    Completion first = pending.poll(50, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        if (closing && pending.isEmpty()) {
                            return;
                        }
                        continue;
                    }
                    batch.add(first);
                    pending.drainTo(batch, MAX_BATCH - 1);
                    store(batch);
                    batch.clear();
                } catch (InterruptedException e) {
                    if (closing && pending.isEmpty() && batch.isEmpty()) {
                        return;
                    }
                } catch (RuntimeException | Error e) {
                    log.error("storing completed tasks failed: {}; their leases will expire and they will run again", e.toString(), e);
                    batch.clear();
                }
            }
        }

        private void store(List<Completion> batch) throws InterruptedException {
            long backoff = 0;
            while (true) {
                try {
                    boolean[] done = storage.completeAll(batch);
                    for (int i = 0; i < done.length; i++) {
                        Lease lease = batch.get(i).lease();
                        held.remove(lease.token());
                        completed.increment();
                        if (!done[i]) {
                            log.warn("task [{}] finished after its lease was lost; another delivery may run it again", lease.id());
                        }
                    }
                    return;
                } catch (RuntimeException e) {
                    if (closing && backoff >= 1_000) {
                        throw e;
                    }
                    backoff = backoff == 0 ? 100 : Math.min(backoff * 2, 5_000);
                    log.warn("cannot store {} completed tasks ({}); retrying in {} ms", batch.size(), e.toString(), backoff);
                    Thread.sleep(backoff);
                }
            }
        }

        /** Stores what is pending and ends the thread; waits up to {@code millis}. */
        void close(long millis) {
            closing = true;
            Thread t = thread;
            if (t == null) {
                return;
            }
            try {
                t.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return !stopping;
        }
    }

    private void count(TaskRunner.Status status) {
        switch (status) {
            case COMPLETED, LOST_LEASE -> completed.increment();
            case FAILED -> failed.increment();
            case RETRIED -> retried.increment();
            case SKIPPED, RELEASED, LEFT_FOR_OTHERS -> skipped.increment();
            case DEAD_LETTERED -> deadLettered.increment();
            default -> { }
        }
    }

    // ---- scheduler --------------------------------------------------------------------------------

    private void tick() {
        try {
            Instant now = louie.clock().instant();
            for (String q : queues) {
                storage.promoteDue(q, now);
            }
            if (config.periodic) {
                enqueuePeriodic(now);
            }
        } catch (RuntimeException e) {
            log.warn("scheduler tick failed ({}); will retry", e.toString());
        }
    }

    private synchronized void enqueuePeriodic(Instant now) {
        ZonedDateTime minute = now.atZone(louie.zone()).truncatedTo(ChronoUnit.MINUTES);
        if (lastMinute == null) {
            lastMinute = minute.minusMinutes(1);
        }
        if (!minute.isAfter(lastMinute)) {
            return;
        }
        ZonedDateTime from = lastMinute.plusMinutes(1);
        if (from.isBefore(minute.minusMinutes(60))) {
            from = minute.minusMinutes(60);
        }
        for (ZonedDateTime m = from; !m.isAfter(minute); m = m.plusMinutes(1)) {
            for (TaskDefinition d : louie.definitions().values()) {
                if (d.isPeriodic() && queues.contains(d.queue) && d.matches(m)) {
                    String key = "periodic:" + d.name + ":" + m.toEpochSecond();
                    if (storage.acquireLock(key, Ids.next(), Duration.ofMinutes(10))) {
                        new TaskCall<>(louie, d, new Object[0], null).enqueue();
                        log.debug("enqueued periodic task {} for {}", d.name, m);
                    }
                }
            }
        }
        lastMinute = minute;
    }

    /**
     * A task that ignored its interrupt for the grace period after its timeout: Java cannot kill
     * its thread, so the consumer records the timeout (signal, retry or failure, ack), stops
     * extending its lease, returns the worker's other taken messages to the queue and starts a new
     * worker in its place. The stuck thread is left to end by itself; what it returns is dropped.
     */
    private void abandonIfStuck(Worker w, Execution run) {
        if (!run.abandon()) {
            return;
        }
        w.abandoned = true;
        w.watched.remove(run);
        abandoned.increment();
        log.error("task {} [{}] ignored its interrupt for {} after its timeout of {}: its thread {} is abandoned "
                        + "(Java cannot kill a thread) and a new worker takes its place; {} thread(s) abandoned so far. "
                        + "Make the task check TaskContext.checkTimeout() or respond to interrupts.",
                run.message.task(), run.message.id(), config.timeoutGrace, run.definition.timeout, run.thread.getName(),
                abandoned.sum());
        try {
            count(louie.runner().timedOut(run, run.elapsed()));
        } catch (RuntimeException e) {
            log.error("cannot record the timeout of task [{}] ({}); it is delivered again when its lease expires",
                    run.message.id(), e.toString());
        } finally {
            held.remove(run.lease.token());
        }
        Lease lease;
        while ((lease = w.waiting.poll()) != null) {
            try {
                storage.release(lease);
            } catch (RuntimeException e) {
                log.warn("cannot return message {} to the queue ({}); it runs when its lease expires", lease.id(), e.toString());
            }
            held.remove(lease.token());
        }
        synchronized (workers) {
            if (!stopping && workers[w.slot] == w) {
                replaced.increment();
                workers[w.slot] = newWorker(w.slot);
            }
        }
    }

    /**
     * Promotes the due messages of {@code queue} at {@code eta}: retries and schedules submitted in
     * this JVM run on time rather than at the next scheduler tick. Bounded: past 10,000 pending
     * wake-ups the tick alone serves.
     */
    void wakeAt(String queue, Instant eta) {
        if (stopping || !queues.contains(queue)) {
            return;
        }
        long delay = eta.toEpochMilli() - louie.clock().millis();
        if (delay <= 0 || delay >= config.schedulerInterval.toMillis() * 60 || wakeUps.size() >= 10_000) {
            return;
        }
        String key = queue + "@" + eta.toEpochMilli();
        if (!wakeUps.add(key)) {
            return;
        }
        try {
            scheduler.schedule(() -> {
                wakeUps.remove(key);
                try {
                    storage.promoteDue(queue, louie.clock().instant());
                } catch (RuntimeException e) {
                    log.debug("promotion of queue {} failed ({}); the next tick retries", queue, e.toString());
                }
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            wakeUps.remove(key);
        }
    }

    /** Gives back the waiting messages of workers whose current task has run past the hold time. */
    private void returnHeldBack() {
        long now = System.nanoTime();
        for (Worker w : workers) {
            if (w == null || w.waiting.isEmpty() || now - w.taskStarted < PREFETCH_HOLD_NANOS) {
                continue;
            }
            Lease lease;
            while ((lease = w.waiting.poll()) != null) {
                w.cut = true;
                try {
                    storage.release(lease);
                } catch (RuntimeException e) {
                    log.warn("cannot return message {} to the queue ({}); it runs when its lease expires", lease.id(), e.toString());
                }
                held.remove(lease.token());
            }
        }
    }

    /**
     * Extends every held lease. A failed extension is only reported as a loss when the lease is
     * still held one round later: a lease that a worker or the completer ended in the meantime
     * (the usual case) was not lost.
     */
    void extendLeases() {
        extensionFailed.keySet().retainAll(held.keySet());
        for (Lease lease : held.values()) {
            try {
                Optional<Lease> fresh = storage.extend(lease, config.leaseTime);
                if (fresh.isPresent()) {
                    held.replace(lease.token(), lease, fresh.get());
                    extensionFailed.remove(lease.token());
                } else if (extensionFailed.putIfAbsent(lease.token(), lease) != null && held.containsKey(lease.token())) {
                    log.warn("lease of message {} was lost before it could be extended; another consumer may run it too", lease.id());
                    held.remove(lease.token());
                    extensionFailed.remove(lease.token());
                }
            } catch (RuntimeException e) {
                log.warn("cannot extend lease of message {}: {}", lease.id(), e.toString());
            }
        }
    }

    private void checkHealth() {
        if (stopping) {
            return;
        }
        synchronized (workers) {
            for (int i = 0; i < workers.length; i++) {
                Worker w = workers[i];
                if (w != null && (w.finished || !w.thread.isAlive()) && !stopping) {
                    if (config.maxTasksPerWorker == 0 || w.ran < config.maxTasksPerWorker) {
                        log.warn("worker {} died; starting a new one", w.thread.getName());
                    } else {
                        log.debug("worker {} ran its {} tasks; starting a new one", w.thread.getName(), w.ran);
                    }
                    replaced.increment();
                    workers[i] = newWorker(i);
                }
            }
        }
    }

    // ---- lifecycle -----------------------------------------------------------------------------------

    /** Runs the periodic check, promotion and health check once now (tests; the scheduler does it on its own). */
    public void runSchedulerOnce() {
        tick();
        checkHealth();
    }

    /** Whether the consumer is running (started and not stopped). */
    public boolean isRunning() {
        return !stopping;
    }

    /** Number of worker threads alive. */
    public int aliveWorkers() {
        int alive = 0;
        for (Worker w : workers) {
            if (w != null && w.thread.isAlive() && !w.finished) {
                alive++;
            }
        }
        return alive;
    }

    /** Counts since start. */
    public Stats stats() {
        return new Stats(completed.sum(), failed.sum(), retried.sum(), skipped.sum(), deadLettered.sum(), replaced.sum(),
                abandoned.sum());
    }

    /**
     * Counts of what the workers did since start.
     *
     * @param completed       tasks that returned
     * @param failed          tasks that failed for good
     * @param retried         failed executions scheduled to run again
     * @param skipped         revoked, expired, canceled, released at shutdown, or left for a consumer that knows the task
     * @param deadLettered    messages that could not be decoded or run
     * @param workersReplaced workers replaced after dying, reaching their task limit or being abandoned
     * @param threadsAbandoned worker threads given up because a task ignored its timeout (they may still be running)
     */
    public record Stats(long completed, long failed, long retried, long skipped, long deadLettered, long workersReplaced,
                        long threadsAbandoned) {
    }

    /** Stops with the configured grace period; see {@link #stop(Duration)}. */
    @Override
    public void close() {
        stop(config.gracePeriod);
    }

    /**
     * Stops taking work, waits up to {@code grace} for running tasks, then interrupts them and
     * returns their messages to the queue. Returns true when every worker ended within the grace
     * period. Idempotent.
     */
    public synchronized boolean stop(Duration grace) {
        if (stopped) {
            return true;
        }
        stopping = true;
        louie.consumerStopped(this);
        log.info("consumer {} stopping: waiting up to {} for running tasks", id, grace);
        long deadline = System.nanoTime() + grace.toNanos();
        boolean clean = join(deadline);
        if (!clean) {
            log.warn("grace period over; interrupting workers and returning their messages to the queue");
            for (Worker w : workers) {
                if (w != null) {
                    w.thread.interrupt();
                }
            }
            join(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        }
        if (completer != null) {
            completer.close(TimeUnit.SECONDS.toMillis(30));
        }
        if (!held.isEmpty()) {
            for (Lease lease : held.values()) {
                try {
                    storage.release(lease);
                } catch (RuntimeException e) {
                    log.warn("cannot release message {} ({}); it will be delivered again when its lease expires", lease.id(), e.toString());
                }
            }
        }
        scheduler.shutdownNow();
        stopped = true;
        log.info("consumer {} stopped: {}", id, stats());
        for (TaskInterceptor interceptor : louie.interceptors()) {
            try {
                interceptor.consumerStopped();
            } catch (RuntimeException e) {
                log.warn("interceptor {} failed at consumer stop: {}", interceptor, e.toString());
            }
        }
        return clean;
    }

    private boolean join(long deadlineNanos) {
        for (Worker w : workers) {
            if (w == null) {
                continue;
            }
            long left = deadlineNanos - System.nanoTime();
            try {
                if (left <= 0) {
                    return !w.thread.isAlive() && allDone();
                }
                w.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return allDone();
    }

    private boolean allDone() {
        for (Worker w : workers) {
            if (w != null && w.thread.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** Blocks until the consumer has stopped. */
    public void awaitTermination() throws InterruptedException {
        for (Worker w : workers) {
            if (w != null) {
                w.thread.join();
            }
        }
    }

    /** Configures a {@link Consumer}; get one from {@link Louie#consumer()}. */
    public static final class Builder {
        private final Louie louie;
        private int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        private final List<String> queues = new ArrayList<>();
        private boolean periodic = true;
        private Duration schedulerInterval = Duration.ofSeconds(1);
        private Duration healthCheckInterval = Duration.ofSeconds(10);
        private int maxTasksPerWorker;
        private ThreadFactory threadFactory;
        private boolean virtual;
        private Duration leaseTime = Duration.ofSeconds(30);
        private int maxDeliveries = 5;
        private Duration gracePeriod = Duration.ofSeconds(30);
        private Duration pollInterval = Duration.ofMillis(100);
        private int prefetch = 16;
        private long modelSizeBytes;
        private Runnable onWorkerStart;
        private Runnable onWorkerStop;
        private boolean batchCompletions = true;
        private Duration timeoutGrace = Duration.ofSeconds(10);
        private Duration unknownTaskGrace = Duration.ofMinutes(10);

        Builder(Louie louie) {
            this.louie = louie;
        }

        /** Worker threads. Default: the number of cores. */
        public Builder workers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("workers must be at least 1, not " + count);
            }
            this.workers = count;
            return this;
        }

        /** Queues to consume, in order of preference. Default: "default" and every queue a registered task names. */
        public Builder queues(String... names) {
            queues.clear();
            for (String n : names) {
                if (n == null || n.isBlank()) {
                    throw new IllegalArgumentException("queue names must not be blank");
                }
                queues.add(n);
            }
            return this;
        }

        /** Whether this consumer enqueues {@link PeriodicTask}s. Default: true. */
        public Builder periodic(boolean value) {
            this.periodic = value;
            return this;
        }

        /** How often due scheduled tasks are promoted and periodic tasks checked; bounds eta precision. Default: 1 s. */
        public Builder schedulerInterval(Duration value) {
            this.schedulerInterval = positive("schedulerInterval", value);
            return this;
        }

        /** How often dead workers are looked for and replaced. Default: 10 s. */
        public Builder healthCheckInterval(Duration value) {
            this.healthCheckInterval = positive("healthCheckInterval", value);
            return this;
        }

        /** A worker ends after this many tasks and is replaced (frees leaked memory); 0 means never. Default: 0. */
        public Builder maxTasksPerWorker(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("maxTasksPerWorker must be 0 (unlimited) or more, not " + value);
            }
            this.maxTasksPerWorker = value;
            return this;
        }

        /** Threads for workers (names are set by the consumer). Default: platform threads. */
        public Builder threadFactory(ThreadFactory value) {
            this.threadFactory = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Runs workers on virtual threads (Java 21 or newer).
         *
         * @throws IllegalStateException on older Java
         */
        public Builder virtualThreads() {
            try {
                Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
                Method factory = Class.forName("java.lang.Thread$Builder").getMethod("factory");
                this.threadFactory = (ThreadFactory) factory.invoke(builder);
                this.virtual = true;
                return this;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("virtual threads need Java 21 or newer; this is Java "
                        + Runtime.version().feature() + ": use platform threads", e);
            }
        }

        /** How long a taken message stays invisible to others; extended while its task runs. Default: 30 s. */
        public Builder leaseTime(Duration value) {
            this.leaseTime = positive("leaseTime", value);
            return this;
        }

        /** Deliveries (crashes included) after which a message goes to dead-letter. Default: 5. */
        public Builder maxDeliveries(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxDeliveries must be at least 1, not " + value);
            }
            this.maxDeliveries = value;
            return this;
        }

        /** How long {@link Consumer#close()} lets running tasks finish. Default: 30 s. */
        public Builder gracePeriod(Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException("gracePeriod must be zero or positive, not " + value);
            }
            this.gracePeriod = value;
            return this;
        }

        /** Longest wait of an idle worker before it looks again (backends that can wake it earlier do). Default: 100 ms. */
        public Builder pollInterval(Duration value) {
            this.pollInterval = positive("pollInterval", value);
            return this;
        }

        /**
         * Most messages a worker takes in one storage call. The worker adapts within it: batches
         * double while tasks take under 5 ms each and halve when they are slower, and messages
         * still waiting while a task of their batch runs past 50 ms go back to the queue for idle workers. So
         * short tasks share storage calls and long ones are taken one at a time. 1 turns batching
         * off. Default: 16.
         */
        public Builder prefetch(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("prefetch must be at least 1, not " + value);
            }
            this.prefetch = value;
            return this;
        }

        /**
         * Whether finished tasks are stored in batches by one completer thread (one transaction or
         * round trip for many short tasks) instead of one storage call each by their worker.
         * Default: true. A result is visible once its batch is written.
         */
        public Builder batchCompletions(boolean value) {
            this.batchCompletions = value;
            return this;
        }

        /**
         * How long a task may ignore the interrupt at its {@link Task#timeout()} before its thread is
         * abandoned: the timeout is recorded, the lease no longer extended and a new worker started
         * (Java cannot kill a thread). Default: 10 s.
         */
        public Builder timeoutGrace(Duration value) {
            this.timeoutGrace = positive("timeoutGrace", value);
            return this;
        }

        /**
         * How long after its enqueue a message of a task this consumer does not know (an older
         * version during a rolling deploy) is left in the queue for a consumer that knows it: it is
         * offered again every 5 s, and dead-lettered once this has passed. Zero dead-letters at
         * once. Default: 10 min.
         */
        public Builder unknownTaskGrace(Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException("unknownTaskGrace must be zero or positive, not " + value);
            }
            this.unknownTaskGrace = value;
            return this;
        }

        /** Memory one worker's model needs; a warning is logged when all workers' exceed the heap. */
        public Builder modelSizeHint(long bytes) {
            this.modelSizeBytes = bytes;
            return this;
        }

        /** Runs on each worker thread when it starts (open per-thread resources). */
        public Builder onWorkerStart(Runnable hook) {
            this.onWorkerStart = hook;
            return this;
        }

        /** Runs on each worker thread when it ends. */
        public Builder onWorkerStop(Runnable hook) {
            this.onWorkerStop = hook;
            return this;
        }

        /** Starts the workers and the scheduler. */
        public Consumer start() {
            return new Consumer(this).start();
        }

        private static Duration positive(String name, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, not " + value);
            }
            return value;
        }
    }
}
