package dev.louie.batching.simulation;

import dev.louie.batching.BatchEvent;
import dev.louie.batching.BatchListener;
import dev.louie.batching.BatchPolicy;
import dev.louie.batching.Batcher;
import dev.louie.batching.BatcherStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs a real {@link Batcher} in virtual time against an arrival process and a latency model of
 * the batch function, and reports throughput, latency percentiles, batch sizes, drops and
 * rejections. The same seed gives the same result on every machine; a 10-second simulation of a
 * few thousand requests per second takes milliseconds.
 *
 * <pre>{@code
 * SimulationResult r = Simulator.builder()
 *     .arrivals(ArrivalProcess.poisson(3000))
 *     .latency(LatencyModel.linear(Duration.ofMillis(2), Duration.ofNanos(250_000)))
 *     .policy(() -> BatchPolicy.aimd(Duration.ofMillis(20)))
 *     .duration(Duration.ofSeconds(10))
 *     .run();
 * }</pre>
 */
public final class Simulator {
    private final Builder b;

    private Simulator(Builder b) {
        this.b = b;
    }

    /** @return a builder; defaults: 1,000 req/s Poisson, 2 ms + 0.25 ms·n, fixed(32, 5 ms), 10 s */
    public static Builder builder() {
        return new Builder();
    }

    private SimulationResult run() {
        VirtualTime time = new VirtualTime();
        Random random = new Random(b.seed);
        BatcherStats stats = new BatcherStats();
        List<SimulationResult.BatchSample> trace = new ArrayList<>();
        BatchPolicy policy = b.policy.get();
        long warmup = b.warmup.toNanos();
        long end = b.duration.toNanos();
        BatchListener listener = new BatchListener() {
            @Override
            public void batchCompleted(BatchEvent e) {
                trace.add(new SimulationResult.BatchSample(time.nanoTime(), e.rows(), e.sizeLimit(),
                        e.executionNanos(), e.oldestWaitNanos()));
                stats.batchCompleted(e);
            }

            @Override
            public void requestCompleted(long latencyNanos, boolean success) {
                stats.requestCompleted(latencyNanos, success);
            }

            @Override
            public void requestRejected(int queueDepth) {
                stats.requestRejected(queueDepth);
            }

            @Override
            public void requestExpired() {
                stats.requestExpired();
            }
        };
        int[] running = new int[1];
        Batcher<Integer, Integer> batcher = Batcher.<Integer, Integer>asyncBuilder(inputs -> {
                    CompletableFuture<List<Integer>> f = new CompletableFuture<>();
                    long lat = Math.max(0, b.latency.latencyNanos(inputs.size(), time.nanoTime(), random));
                    running[0]++;
                    if (b.cores > 0 && running[0] > b.cores) {
                        lat = Math.round(lat * (double) running[0] / b.cores); // sharing the cores
                    }
                    time.schedule(() -> {
                        running[0]--;
                        f.complete(inputs);
                    }, lat);
                    return f;
                })
                .name("sim")
                .clock(time)
                .policy(policy)
                .concurrency(b.concurrency)
                .maxQueueSize(b.maxQueueSize)
                .listener(listener)
                .build();
        long[] offered = new long[1];
        if (b.clients > 0) {
            // closed loop: each client submits its next request from the previous one's completion,
            // that is from inside the batcher's completion step, as asynchronous callers do
            for (int c = 0; c < b.clients; c++) {
                time.schedule(() -> closedLoop(batcher, time, offered, warmup, end), 0);
            }
        } else {
            Runnable[] arrive = new Runnable[1];
            arrive[0] = () -> {
                long now = time.nanoTime();
                if (now >= end) {
                    return;
                }
                if (now >= warmup) {
                    offered[0]++;
                }
                submit(batcher, time);
                time.schedule(arrive[0], b.arrivals.nextGapNanos(now, random));
            };
            time.schedule(arrive[0], b.arrivals.nextGapNanos(0, random));
        }
        if (warmup > 0) {
            time.schedule(() -> {
                stats.reset();
                trace.removeIf(s -> s.atNanos() < warmup);
            }, warmup);
        }
        time.advanceTo(end);
        BatcherStats.Snapshot s = stats.snapshot();
        double seconds = (end - warmup) / 1e9;
        return new SimulationResult(policy.toString(), offered[0] / seconds, s.requests() / seconds,
                s.p50LatencyNanos(), s.p99LatencyNanos(), s.maxLatencyNanos(), s.meanBatchRows(), s.batches(),
                s.requests(), s.rejected(), s.expired(), s.p99ExecutionNanos(), s.maxOldestWaitNanos(),
                batcher.queueDepth(), List.copyOf(trace));
    }

