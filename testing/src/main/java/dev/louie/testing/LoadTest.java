package dev.louie.testing;

import dev.louie.batching.simulation.ArrivalProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The load test of an API: requests at a rate (open loop) or from a number of users that each
 * wait for their answer (closed loop), for a duration; the answer is a {@link LoadReport}.
 *
 * <pre>{@code
 * LoadReport report = LoadTest.builder(LoadTarget.http(uri, "{\"x\":[1,2,3]}"))
 *         .users(50, 120)                      // 50 users calling 120 times a minute: 100 requests/s
 *         .duration(Duration.ofSeconds(60))
 *         .sloP99(Duration.ofMillis(50))       // stop early once a second's p99 is over 50 ms
 *         .onProgress(System.out::println)     // one line per second
 *         .build().run();
 * report.writePlot(Path.of("load.png"));
 * System.out.println(report.resultLine());
 * }</pre>
 *
 * <p><b>Latency is measured from each request's intended send time</b> in the open loop: the
 * arrival process fixes when each request should go out, whatever the server does; a request that
 * cannot go out in time (every connection is busy) still counts from its intended time. So a
 * stalled server shows in the percentiles, as with wrk2, instead of being hidden by a generator
 * that waits for it (coordinated omission). The closed loop is the naive measurement on purpose:
 * each user sends when its last answer came (plus the think time), which is how many clients
 * behave, and which hides stalls. Latencies are recorded in microseconds in an HdrHistogram
 * (3 significant digits).
 */
public final class LoadTest {
    private static final long MAX_LATENCY_MICROS = TimeUnit.HOURS.toMicros(1);

    private final LoadTarget target;
    private final ArrivalProcess arrivals;
    private final double offeredPerSecond;
    private final long seed;
    private final int users;
    private final Duration thinkTime;
    private final int connections;
    private final Duration duration;
    private final Duration requestTimeout;
    private final Duration sloP99;
    private final Consumer<LoadProgress> onProgress;

    private LoadTest(Builder b) {
        this.target = b.target;
        this.arrivals = b.arrivals;
        this.offeredPerSecond = b.offeredPerSecond;
        this.seed = b.seed;
        this.users = b.users;
        this.thinkTime = b.thinkTime;
        this.connections = b.connections > 0 ? b.connections : b.users > 0 ? b.users : 64;
        this.duration = b.duration;
        this.requestTimeout = b.requestTimeout;
        this.sloP99 = b.sloP99;
        this.onProgress = b.onProgress;
    }

    /** Starts configuring a load test of {@code target}. */
    public static Builder builder(LoadTarget target) {
        return new Builder(Objects.requireNonNull(target, "target"));
    }

    /** Whether this is a closed loop ({@link Builder#closedLoop}). */
    public boolean closedLoop() {
        return arrivals == null;
    }

