package dev.louie.core;

import dev.louie.core.storage.StorageInspection;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks: {@link Worker} threads take leased messages from the storage and run them; one
 * timer thread drives the {@link Scheduler} (due messages, periodic tasks), the
 * {@link LeaseKeeper} (extends the leases of running tasks), the timeouts of running tasks and
 * the health check that replaces dead workers; a {@link Completer} thread stores results in
 * batches. This class is the lifecycle: start, stop, replace.
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

    private final Louie louie;
    private final ConsumerConfig config;
    private final String id = Ids.next().substring(20);
    private final ThreadFactory threads;
    private final Worker[] workers;
    private final ScheduledExecutorService timers;
    private final LeaseKeeper leases;
    private final Completer completer;
    private final Scheduler scheduler;
    /** Null when the storage cannot store heartbeats (no {@link StorageInspection}). */
    private final Heartbeat heartbeat;
    private final WorkCounts counts = new WorkCounts();
    private final AtomicInteger workerSeq = new AtomicInteger();
    private volatile boolean stopping;
    private volatile boolean stopped;

    private Consumer(Louie louie, ConsumerConfig config) {
        this.louie = louie;
        this.config = config;
        this.threads = config.threadFactory != null ? config.threadFactory : Consumer::platformThread;
        this.workers = new Worker[config.workers];
        this.timers = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "louie-scheduler");
            t.setDaemon(true);
            return t;
        });
        this.leases = new LeaseKeeper(louie.storage(), config.leaseTime, louie.clock());
        this.heartbeat = louie.storage() instanceof StorageInspection inspection
                ? new Heartbeat(inspection, louie.clock(), id, config.workers, config.queues, config.heartbeatInterval,
                        leases::running)
                : null;
        this.completer = config.batchCompletions ? new Completer(louie.storage(), leases, counts) : null;
        this.scheduler = new Scheduler(louie, config, timers);
    }

    private static Thread platformThread(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(false);
        return t;
    }

    private Consumer start() {
        logConfiguration();
        warnAboutUnusedQueues();
        louie.consumerStarted(this);
        if (completer != null) {
            completer.start();
        }
        synchronized (workers) {
            for (int i = 0; i < workers.length; i++) {
                workers[i] = newWorker(i);
            }
        }
        scheduler.start();
        long keep = Math.max(10, config.leaseTime.toMillis() / 3);
        timers.scheduleWithFixedDelay(leases::extendAll, keep, keep, TimeUnit.MILLISECONDS);
        if (config.prefetch > 1) {
            long hold = TimeUnit.NANOSECONDS.toMillis(Worker.PREFETCH_HOLD_NANOS) / 2;
            timers.scheduleWithFixedDelay(this::returnWaitingMessages, hold, hold, TimeUnit.MILLISECONDS);
        }
        long health = config.healthCheckInterval.toMillis();
        timers.scheduleWithFixedDelay(this::checkHealth, health, health, TimeUnit.MILLISECONDS);
        if (heartbeat != null) {
            long beat = config.heartbeatInterval.toMillis();
            timers.scheduleWithFixedDelay(heartbeat::beat, 0, beat, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void logConfiguration() {
        int cores = Runtime.getRuntime().availableProcessors();
        log.info("consumer {} starting for {} on {}: {}, tasks={}", id, louie.name(), louie.storage(), config, louie.tasks());
        if (!config.virtual && config.workers > 2 * cores + 1) {
            log.warn("{} workers exceed 2 x {} cores + 1: CPU-bound tasks will only contend; fewer workers give the same throughput",
                    config.workers, cores);
        }
        if (config.modelSizeBytes > 0) {
            long need = config.modelSizeBytes * config.workers;
            long max = Runtime.getRuntime().maxMemory();
            if (need > max) {
                log.warn("model size {} MiB x {} workers = {} MiB exceeds the JVM's maximum heap of {} MiB; "
                                + "share one model between workers or raise -Xmx",
                        config.modelSizeBytes >> 20, config.workers, need >> 20, max >> 20);
            }
        }
    }

    /** A queue no registered task uses is often a typo ({@code --queues defualt}): say so at start. */
    private void warnAboutUnusedQueues() {
        Set<String> used = new LinkedHashSet<>();
        for (TaskDefinition d : louie.definitions().values()) {
            used.add(d.queue);
        }
        Set<String> bound = louie.boundQueues();
        for (String q : config.queues) {
            if (bound.contains(q)) {
                continue; // an exchange routes to it
            }
            if (!used.contains(q) && !(q.equals(Louie.DEFAULT_QUEUE) && used.isEmpty())) {
                log.warn("consumer {} serves queue '{}', which no registered task uses; the registered tasks use {}"
                        + " (tasks enqueued by name with TaskCall.queue can still arrive there)", id, q, used);
            }
        }
    }

    private Worker newWorker(int slot) {
        Worker w = new Worker(slot, this);
        Thread t = threads.newThread(w);
        t.setName("louie-worker-" + workerSeq.incrementAndGet());
        t.setUncaughtExceptionHandler((thread, e) -> log.error("worker {} died: {}; the health check replaces it",
                thread.getName(), e.toString(), e));
        w.thread = t;
        t.start();
        return w;
    }

    /** Starts a new worker in the place of {@code w} (abandoned with a stuck task), unless stopping. */
    void replace(Worker w) {
        synchronized (workers) {
            if (!stopping && workers[w.slot] == w) {
                counts.workersReplaced.increment();
                workers[w.slot] = newWorker(w.slot);
            }
        }
    }

    private void returnWaitingMessages() {
        long now = System.nanoTime();
        for (Worker w : workers) {
            if (w != null) {
                w.returnWaitingIfHeld(now);
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
                    if (!w.ranItsTasks()) {
                        log.warn("worker {} died; starting a new one", w.thread.getName());
                    } else {
                        log.debug("worker {} ran its {} tasks; starting a new one", w.thread.getName(), w.ran);
                    }
                    counts.workersReplaced.increment();
                    workers[i] = newWorker(i);
                }
            }
        }
    }

    boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return !stopping;
        }
    }

    // ---- what the parts share ---------------------------------------------------------------------

    Louie louie() {
        return louie;
    }

    ConsumerConfig config() {
        return config;
    }

    LeaseKeeper leases() {
        return leases;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    Completer completer() {
        return completer;
    }

    WorkCounts counts() {
        return counts;
    }

    boolean stopping() {
        return stopping;
    }

    /** Promotes the due messages of {@code queue} at {@code eta}: told by its Louie about etas set in this JVM. */
    void wakeAt(String queue, Instant eta) {
        if (!stopping) {
            scheduler.wakeAt(queue, eta);
        }
    }

    /** One round of the lease keeper now (tests; the timer thread does it every third of the lease time). */
    void extendLeases() {
        leases.extendAll();
    }

    /**
     * Records this consumer's heartbeat now (tests; the timer thread does it every heartbeat
     * interval). Does nothing when the storage has no {@link StorageInspection}.
     */
    public void recordHeartbeat() {
        if (heartbeat != null && !stopped) {
            heartbeat.beat();
        }
    }

    /** This consumer's id: in its log lines and its heartbeat ({@link Operations#consumers()}). */
    public String id() {
        return id;
    }

    // ---- lifecycle -----------------------------------------------------------------------------------

    /** Runs the periodic check, promotion and health check once now (tests; the scheduler does it on its own). */
    public void runSchedulerOnce() {
        scheduler.tick();
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

    /** The number of workers configured: how many tasks this consumer runs at once at most. */
    public int workers() {
        return config.workers;
    }

    /** Workers running a task right now (a worker given up with a stuck task no longer counts). */
    public int busyWorkers() {
        int busy = 0;
        for (Worker w : workers) {
            if (w != null && w.busy) {
                busy++;
            }
        }
        return busy;
    }

    /** Counts since start. */
    public Stats stats() {
        return counts.snapshot();
    }

    /**
     * Counts of what the workers did since start.
     *
     * @param completed        tasks that returned
     * @param failed           tasks that failed for good
     * @param retried          failed executions scheduled to run again
     * @param skipped          revoked, expired, canceled, released at shutdown, or left for a consumer that knows the task
     * @param deadLettered     messages that could not be decoded or run
     * @param workersReplaced  workers replaced after dying, reaching their task limit or being abandoned
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
        leases.releaseAll();
        timers.shutdownNow();
        if (heartbeat != null) {
            try {
                timers.awaitTermination(2, TimeUnit.SECONDS); // a beat in flight must not write after the removal
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            heartbeat.remove();
        }
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

    /**
     * Blocks until every worker thread has ended: after {@link #stop(Duration)} or {@link #close()}
     * from another thread (workers also end after {@code maxTasksPerWorker} tasks, but are then
     * replaced while the consumer runs). Threads abandoned with a stuck task are not waited for.
     */
    public void awaitTermination() throws InterruptedException {
        for (Worker w : workers) {
            if (w != null) {
                w.thread.join();
            }
        }
    }

    /**
     * Configures a {@link Consumer}; get one from {@link Louie#consumer()}. The setters only record
     * values: {@link #start()} copies them into the consumer, validating all at once (an
     * {@link IllegalArgumentException} lists every invalid setting), so changing the builder
     * afterwards changes nothing that runs.
     */
    public static final class Builder {
        private final Louie louie;
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        final List<String> queues = new ArrayList<>();
        boolean periodic = true;
        Duration schedulerInterval = Duration.ofSeconds(1);
        Duration healthCheckInterval = Duration.ofSeconds(10);
        int maxTasksPerWorker;
        ThreadFactory threadFactory;
        boolean virtual;
        Duration leaseTime = Duration.ofSeconds(30);
        int maxDeliveries = 5;
        Duration gracePeriod = Duration.ofSeconds(30);
        Duration pollInterval = Duration.ofMillis(100);
        int prefetch = 16;
        long modelSizeBytes;
        Runnable onWorkerStart;
        Runnable onWorkerStop;
        boolean batchCompletions = true;
        Duration timeoutGrace = Duration.ofSeconds(10);
        Duration unknownTaskGrace = Duration.ofMinutes(10);
        Duration heartbeatInterval = Duration.ofSeconds(5);

        Builder(Louie louie) {
            this.louie = louie;
        }

        /**
         * How often the consumer records its heartbeat in the storage (id, host, pid, workers,
         * queues, start, the tasks it runs), for {@link Operations#consumers()} and the CLI's
         * {@code consumers}; positive. A consumer silent for three intervals is listed as silent.
         * Default: 5 s. Needs a storage with {@link StorageInspection} (all three backends).
         */
        public Builder heartbeatInterval(Duration value) {
            this.heartbeatInterval = value;
            return this;
        }

        /** Worker threads, at least 1. Default: the number of cores. */
        public Builder workers(int count) {
            this.workers = count;
            return this;
        }

        /** Queues to consume, in order of preference. Default: "default" and every queue a registered task names. */
        public Builder queues(String... names) {
            queues.clear();
            queues.addAll(java.util.Arrays.asList(names));
            return this;
        }

        /** Whether this consumer enqueues {@link PeriodicTask}s. Default: true. */
        public Builder periodic(boolean value) {
            this.periodic = value;
            return this;
        }

        /**
         * How often due scheduled tasks are promoted and periodic tasks checked; bounds the
         * precision of etas set in other processes (etas set in this JVM are kept to the
         * millisecond). Default: 1 s.
         */
        public Builder schedulerInterval(Duration value) {
            this.schedulerInterval = value;
            return this;
        }

        /** How often dead workers are looked for and replaced. Default: 10 s. */
        public Builder healthCheckInterval(Duration value) {
            this.healthCheckInterval = value;
            return this;
        }

        /** A worker ends after this many tasks and is replaced (frees leaked memory); 0 means never. Default: 0. */
        public Builder maxTasksPerWorker(int value) {
            this.maxTasksPerWorker = value;
            return this;
        }

        /** Threads for workers (names are set by the consumer). Default: platform threads. */
        public Builder threadFactory(ThreadFactory value) {
            this.threadFactory = Objects.requireNonNull(value, "threadFactory");
            this.virtual = false;
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
            this.leaseTime = value;
            return this;
        }

        /** Deliveries (crashes included) after which a message goes to dead-letter, at least 1. Default: 5. */
        public Builder maxDeliveries(int value) {
            this.maxDeliveries = value;
            return this;
        }

        /** How long {@link Consumer#close()} lets running tasks finish, zero or more. Default: 30 s. */
        public Builder gracePeriod(Duration value) {
            this.gracePeriod = value;
            return this;
        }

        /** Longest wait of an idle worker before it looks again (backends that can wake it earlier do). Default: 100 ms. */
        public Builder pollInterval(Duration value) {
            this.pollInterval = value;
            return this;
        }

        /**
         * Most messages a worker takes in one storage call, at least 1. The worker adapts within
         * it: batches double while tasks take under 5 ms each and halve when they are slower, and
         * messages still waiting while a task of their batch runs past 50 ms go back to the queue
         * for idle workers. So short tasks share storage calls and long ones are taken one at a
         * time. 1 turns batching off. Default: 16.
         */
        public Builder prefetch(int value) {
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
            this.timeoutGrace = value;
            return this;
        }

        /**
         * How long after its enqueue a message of a task this consumer does not know (an older
         * version during a rolling deploy) is left in the queue for a consumer that knows it: it is
         * offered again every 5 s, and dead-lettered once this has passed. Zero dead-letters at
         * once. Default: 10 min.
         */
        public Builder unknownTaskGrace(Duration value) {
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

        /**
         * A consumer with these settings that runs tasks on the calling thread, one per
         * {@link InlineConsumer#runNext()}: for tests.
         *
         * @throws IllegalArgumentException naming every invalid setting
         */
        public InlineConsumer inline() {
            return new InlineConsumer(louie, new ConsumerConfig(this, taskQueues()));
        }

        private List<String> taskQueues() {
            List<String> taskQueues = new ArrayList<>();
            for (TaskDefinition d : louie.definitions().values()) {
                taskQueues.add(d.queue);
            }
            return taskQueues;
        }

        /** What to bind the consumer's queue to at start. */
        private record QueueBinding(String exchange, String pattern) {
        }

        private final List<QueueBinding> bindings = new ArrayList<>();

        /**
         * Binds this consumer's queue (the first one given to {@link #queues}) to {@code exchange}
         * with {@code pattern} when the consumer starts ({@link Exchanges#bind(String, String, String)}),
         * the way a worker is set up to serve the messages of a topic: a queue of its own gets
         * what matches, and keeps it while the consumer is down. The exchange must be declared.
         */
        public Builder bind(String exchange, String pattern) {
            bindings.add(new QueueBinding(Objects.requireNonNull(exchange, "exchange"), Objects.requireNonNull(pattern, "pattern")));
            return this;
        }

        /** Binds this consumer's queue to a fanout exchange at start; see {@link #bind(String, String)}. */
        public Builder bind(String exchange) {
            return bind(exchange, "");
        }

        /**
         * Validates the settings, copies them, binds the consumer's queue where {@link #bind} asked
         * and starts the workers and the scheduler.
         *
         * @throws IllegalArgumentException naming every invalid setting, or a binding that fails
         */
        public Consumer start() {
            ConsumerConfig config = new ConsumerConfig(this, taskQueues());
            if (!bindings.isEmpty()) {
                if (queues.isEmpty()) {
                    throw new IllegalArgumentException("bind(" + bindings.get(0).exchange() + ", ...) needs the queue to bind:"
                            + " name this consumer's queue with queues(...)");
                }
                for (QueueBinding b : bindings) {
                    louie.exchanges().bind(b.exchange(), config.queues.get(0), b.pattern());
                }
            }
            return new Consumer(louie, config).start();
        }
    }
}
