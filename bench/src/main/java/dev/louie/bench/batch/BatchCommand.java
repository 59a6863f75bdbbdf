package dev.louie.bench.batch;

import dev.louie.batching.AimdPolicy;
import dev.louie.batching.BatchPolicy;
import dev.louie.batching.Batcher;
import dev.louie.batching.BatcherOverloadedException;
import dev.louie.batching.BatcherStats;
import dev.louie.batching.LatencyFitPolicy;
import dev.louie.batching.PeakThroughputPolicy;
import dev.louie.batching.simulation.ArrivalProcess;
import dev.louie.batching.simulation.LatencyModel;
import dev.louie.batching.simulation.SimulationResult;
import dev.louie.batching.simulation.Simulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code louie-bench batch}: an open-loop load generator submits requests at a fixed rate to a
 * {@link Batcher} whose function sleeps (or spins) for a latency model such as
 * {@code 2ms+0.25ms*n}, in real threads and real time. Latency is measured from each request's
 * intended send time, so a stalled generator does not hide queueing. After the run it measures
 * the ceiling — the bare function called back to back with batches of the mean size — and prints
 * both on the last line. {@code --virtual} runs the same scenario in the simulator instead, and
 * {@code --plots DIR} writes the docs' plots.
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = "Request batching against a simulated model: throughput and latency per policy.")
public final class BatchCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "sim", description = "batch function: sim (sleeps per --latency) (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--latency", defaultValue = "2ms+0.25ms*n",
            description = "latency of one batch of n rows, e.g. 2ms+0.25ms*n or 1ms+50us*n+2us*n^2 (default: ${DEFAULT-VALUE})")
    String latency;

    @Option(names = "--cliff", description = "ROWS:FACTOR: batches of more than ROWS rows take FACTOR times as long")
    String cliff;

    @Option(names = "--execution-share", defaultValue = "0.5",
            description = "peak policy: share of the SLO one batch's execution may take (default: ${DEFAULT-VALUE})")
    double executionShare;

    @Option(names = "--spin", description = "busy-wait instead of sleeping in the simulated model (uses a core per batch)")
    boolean spin;

    @Option(names = "--rate", defaultValue = "3000", description = "offered requests per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--arrivals", defaultValue = "poisson", description = "poisson | constant (default: ${DEFAULT-VALUE})")
    String arrivals;

    @Option(names = "--policy", defaultValue = "aimd", description = "none | fixed | aimd | fit | peak (default: ${DEFAULT-VALUE})")
    String policy;

    @Option(names = "--slo-ms", defaultValue = "20", description = "SLO of one batch for aimd and fit; of one request for peak (default: ${DEFAULT-VALUE})")
    double sloMs;

    @Option(names = "--max-batch", defaultValue = "32", description = "fixed policy's size (default: ${DEFAULT-VALUE})")
    int maxBatch;

    @Option(names = "--max-delay-ms", defaultValue = "5", description = "fixed policy's delay (default: ${DEFAULT-VALUE})")
    double maxDelayMs;

    @Option(names = "--concurrency", defaultValue = "1", description = "batches in flight (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--cores", defaultValue = "0",
            description = "--virtual only: batches in flight beyond this many share the cores (default 0: they do not)")
    int cores;

    @Option(names = "--max-queue", defaultValue = "10000", description = "queue bound (default: ${DEFAULT-VALUE})")
    int maxQueue;

    @Option(names = "--deadline-ms", defaultValue = "0", description = "per-request deadline, 0 for none (default: ${DEFAULT-VALUE})")
    double deadlineMs;

    @Option(names = "--duration", defaultValue = "10s", description = "measured time, e.g. 10s, 500ms, 1m (default: ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--warmup", defaultValue = "2s", description = "unmeasured time before it (default: ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--seed", defaultValue = "42", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--virtual", description = "run in the virtual-time simulator instead of real threads")
    boolean virtual;

    @Option(names = "--plots", description = "write throughput / p99 vs offered load plots (virtual time) into this folder and exit")
    Path plots;

    @Override
    public Integer call() throws Exception {
        if (!"sim".equals(model)) {
            System.err.println("unknown --model " + model + "; only 'sim' is built in");
            return 2;
        }
        LatencyModel lat = LatencyModel.parse(latency);
        if (cliff != null) {
            String[] rf = cliff.split(":");
            if (rf.length != 2) {
                throw new IllegalArgumentException("--cliff must be ROWS:FACTOR, e.g. 32:3, not " + cliff);
            }
            lat = lat.withCliff(Integer.parseInt(rf[0]), Double.parseDouble(rf[1]));
        }
        if (plots != null) {
            new BatchPlots(lat, Duration.ofNanos(Math.round(sloMs * 1e6))).write(plots);
            return 0;
        }
        long warm = parseDuration(warmup).toNanos();
        long measured = parseDuration(duration).toNanos();
        if (virtual) {
            SimulationResult r = Simulator.builder().arrivals(arrivalProcess()).latency(lat).policy(this::newPolicy)
                    .concurrency(concurrency).cores(cores).maxQueueSize(maxQueue).seed(seed)
                    .duration(Duration.ofNanos(warm + measured)).warmup(Duration.ofNanos(warm)).run();
            System.out.println("virtual time: " + r);
            System.out.println(String.format(Locale.ROOT,
                    "RESULT mode=virtual policy=%s rate=%.0f throughput_per_s=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f "
                            + "mean_batch=%.2f rejected=%d expired=%d",
                    policy, rate, r.throughputPerSecond(), r.p50Millis(), r.p99Millis(), r.maxLatencyNanos() / 1e6,
                    r.meanBatchSize(), r.rejected(), r.expired()));
            return 0;
        }
        return runReal(lat, warm, measured);
    }

    private int runReal(LatencyModel lat, long warm, long measured) throws Exception {
        BatcherStats stats = new BatcherStats();
        Batcher<Integer, Integer> batcher = Batcher.<Integer, Integer>builder(in -> {
                    work(lat.latencyNanos(in.size(), 0, null));
                    return in;
                })
                .name("bench")
                .policy(newPolicy())
                .concurrency(concurrency)
                .maxQueueSize(maxQueue)
                .listener(stats)
                .build();
        Recorder latencies = new Recorder(3);
        LongAdder completed = new LongAdder();
        LongAdder rejected = new LongAdder();
        LongAdder expired = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        long start = System.nanoTime();
        long measureFrom = start + warm;
        long end = measureFrom + measured;
        ArrivalProcess process = arrivalProcess();
        Thread generator = new Thread(() -> {
            java.util.Random random = new java.util.Random(seed);
            long next = start;
            while (!stop.get()) {
                long now = System.nanoTime();
                if (now < next) {
                    LockSupport.parkNanos(next - now);
                    continue;
                }
                if (next >= end) {
                    break;
                }
                long intended = next;
                boolean counted = intended >= measureFrom;
                CompletableFuture<Integer> f = deadlineMs > 0
                        ? batcher.submit(0, java.time.Instant.now().plusNanos(Math.round(deadlineMs * 1e6)))
                        : batcher.submit(0);
                f.whenComplete((v, err) -> {
                    if (!counted) {
                        return;
                    }
                    Throwable cause = err instanceof CompletionException ? err.getCause() : err;
                    if (cause == null) {
                        completed.increment();
                        latencies.recordValue(Math.max(0, System.nanoTime() - intended));
                    } else if (cause instanceof BatcherOverloadedException) {
                        rejected.increment();
                    } else if (cause instanceof dev.louie.batching.DeadlineExceededException) {
                        expired.increment();
                    } else {
                        failed.increment();
                    }
                });
                next += process.nextGapNanos(next - start, random);
            }
        }, "louie-bench-generator");
        generator.setDaemon(true);
        System.out.printf(Locale.ROOT, "batch: policy=%s latency=%s rate=%.0f/s %s concurrency=%d warmup=%s duration=%s%n",
                policy, latency, rate, arrivals, concurrency, warmup, duration);
        generator.start();
        boolean reset = false;
        while (generator.isAlive()) {
            generator.join(1000);
            long now = System.nanoTime();
            if (!reset && now >= measureFrom) {
                stats.reset();
                reset = true;
            }
            BatcherStats.Snapshot s = stats.snapshot();
            System.out.printf(Locale.ROOT, "  t=%4.1fs%s queue=%d limit=%d batches=%d mean_batch=%.1f completed=%d rejected=%d%n",
                    (now - start) / 1e9, now < measureFrom ? " (warmup)" : "", batcher.queueDepth(),
                    batcher.currentSizeLimit(), s.batches(), s.meanBatchRows(), completed.sum(), rejected.sum());
        }
        batcher.close(); // finishes what is queued
        BatcherStats.Snapshot s = stats.snapshot();
        Histogram h = latencies.getIntervalHistogram();
        double seconds = measured / 1e9;
        double throughput = completed.sum() / seconds;
        double ceiling = ceiling(lat, Math.max(1, (int) Math.round(s.meanBatchRows())));
        System.out.printf(Locale.ROOT, "ceiling: the bare function with batches of %d rows on %d thread(s): %.0f req/s%n",
                Math.max(1, Math.round(s.meanBatchRows())), concurrency, ceiling);
        System.out.println(String.format(Locale.ROOT,
                "RESULT policy=%s rate=%.0f throughput_per_s=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_batch=%.2f "
                        + "rejected=%d expired=%d failed=%d ceiling_per_s=%.1f",
                policy, rate, throughput, h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
                h.getMaxValue() / 1e6, s.meanBatchRows(), rejected.sum(), expired.sum(), failed.sum(), ceiling));
        return 0;
    }

    /** The bare function back to back, batches of {@code rows}, on {@code concurrency} threads for one second. */
    private double ceiling(LatencyModel lat, int rows) throws InterruptedException {
        LongAdder done = new LongAdder();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < until) {
                    work(lat.latencyNanos(rows, 0, null));
                    done.add(rows);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return done.sum() / 1.0;
    }

    private void work(long nanos) {
        long until = System.nanoTime() + nanos;
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            if (spin) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(left);
            }
        }
    }

    private ArrivalProcess arrivalProcess() {
        return switch (arrivals) {
            case "poisson" -> ArrivalProcess.poisson(rate);
            case "constant" -> ArrivalProcess.constant(rate);
            default -> throw new IllegalArgumentException("--arrivals must be poisson or constant, was " + arrivals);
        };
    }

    private BatchPolicy newPolicy() {
        Duration slo = Duration.ofNanos(Math.round(sloMs * 1e6));
        return switch (policy) {
            case "none" -> BatchPolicy.none();
            case "fixed" -> BatchPolicy.fixed(maxBatch, Duration.ofNanos(Math.round(maxDelayMs * 1e6)));
            case "aimd" -> AimdPolicy.builder(slo).build();
            case "fit" -> LatencyFitPolicy.builder(slo).build();
            case "peak" -> PeakThroughputPolicy.builder(slo).executionShare(executionShare).build();
            default -> throw new IllegalArgumentException("--policy must be none, fixed, aimd, fit or peak, not " + policy);
        };
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        if (t.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
        }
        throw new IllegalArgumentException("cannot read duration '" + text + "'; use e.g. 10s, 500ms, 1m");
    }

    /** Supplier helper for the plots. */
    static Supplier<BatchPolicy> policyNamed(String name, int maxBatch, Duration delay, Duration slo) {
        return switch (name) {
            case "none" -> BatchPolicy::none;
            case "fixed" -> () -> BatchPolicy.fixed(maxBatch, delay);
            case "aimd" -> () -> BatchPolicy.aimd(slo);
            case "fit" -> () -> BatchPolicy.latencyFit(slo);
            case "peak" -> () -> BatchPolicy.peakThroughput(slo);
            default -> throw new IllegalArgumentException(name);
        };
    }
}
