package dev.louie.redis;

import dev.louie.core.storage.Envelope;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Shares enqueue round trips between concurrent callers: per queue at most one script call is in
 * flight, and what arrives meanwhile goes out together in the next one (up to {@code maxBatch}
 * messages), the way a group commit shares a disk flush. One thread that enqueues without waiting
 * thus pays one round trip per batch instead of per message, and sixteen threads that each wait
 * share their round trips.
 *
 * <p>Per queue, messages are sent in the order they were submitted. The futures of callers that
 * wait ({@link #submit(String, Envelope, boolean) internal}) complete on the thread that read the
 * reply; the others, whose callbacks are the user's code, and the next send complete on
 * {@code executor}, so that user callbacks never run on the connection's I/O thread and a send
 * never waits for a connection there.
 */
final class EnqueueCoalescer {

    /** Sends one batch of one queue as one call; the answer holds whether each message was added. */
    interface Sender {
        CompletableFuture<boolean[]> send(String queue, List<Envelope> batch);
    }

    private final Sender sender;
    private final Executor executor;
    private final int maxBatch;
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();

    EnqueueCoalescer(Sender sender, Executor executor, int maxBatch) {
        this.sender = sender;
        this.executor = executor;
        this.maxBatch = maxBatch;
    }

    /**
     * Adds {@code envelope} to the next call for {@code queue}; sends at once when no call for the
     * queue is in flight. {@code internal}: the caller only waits on the future (no callbacks).
     */
    CompletableFuture<Boolean> submit(String queue, Envelope envelope, boolean internal) {
        Lane lane = lanes.computeIfAbsent(queue, Lane::new);
        Pending p = new Pending(envelope, internal);
        lane.waiting.add(p);
        lane.sendIfIdle();
        return p.future;
    }

    private record Pending(Envelope envelope, boolean internal, CompletableFuture<Boolean> future) {
        Pending(Envelope envelope, boolean internal) {
            this(envelope, internal, new CompletableFuture<>());
        }
    }

    /** One queue's waiting messages and whether a call for them is in flight. */
    private final class Lane {
        final String queue;
        final Queue<Pending> waiting = new ConcurrentLinkedQueue<>();
        final AtomicBoolean inFlight = new AtomicBoolean();

        Lane(String queue) {
            this.queue = queue;
        }

        void sendIfIdle() {
            // re-check after letting go: a submit that found the lane busy just before the release
            // left its message for this loop
            while (!waiting.isEmpty() && inFlight.compareAndSet(false, true)) {
                List<Pending> batch = new ArrayList<>(Math.min(maxBatch, 64));
                Pending p;
                while (batch.size() < maxBatch && (p = waiting.poll()) != null) {
                    batch.add(p);
                }
                if (batch.isEmpty()) {
                    inFlight.set(false);
                    continue;
                }
                CompletableFuture<boolean[]> reply;
                try {
                    List<Envelope> envelopes = new ArrayList<>(batch.size());
                    for (Pending one : batch) {
                        envelopes.add(one.envelope());
                    }
                    reply = sender.send(queue, envelopes);
                } catch (RuntimeException e) {
                    reply = CompletableFuture.failedFuture(e);
                }
                reply.whenComplete((added, error) -> done(batch, added, error));
                return;
            }
        }

        private void done(List<Pending> batch, boolean[] added, Throwable error) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            int externals = 0;
            for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                if (!p.internal()) {
                    externals++;
                } else {
                    complete(p, added, i, cause);
                }
            }
            boolean anyExternal = externals > 0;
            Runnable next = () -> {
                inFlight.set(false);
                sendIfIdle();
                if (anyExternal) {
                    for (int i = 0; i < batch.size(); i++) {
                        if (!batch.get(i).internal()) {
                            complete(batch.get(i), added, i, cause);
                        }
                    }
                }
            };
            try {
                executor.execute(next);
            } catch (RuntimeException rejected) { // closing: nothing more is sent from here
                inFlight.set(false);
                for (int i = 0; i < batch.size(); i++) {
                    complete(batch.get(i), added, i, cause);
                }
                Pending p;
                while ((p = waiting.poll()) != null) {
                    p.future().completeExceptionally(rejected);
                }
            }
        }

        private static void complete(Pending p, boolean[] added, int i, Throwable cause) {
            if (cause != null) {
                p.future().completeExceptionally(cause);
            } else {
                p.future().complete(added[i]);
            }
        }
    }
}