    private CompletableFuture<Integer> submit(Batcher<Integer, Integer> batcher, VirtualTime time) {
        return b.deadline == null ? batcher.submit(0) : batcher.submit(0, time.now().plus(b.deadline));
    }

    private void closedLoop(Batcher<Integer, Integer> batcher, VirtualTime time, long[] offered, long warmup, long end) {
        long now = time.nanoTime();
        if (now >= end) {
            return;
        }
        if (now >= warmup) {
            offered[0]++;
        }
        submit(batcher, time).whenComplete((out, err) -> {
            if (err == null) {
                closedLoop(batcher, time, offered, warmup, end);
            } else { // rejected or expired: try again a millisecond later rather than spin
                time.schedule(() -> closedLoop(batcher, time, offered, warmup, end), 1_000_000);
            }
        });
    }

    /** Configures and runs one simulation. */
    public static final class Builder {
        private ArrivalProcess arrivals = ArrivalProcess.poisson(1000);
        private LatencyModel latency = LatencyModel.linear(Duration.ofMillis(2), Duration.ofNanos(250_000));
        private Supplier<? extends BatchPolicy> policy = () -> BatchPolicy.fixed(32, Duration.ofMillis(5));
        private int concurrency = 1;
        private int cores;
        private int clients;
        private int maxQueueSize = 10_000;
        private Duration duration = Duration.ofSeconds(10);
        private Duration warmup = Duration.ZERO;
        private Duration deadline;
        private long seed = 42;

        private Builder() {
        }

        /** @param arrivals when requests arrive */
        public Builder arrivals(ArrivalProcess arrivals) {
            this.arrivals = Objects.requireNonNull(arrivals);
            return this;
        }

        /** @param latency how long the simulated batch function takes */
        public Builder latency(LatencyModel latency) {
            this.latency = Objects.requireNonNull(latency);
            return this;
        }

        /** @param policy makes the policy under test (a fresh one per run) */
        public Builder policy(Supplier<? extends BatchPolicy> policy) {
            this.policy = Objects.requireNonNull(policy);
            return this;
        }

        /** @param n batches in flight */
        public Builder concurrency(int n) {
            this.concurrency = n;
            return this;
        }

        /**
         * @param cores batches in flight beyond this many share the cores: with {@code m} running, a
         *              batch that starts takes {@code m / cores} times its latency (default 0: every
         *              batch in flight runs at full speed, as on separate devices)
         */
        public Builder cores(int cores) {
            if (cores < 0) {
                throw new IllegalArgumentException("cores must be >= 0, not " + cores);
            }
            this.cores = cores;
            return this;
        }

        /**
         * @param n closed-loop clients instead of the arrival process: each has one request
         *          outstanding and submits the next from the completion of the last, inside the
         *          batcher's completion step as asynchronous callers do (default 0: use the arrivals)
         */
        public Builder closedLoopClients(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("closedLoopClients must be >= 0, not " + n);
            }
            this.clients = n;
            return this;
        }

        /** @param max queue bound; arrivals beyond it are rejected */
        public Builder maxQueueSize(int max) {
            this.maxQueueSize = max;
            return this;
        }

        /** @param d virtual time during which requests arrive */
        public Builder duration(Duration d) {
            this.duration = Objects.requireNonNull(d);
            return this;
        }

        /** @param d statistics start after this much virtual time (the trace too) */
        public Builder warmup(Duration d) {
            this.warmup = Objects.requireNonNull(d);
            return this;
        }

        /** @param d every request gets a deadline this far after its arrival */
        public Builder deadline(Duration d) {
            this.deadline = Objects.requireNonNull(d);
            return this;
        }

        /** @param seed random seed for arrivals and noise */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** @return the outcome of the simulation */
        public SimulationResult run() {
            if (warmup.compareTo(duration) >= 0) {
                throw new IllegalArgumentException("warmup must be shorter than duration");
            }
            return new Simulator(this).run();
        }
    }
}
