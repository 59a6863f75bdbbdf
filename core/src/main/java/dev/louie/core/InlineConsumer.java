package dev.louie.core;

import dev.louie.core.storage.Completion;
import dev.louie.core.storage.Lease;
import dev.louie.core.storage.Storage;
import java.time.Duration;
import java.util.List;

/**
 * A consumer without threads: each {@link #runNext()} runs one task on the calling thread, as
 * huey's {@code execute_next()} does in tests. Made by {@link Consumer.Builder#inline()} with the
 * same settings as a threaded consumer (queues, lease time, delivery limit, periodic tasks), so a
 * test steps through retries, schedules, pipelines and chords deterministically, with an injected
 * clock and no waiting.
 *
 * <pre>{@code
 * ManualClock clock = ...;  // any Clock the test moves
 * Louie louie = Louie.builder("test").clock(clock).register(new Shop()).build();
 * InlineConsumer consumer = louie.consumer().inline();
 * Result<String> r = louie.enqueue(Shop::charge, order);
 * consumer.runNext();                       // runs charge on this thread
 * assertEquals("ok", r.get(Duration.ZERO));
 * }</pre>
 *
 * <p>Not for production: there are no timers, so a {@link Task#timeout()} holds only where the
 * task checks {@link TaskContext#checkTimeout()}, and leases (and the slots of concurrency limits) are not extended. Not thread-safe.
 */
public final class InlineConsumer {
    /** More steps than this in one {@link #runUntilIdle()} means tasks keep enqueueing tasks. */
    private static final int MAX_STEPS = 100_000;

    private final Louie louie;
    private final Storage storage;
    private final ConsumerConfig config;
    private final Scheduler scheduler;
    private final WorkCounts counts = new WorkCounts();
    private final TaskRunner.Watch watch;
    /** The holder prefix of the slots its tasks take. */
    private final String id = "inline-" + Ids.next().substring(20);

    InlineConsumer(Louie louie, ConsumerConfig config) {
        this.louie = louie;
        this.storage = louie.storage();
        this.config = config;
        this.scheduler = new Scheduler(louie, config, null);
        this.watch = new TaskRunner.Watch() {
            @Override
            public void started(Execution execution) {
            }

            @Override
            public void finished(Execution execution) {
            }

            @Override
            public boolean stopping() {
                return false;
            }

            @Override
            public boolean defer(Completion completion) {
                return false;
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
                return id;
            }

            @Override
            public Duration slotLease() {
                return config.leaseTime;
            }

            @Override
            public void holdingSlots(Lease lease, String holder, List<String> limits) {
                // leases are not extended here, and neither are slots
            }

            @Override
            public void slotsFreed(Lease lease) {
            }
        };
    }

    /**
     * Promotes what is due (at the Louie's clock), enqueues due periodic tasks, then runs the next
     * ready task of the served queues (in their order) on this thread.
     *
     * @return whether a task ran (or was skipped, retried or dead-lettered)
     */
    public boolean runNext() {
        scheduler.tick();
        for (String queue : config.queues) {
            List<Lease> leases = storage.dequeue(queue, 1, config.leaseTime);
            if (!leases.isEmpty()) {
                counts.count(louie.runner().execute(leases.get(0), watch));
                return true;
            }
        }
        return false;
    }

    /**
     * Runs tasks until none is ready (scheduled ones whose time has not come stay).
     *
     * @return how many ran
     * @throws IllegalStateException after 100,000 steps: tasks that keep enqueueing tasks
     */
    public int runUntilIdle() {
        int steps = 0;
        while (runNext()) {
            if (++steps >= MAX_STEPS) {
                throw new IllegalStateException(MAX_STEPS + " tasks ran and more are ready: do tasks keep enqueueing tasks?");
            }
        }
        return steps;
    }

    /** Counts since this consumer was made. */
    public Consumer.Stats stats() {
        return counts.snapshot();
    }
}