    /**
     * Runs the test on the calling thread (plus one thread per second's report and, in the closed
     * loop, one per user) and returns when the duration is over (or the SLO broken) and every
     * request in flight is answered or timed out.
     */
    public LoadReport run() {
        Run run = new Run();
        Thread reporter = new Thread(run::reportEverySecond, "louie-load-report");
        reporter.setDaemon(true);
        run.start = System.nanoTime();
        reporter.start();
        try {
            if (closedLoop()) {
                run.runClosedLoop();
            } else {
                run.runOpenLoop();
            }
            run.drain();
        } finally {
            run.finished.set(true);
            LockSupport.unpark(reporter);
            try {
                reporter.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return run.result();
    }

    @Override
    public String toString() {
        return closedLoop()
                ? "LoadTest[closed loop, " + users + " users, think time " + thinkTime + ", " + duration + "]"
                : "LoadTest[open loop, " + offeredPerSecond + "/s, " + connections + " connections, " + duration + "]";
    }

    /** One execution: counters, the histograms, the per-second timeline. */
    private final class Run {
        final Recorder recorder = new Recorder(MAX_LATENCY_MICROS, 3);
        final Histogram total = new Histogram(MAX_LATENCY_MICROS, 3);
        final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        final LongAdder sent = new LongAdder();
        final LongAdder completed = new LongAdder();
        final LongAdder errors = new LongAdder();
        final AtomicLong lastCompletion = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicBoolean finished = new AtomicBoolean();
        final List<LoadProgress> timeline = new ArrayList<>();
        final Semaphore permits = new Semaphore(connections);
        volatile String sloBroken;
        long start;
        long end;

        void runOpenLoop() {
            long until = start + duration.toNanos();
            Random random = new Random(seed);
            long offset = 0;
            while (!stop.get()) {
                long intended = start + offset;
                if (intended - until >= 0) {
                    break;
                }
                parkUntil(intended);
                if (!acquire()) {
                    break;
                }
                send(intended, true);
                offset += arrivals.nextGapNanos(offset, random);
            }
            end = Math.min(System.nanoTime(), until);
        }

        void runClosedLoop() {
            long until = start + duration.toNanos();
            List<Thread> threads = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                Thread t = new Thread(() -> {
                    while (!stop.get() && System.nanoTime() - until < 0) {
                        long began = System.nanoTime();
                        CompletableFuture<Void> done = send(began, false);
                        try {
                            done.get(requestTimeout.toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        } catch (Exception e) {
                            // recorded by send's completion
                        }
                        if (!thinkTime.isZero()) {
                            parkUntil(Math.min(until, System.nanoTime() + thinkTime.toNanos()));
                        }
                    }
                }, "louie-load-user-" + (u + 1));
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                try {
                    t.join(duration.toMillis() + requestTimeout.toMillis() + 10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop.set(true);
                }
            }
            end = Math.min(System.nanoTime(), until);
        }

        boolean acquire() {
            try {
                while (!stop.get()) {
                    if (permits.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop.set(true);
            }
            return false;
        }

        CompletableFuture<Void> send(long from, boolean permit) {
            sent.increment();
            CompletableFuture<Integer> answer;
            try {
                answer = target.send();
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            return answer.orTimeout(requestTimeout.toNanos(), TimeUnit.NANOSECONDS).handle((status, failure) -> {
                long now = System.nanoTime();
                recorder.recordValue(Math.min(MAX_LATENCY_MICROS, Math.max(0, (now - from) / 1000)));
                lastCompletion.accumulateAndGet(now, Math::max);
                if (failure != null) {
                    Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    String name = cause instanceof java.util.concurrent.TimeoutException ? "timeout" : cause.getClass().getSimpleName();
                    failures.computeIfAbsent(name, k -> new LongAdder()).increment();
                    errors.increment();
                } else {
                    statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
                    if (status < 200 || status >= 300) {
                        errors.increment();
                    }
                }
                completed.increment();
                if (permit) {
                    permits.release();
                }
                return null;
            });
        }

        void drain() {
            if (closedLoop()) {
                return;
            }
            long deadline = System.nanoTime() + requestTimeout.toNanos() + TimeUnit.SECONDS.toNanos(2);
            try {
                while (permits.availablePermits() < connections && System.nanoTime() - deadline < 0) {
                    if (permits.tryAcquire(connections, 10, TimeUnit.MILLISECONDS)) {
                        permits.release(connections);
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private long lastSent;
        private long lastCompleted;
        private long lastErrors;
        private int second;
        private Histogram interval;

        /** The reporter thread: one {@link LoadProgress} a second, and the SLO check. */
        void reportEverySecond() {
            while (!finished.get()) {
                long next = start + TimeUnit.SECONDS.toNanos(second + 1);
                while (!finished.get() && System.nanoTime() - next < 0) {
                    LockSupport.parkNanos(next - System.nanoTime());
                }
                if (finished.get()) {
                    break;
                }
                tick();
            }
        }

        /** Closes one second (or the last part of one): its progress, into the total, the SLO check. */
        synchronized void tick() {
            second++;
            interval = recorder.getIntervalHistogram(interval);
            total.add(interval);
            long s = sent.sum();
            long c = completed.sum();
            long e = errors.sum();
            LoadProgress p = new LoadProgress(second, s - lastSent, c - lastCompleted, e - lastErrors, s - c,
                    ms(interval.getValueAtPercentile(50)), ms(interval.getValueAtPercentile(99)), ms(interval.getMaxValue()));
            lastSent = s;
            lastCompleted = c;
            lastErrors = e;
            timeline.add(p);
            if (onProgress != null) {
                onProgress.accept(p);
            }
            if (sloP99 != null && interval.getTotalCount() > 0 && interval.getValueAtPercentile(99) > sloP99.toNanos() / 1000) {
                if (sloBroken == null) {
                    sloBroken = String.format(java.util.Locale.ROOT, "p99 %.1f ms over the SLO of %d ms in second %d", p.p99Ms(), sloP99.toMillis(), second);
                }
                stop.set(true);
            }
        }

        synchronized LoadReport result() {
            if (completed.sum() > lastCompleted || sent.sum() > lastSent) {
                tick();  // the last, partial second
            }
            long last = lastCompletion.get();
            long elapsed = Math.max(end, last == 0 ? end : last) - start;
            Map<Integer, Long> byStatus = new java.util.TreeMap<>();
            statuses.forEach((k, v) -> byStatus.put(k, v.sum()));
            Map<String, Long> byFailure = new java.util.TreeMap<>();
            failures.forEach((k, v) -> byFailure.put(k, v.sum()));
            List<LoadProgress> seconds = List.copyOf(timeline);
            String broken = sloBroken;
            if (broken == null && sloP99 != null && total.getTotalCount() > 0 && total.getValueAtPercentile(99) > sloP99.toNanos() / 1000) {
                broken = String.format(java.util.Locale.ROOT, "p99 %.1f ms over the SLO of %d ms", ms(total.getValueAtPercentile(99)), sloP99.toMillis());
            }
            double seconds0 = Math.max(1e-9, (end - start) / 1e9);
            double offered = closedLoop() ? sent.sum() / seconds0 : offeredPerSecond;
            return new LoadReport(LoadTest.this.toString(), closedLoop(), offered, completed.sum() / Math.max(1e-9, elapsed / 1e9),
                    sent.sum(), completed.sum(), errors.sum(), total.copy(), byStatus, byFailure, seconds, Duration.ofNanos(elapsed),
                    broken, sloP99);
        }
    }

    /** Parks until {@code deadline} (System.nanoTime()); returns at once when it is past. */
    static void parkUntil(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    static double ms(long micros) {
        return micros / 1000.0;
    }

    /** Options of a {@link LoadTest}; {@link #build()} checks them and copies them. */
    public static final class Builder {
        final LoadTarget target;
        ArrivalProcess arrivals;
        double offeredPerSecond;
        long seed = 1;
        int users;
        Duration thinkTime = Duration.ZERO;
        int connections;
        Duration duration = Duration.ofSeconds(10);
        Duration requestTimeout = Duration.ofSeconds(30);
        Duration sloP99;
        Consumer<LoadProgress> onProgress;
        private final List<String> mode = new ArrayList<>();

        private Builder(LoadTarget target) {
            this.target = target;
        }

        /** Open loop: requests evenly spaced at {@code perSecond}. */
        public Builder constantRate(double perSecond) {
            mode.add("constantRate");
            this.offeredPerSecond = perSecond;
            this.arrivals = perSecond > 0 ? ArrivalProcess.constant(perSecond) : null;
            return this;
        }

        /** Open loop: Poisson arrivals (exponential gaps) with mean rate {@code perSecond}, reproducible from {@code seed}. */
        public Builder poissonRate(double perSecond, long seed) {
            mode.add("poissonRate");
            this.offeredPerSecond = perSecond;
            this.seed = seed;
            this.arrivals = perSecond > 0 ? ArrivalProcess.poisson(perSecond) : null;
            return this;
        }

        /**
         * Open loop: {@code n} users calling {@code callsPerMinute} times a minute each, that is
         * n·x/60 requests a second evenly spaced, on at most {@code n} connections.
         */
        public Builder users(int n, double callsPerMinute) {
            mode.add("users");
            this.users = n;
            this.offeredPerSecond = n * callsPerMinute / 60.0;
            this.arrivals = offeredPerSecond > 0 ? ArrivalProcess.constant(offeredPerSecond) : null;
            if (connections == 0 && n > 0) {
                this.connections = n;
            }
            return this;
        }

        /** Closed loop: {@code n} users, each sends, waits for the answer, waits {@code thinkTime}, and again. */
        public Builder closedLoop(int n, Duration thinkTime) {
            mode.add("closedLoop");
            this.users = n;
            this.thinkTime = thinkTime;
            this.arrivals = null;
            this.offeredPerSecond = 0;
            return this;
        }

        /** Open loop: requests in flight at most (the generator's connections); default the users, else 64. */
        public Builder connections(int value) {
            this.connections = value;
            return this;
        }

        /** How long requests are sent; default 10 s. */
        public Builder duration(Duration value) {
            this.duration = value;
            return this;
        }

        /** A request not answered within this is an error ({@code timeout}); default 30 s. */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        /** Stops the test after the first second whose p99 is over {@code value}; default none. */
        public Builder sloP99(Duration value) {
            this.sloP99 = value;
            return this;
        }

        /** Called once a second, on the reporting thread, with that second's figures. */
        public Builder onProgress(Consumer<LoadProgress> listener) {
            this.onProgress = listener;
            return this;
        }

        /**
         * Checks the options and returns the test.
         *
         * @throws IllegalArgumentException naming every invalid option
         */
        public LoadTest build() {
            List<String> problems = new ArrayList<>();
            if (mode.isEmpty()) {
                problems.add("a load must be chosen: constantRate, poissonRate, users or closedLoop, not none");
            } else if (mode.size() > 1) {
                problems.add("one load must be chosen, not " + String.join(" and ", mode));
            } else if (mode.get(0).equals("closedLoop")) {
                if (users < 1) {
                    problems.add("users must be >= 1, not " + users);
                }
                if (thinkTime == null || thinkTime.isNegative()) {
                    problems.add("thinkTime must be >= 0, not " + thinkTime);
                }
            } else {
                if (!(offeredPerSecond > 0) || Double.isInfinite(offeredPerSecond)) {
                    problems.add("rate must be > 0 requests per second, not " + offeredPerSecond);
                }
                if (mode.get(0).equals("users") && users < 1) {
                    problems.add("users must be >= 1, not " + users);
                }
            }
            if (connections < 0 || connections > 100_000) {
                problems.add("connections must be in [1, 100000], not " + connections);
            }
            if (duration == null || duration.isNegative() || duration.isZero()) {
                problems.add("duration must be > 0, not " + duration);
            }
            if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
                problems.add("requestTimeout must be > 0, not " + requestTimeout);
            }
            if (sloP99 != null && (sloP99.isNegative() || sloP99.isZero())) {
                problems.add("sloP99 must be > 0, not " + sloP99);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("LoadTest: " + String.join("; ", problems));
            }
            return new LoadTest(this);
        }
    }
}
