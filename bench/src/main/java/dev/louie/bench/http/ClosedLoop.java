package dev.louie.bench.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * Closed-loop load: each client thread sends its next request when the previous one is answered,
 * for a warm-up and then a measured time, recording the latency of each answered request and
 * counting errors (exceptions and unexpected statuses) separately.
 */
final class ClosedLoop {
    /** One client's request; returns the status (200 for in-process work that succeeded). */
    @FunctionalInterface
    interface Request {
        int send() throws Exception;
    }

    /** What a run measured. */
    record Outcome(double perSecond, double p50Ms, double p99Ms, double maxMs, long requests, long errors, String firstError) {
    }

    private ClosedLoop() {
    }

    /** Runs {@code clients} clients, each with the request {@code client.apply(i)} makes, expecting {@code expected}. */
    static Outcome run(int clients, IntFunction<Request> client, int expected, long warmNanos, long runNanos) throws InterruptedException {
        ConcurrentHistogram latencies = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(120), 3);
        LongAdder done = new LongAdder();
        LongAdder errors = new LongAdder();
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Request r = client.apply(c);
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    long start = System.nanoTime();
                    try {
                        int status = r.send();
                        if (status != expected) {
                            throw new IllegalStateException("status " + status);
                        }
                        if (measuring.get()) {
                            latencies.recordValue(System.nanoTime() - start);
                            done.increment();
                        }
                    } catch (Exception e) {
                        if (measuring.get()) {
                            errors.increment();
                            firstError.compareAndSet(null, e.toString());
                        }
                    }
                }
                if (r instanceof AutoCloseable closeable) {
                    try {
                        closeable.close();
                    } catch (Exception ignored) {
                        // the run is over
                    }
                }
            }, "bench-client-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        TimeUnit.NANOSECONDS.sleep(warmNanos);
        measuring.set(true);
        long started = System.nanoTime();
        TimeUnit.NANOSECONDS.sleep(runNanos);
        measuring.set(false);
        long elapsed = System.nanoTime() - started;
        stop.set(true);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(70));
        }
        return new Outcome(done.sum() / (elapsed / 1e9), latencies.getValueAtPercentile(50) / 1e6,
                latencies.getValueAtPercentile(99) / 1e6, latencies.getMaxValue() / 1e6, done.sum(), errors.sum(), firstError.get());
    }
}
