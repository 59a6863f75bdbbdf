package dev.louie.core;

import dev.louie.core.storage.Completion;
import dev.louie.core.storage.Lease;
import dev.louie.core.storage.Storage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker thread's loop: take leased messages from the consumer's queues in turn, run them
 * one after another through the {@link TaskRunner}, and wait (without spinning) when there is
 * nothing to do.
 *
 * <p>Adaptive prefetch: a worker takes up to {@code prefetch} messages in one storage call. The
 * number doubles while tasks take under 5 ms each and halves when they are slower, and messages
 * still waiting behind a task that runs past 50 ms go back to the queue for idle workers
 * ({@link #returnWaitingIfHeld}). So short tasks share storage calls and long ones are taken one at
 * a time.
 */
final class Worker implements Runnable, TaskRunner.Watch {
    private static final Logger log = LoggerFactory.getLogger(Consumer.class);
    /** Taken but not started messages go back to the queue once the task before them has run this long. */
    static final long PREFETCH_HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Batches grow while their tasks take less than this each. */
    private static final long FAST_TASK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    final int slot;
    private final Consumer consumer;
    private final Louie louie;
    private final Storage storage;
    private final ConsumerConfig config;
    private final LeaseKeeper leases;
    private final ScheduledExecutorService timers;
    /** Taken, not yet started messages of the current batch. */
    private final ConcurrentLinkedQueue<Lease> waiting = new ConcurrentLinkedQueue<>();
    /** The timeout timers of the running task, when it has a timeout. */
    private final Map<Execution, List<ScheduledFuture<?>>> watched = new ConcurrentHashMap<>();
    volatile Thread thread;
    volatile boolean finished;
    /** Set when the thread was given up after a task ignored its timeout: the loop ends when (if) the task returns. */
    volatile boolean abandoned;
    int ran;
    private volatile long taskStarted;
    /** Whether a task is being run now (read by {@link Consumer#busyWorkers()}). */
    volatile boolean busy;
    private volatile boolean cut;

    Worker(int slot, Consumer consumer) {
        this.slot = slot;
        this.consumer = consumer;
        this.louie = consumer.louie();
        this.storage = louie.storage();
        this.config = consumer.config();
        this.leases = consumer.leases();
        this.timers = consumer.timers();
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

    /** Whether the worker stops after its current task because it ran its {@code maxTasksPerWorker}. */
    boolean ranItsTasks() {
        return config.maxTasksPerWorker != 0 && ran >= config.maxTasksPerWorker;
    }

    private void loop() {
        List<String> queues = config.queues;
        long idle = 1;
        long backoff = 0;
        int next = slot;
        int take = 1;
        while (!consumer.stopping() && !abandoned && !ranItsTasks()) {
            List<Lease> taken;
            String queue = queues.get(Math.floorMod(next++, queues.size()));
            try {
                int max = config.maxTasksPerWorker == 0 ? take : Math.min(take, config.maxTasksPerWorker - ran);
                taken = storage.dequeue(queue, max, config.leaseTime);
                backoff = 0;
            } catch (RuntimeException e) {
                backoff = backoff == 0 ? 100 : Math.min(backoff * 2, 5_000);
                log.warn("cannot take work from queue {} ({}); retrying in {} ms", queue, e.toString(), backoff);
                if (!consumer.pause(backoff)) {
                    return;
                }
                continue;
            }
            if (taken.isEmpty()) {
                if (next % queues.size() != slot % queues.size()) {
                    continue;
                }
                try {
                    storage.awaitMessages(queue, Duration.ofMillis(Math.min(idle, config.pollInterval.toMillis())));
                } catch (InterruptedException e) {
                    if (consumer.stopping()) {
                        return;
                    }
                } catch (RuntimeException e) {
                    consumer.pause(100);
                }
                idle = Math.min(idle * 2, Math.max(1, config.pollInterval.toMillis()));
                continue;
            }
            idle = 1;
            for (Lease lease : taken) {
                leases.hold(lease);
            }
            long started = System.nanoTime();
            cut = false;
            taskStarted = started;
            waiting.addAll(taken);
            if (!runWaiting()) {
                return;
            }
            take = nextTake(take, taken.size(), cut, System.nanoTime() - started);
        }
    }

    /** Runs the taken messages in order; false when this worker was abandoned meanwhile. */
    private boolean runWaiting() {
        Lease lease;
        while ((lease = waiting.poll()) != null) {
            TaskRunner.Status status = null;
            taskStarted = System.nanoTime();
            try {
                if (consumer.stopping()) {
                    storage.release(lease);
                    continue;
                }
                busy = true;
                try {
                    status = louie.runner().execute(lease, this);
                } finally {
                    busy = false;
                }
                if (status == TaskRunner.Status.ABANDONED) {
                    return false;
                }
                consumer.counts().count(status);
                if (status != TaskRunner.Status.LIMITED) {
                    ran++;
                }
            } catch (RuntimeException e) {
                giveBack(lease, e);
            } finally {
                if (status != TaskRunner.Status.DEFERRED && status != TaskRunner.Status.ABANDONED) {
                    leases.ended(lease);
                }
            }
        }
        return true;
    }

    /**
     * A storage error while the message was handled (a revocation check during a Redis restart,
     * say): the message goes back to the queue at once, retried with a backoff while its lease
     * lasts, instead of waiting a whole lease time to be delivered again.
     */
    private void giveBack(Lease lease, RuntimeException error) {
        long pause = 100;
        while (true) {
            try {
                storage.release(lease);
                log.warn("worker failed on message {} ({}); it went back to the queue", lease.id(), error.toString(), error);
                return;
            } catch (RuntimeException again) {
                Lease current = leases.current(lease);
                if (consumer.stopping() || current.deadline() == null
                        || louie.clock().instant().plusMillis(pause).isAfter(current.deadline()) || !consumer.pause(pause)) {
                    log.error("worker failed on message {} ({}) and cannot return it to the queue ({}); "
                            + "it is delivered again when its lease expires", lease.id(), error.toString(), again.toString(), error);
                    return;
                }
                pause = Math.min(pause * 2, 2_000);
            }
        }
    }

    /**
     * Short tasks double the number of messages taken per storage call, up to {@code prefetch};
     * slow ones (or a batch that had to be cut) halve it, down to one.
     */
    private int nextTake(int take, int got, boolean wasCut, long elapsedNanos) {
        if (wasCut || elapsedNanos > FAST_TASK_NANOS * got) {
            return Math.max(1, take / 2);
        }
        return got == take ? Math.min(config.prefetch, take * 2) : take;
    }

    /** Gives back the waiting messages when the current task has run past the hold time. */
    void returnWaitingIfHeld(long nowNanos) {
        if (waiting.isEmpty() || nowNanos - taskStarted < PREFETCH_HOLD_NANOS) {
            return;
        }
        cut = true;
        returnWaiting();
    }

    private void returnWaiting() {
        Lease lease;
        while ((lease = waiting.poll()) != null) {
            try {
                storage.release(lease);
            } catch (RuntimeException e) {
                log.warn("cannot return message {} to the queue ({}); it runs when its lease expires", lease.id(), e.toString());
            }
            leases.ended(lease);
        }
    }

    // ---- the runner's watch -------------------------------------------------------------------

    @Override
    public void started(Execution run) {
        if (run.deadline == null) {
            return;
        }
        long delay = Math.max(0, Duration.between(louie.clock().instant(), run.deadline).toNanos());
        ScheduledFuture<?> interrupt = timers.schedule(run::interruptAtTimeout, delay, TimeUnit.NANOSECONDS);
        ScheduledFuture<?> abandon = timers.schedule(() -> abandonIfStuck(run),
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

    /**
     * A task that ignored its interrupt for the grace period after its timeout: Java cannot kill
     * its thread, so the worker records the timeout (signal, retry or failure, ack), stops
     * extending its lease, returns its other taken messages to the queue and asks the consumer for
     * a new worker in its place. The stuck thread is left to end by itself; what it returns is dropped.
     */
    private void abandonIfStuck(Execution run) {
        if (!run.abandon()) {
            return;
        }
        abandoned = true;
        watched.remove(run);
        consumer.counts().threadsAbandoned.increment();
        log.error("task {} [{}] ignored its interrupt for {} after its timeout of {}: its thread {} is abandoned "
                        + "(Java cannot kill a thread) and a new worker takes its place; {} thread(s) abandoned so far. "
                        + "Make the task check TaskContext.checkTimeout() or respond to interrupts.",
                run.message.task(), run.message.id(), config.timeoutGrace, run.definition.timeout, run.thread.getName(),
                consumer.counts().threadsAbandoned.sum());
        try {
            consumer.counts().count(louie.runner().timedOut(run, run.elapsed()));
        } catch (RuntimeException e) {
            log.error("cannot record the timeout of task [{}] ({}); it is delivered again when its lease expires",
                    run.message.id(), e.toString());
        } finally {
            leases.ended(run.lease);
        }
        returnWaiting();
        consumer.replace(this);
    }

    @Override
    public boolean stopping() {
        return consumer.stopping();
    }

    @Override
    public boolean defer(Completion completion) {
        Completer completer = consumer.completer();
        return completer != null && completer.offer(completion);
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
    public String consumerId() {
        return consumer.id();
    }

    @Override
    public Duration slotLease() {
        return config.leaseTime;
    }

    @Override
    public void holdingSlots(Lease lease, String holder, List<String> limits) {
        leases.holdSlots(lease, holder, limits);
    }

    @Override
    public void slotsFreed(Lease lease) {
        leases.slotsFreed(lease);
    }
}
