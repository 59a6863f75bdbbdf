package dev.louie.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real threads and real time; no sleeps, every wait bounded. */
@Timeout(20)
class BatcherThreadsTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void concurrencyRunsUpToNBatchesAtOnceAndNoMore(int n) throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Batcher<Integer, Integer> b = Batcher.<Integer, Integer>builder(in -> {
                    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } finally {
                        running.decrementAndGet();
                    }
                    return in;
                })
                .policy(BatchPolicy.none())
                .concurrency(n)
                .name("conc" + n)
                .build();
        try {
            List<CompletableFuture<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 2 * n + 1; i++) {
                fs.add(b.submit(i));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> running.get() == n);
            assertThat(b.inFlight()).isEqualTo(n);
            assertThat(b.queueDepth()).isEqualTo(n + 1);
            release.countDown();
            CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).get(5, TimeUnit.SECONDS);
            assertThat(maxRunning.get()).isEqualTo(n);
        } finally {
            release.countDown();
            b.close();
        }
    }

    @Test
    void manySubmittersGetTheirOwnOutputs() throws Exception {
        BatcherStats stats = new BatcherStats();
        Batcher<Integer, String> b = Batcher.<Integer, String>builder(
                        in -> in.stream().map(x -> "y" + x).collect(Collectors.toList()))
                .policy(BatchPolicy.fixed(16, Duration.ofMillis(1)))
                .listener(stats)
                .concurrency(2)
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Boolean>> checks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int base = t * 10_000;
                checks.add(CompletableFuture.supplyAsync(() -> {
                    List<CompletableFuture<String>> fs = new ArrayList<>();
                    for (int i = 0; i < 2_000; i++) {
                        fs.add(b.submit(base + i));
                    }
                    for (int i = 0; i < fs.size(); i++) {
                        if (!fs.get(i).join().equals("y" + (base + i))) {
                            return false;
                        }
                    }
                    return true;
                }, pool));
            }
            for (CompletableFuture<Boolean> c : checks) {
                assertThat(c.get(10, TimeUnit.SECONDS)).isTrue();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> stats.snapshot().requests() == 8_000);
            assertThat(stats.snapshot().meanBatchRows()).isGreaterThan(1.0);
        } finally {
            pool.shutdownNow();
            b.close();
        }
    }

    @Test
    void closeFinishesQueuedWorkAndStopsItsThreads() {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Batcher<Integer, Integer> b = Batcher.<Integer, Integer>builder(in -> {
                    started.countDown();
                    release.await(10, TimeUnit.SECONDS);
                    return in;
                })
                .policy(BatchPolicy.fixed(100, Duration.ofHours(1)))
                .name("closing")
                .build();
        CompletableFuture<Integer> f1 = b.submit(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> threadsNamed("louie-batcher-closing-timer") == 1);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(b::close);
        await().atMost(Duration.ofSeconds(5)).until(() -> started.getCount() == 0);
        assertThat(closing).isNotDone(); // waits for the running batch
        release.countDown();
        closing.orTimeout(5, TimeUnit.SECONDS).join();
        assertThat(f1).isCompletedWithValue(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> threadsNamed("louie-batcher-closing-") == 0);
    }

    private static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }
}
