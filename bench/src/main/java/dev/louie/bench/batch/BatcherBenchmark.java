package dev.louie.bench.batch;

import dev.louie.batching.BatchPolicy;
import dev.louie.batching.Batcher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The batcher's own cost: {@code submit → complete} through a no-op batch function, from 1 and 4
 * submitting threads. Each operation submits {@value #BURST} requests and waits for all of them,
 * so batches fill and go at once (fixed(64, 1 ms)); the score is requests per second.
 * Goal on the 2-core machines: at least 1,000,000 requests/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BatcherBenchmark {
    static final int BURST = 64;

    Batcher<Integer, Integer> batcher;

    @Setup(Level.Trial)
    public void setUp() {
        batcher = Batcher.<Integer, Integer>builder(in -> in)
                .policy(BatchPolicy.fixed(64, Duration.ofMillis(1)))
                .maxQueueSize(100_000)
                .name("jmh")
                .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        batcher.close();
    }

    @SuppressWarnings("unchecked")
    private void burst(Blackhole bh) {
        CompletableFuture<Integer>[] fs = new CompletableFuture[BURST];
        for (int i = 0; i < BURST; i++) {
            fs[i] = batcher.submit(i);
        }
        for (CompletableFuture<Integer> f : fs) {
            bh.consume(f.join());
        }
    }

    /** One submitting thread. */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BURST)
    public void submitComplete1Thread(Blackhole bh) {
        burst(bh);
    }

    /** Four submitting threads sharing one batcher. */
    @Benchmark
    @Threads(4)
    @OperationsPerInvocation(BURST)
    public void submitComplete4Threads(Blackhole bh) {
        burst(bh);
    }

    /** The same requests without a batcher: completing 64 futures in a loop (the floor). */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BURST)
    public void ceilingFuturesOnly(Blackhole bh) {
        List<Integer> out = List.of(0);
        for (int i = 0; i < BURST; i++) {
            CompletableFuture<Integer> f = new CompletableFuture<>();
            f.complete(out.get(0));
            bh.consume(f.join());
        }
    }
}
