package dev.louie.core;

import dev.louie.core.storage.Completion;
import dev.louie.core.storage.Lease;
import dev.louie.core.storage.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the results of finished tasks in batches ({@link Storage#completeAll}): while one batch
 * is written, the next accumulates, so many short tasks share one transaction or one round trip,
 * and a result waits at most for the write before it. A lease stays held (and extended) until
 * its completion is stored; if the consumer dies first, the lease expires and the task runs
 * again, as for any crash.
 */
final class Completer implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Consumer.class);
    private static final int MAX_BATCH = 256;
    private static final int MAX_PENDING = 4096;

    private final Storage storage;
    private final LeaseKeeper leases;
    private final WorkCounts counts;
    private final BlockingQueue<Completion> pending = new LinkedBlockingQueue<>();
    private volatile boolean closing;
    private volatile Thread thread;

    Completer(Storage storage, LeaseKeeper leases, WorkCounts counts) {
        this.storage = storage;
        this.leases = leases;
        this.counts = counts;
    }

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
                    leases.ended(lease);
                    counts.completed.increment();
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
