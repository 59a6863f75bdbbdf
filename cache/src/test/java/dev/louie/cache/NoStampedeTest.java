package dev.louie.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Concurrent identical lookups compute once; the others wait for that value or that exception. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NoStampedeTest {
    static final int CALLERS = 16;
    final ExecutorService pool = Executors.newFixedThreadPool(CALLERS);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /**
     * Whether {@code t} is parked in {@code CompletableFuture.get} or {@code join}: the callers run
     * nothing but {@code cache.get}, so it is waiting for another caller's compute.
     */
    private static boolean waitsForTheCompute(Thread t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().equals(CompletableFuture.class.getName())
                    && (frame.getMethodName().equals("get") || frame.getMethodName().equals("join"))) {
                return true;
            }
        }
        return false;
    }

    private static long waitingForTheCompute(Collection<Thread> threads) {
        return threads.stream().filter(NoStampedeTest::waitsForTheCompute).count();
    }

    @Test
    void concurrentCallersOfOneKeyComputeOnce() throws Exception {
        LouieCache<String, String> cache = LouieCache.<String, String>builder("stampede").build();
        AtomicInteger computes = new AtomicInteger();
        AtomicInteger arrived = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch start = new CountDownLatch(1);
        Set<Thread> callers = ConcurrentHashMap.newKeySet();
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            results.add(pool.submit(() -> {
                callers.add(Thread.currentThread());
                start.await();
                arrived.incrementAndGet();
                return cache.get("k", k -> {
                    computes.incrementAndGet();
                    try {
                        release.await(10, TimeUnit.SECONDS);   // slow compute: everyone else arrives meanwhile
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "value";
                });
            }));
        }
        start.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> arrived.get() == CALLERS);
        await().atMost(Duration.ofSeconds(10)).until(() -> computes.get() == 1);
        // the others are parked on the one compute's future, not computing: no second compute can start now
        await("the other callers wait for the one compute").atMost(Duration.ofSeconds(10))
                .until(() -> waitingForTheCompute(callers) == CALLERS - 1);
        release.countDown();
        for (Future<String> f : results) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("value");
        }
        assertThat(computes).hasValue(1);
        CacheStats s = cache.stats();
        assertThat(s.loads()).isEqualTo(1);
        assertThat(s.hits() + s.misses()).isEqualTo(CALLERS);
    }

    @Test
    void waitersShareTheFailureButTheNextCallComputesAgain() throws Exception {
        LouieCache<String, String> cache = LouieCache.<String, String>builder("stampede").build();
        AtomicInteger computes = new AtomicInteger();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Throwable> first = pool.submit(() -> failing(cache, computes, inside, release));
        inside.await(10, TimeUnit.SECONDS);
        Set<Thread> waiters = ConcurrentHashMap.newKeySet();
        List<Future<Throwable>> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            others.add(pool.submit(() -> {
                waiters.add(Thread.currentThread());
                return failing(cache, computes, inside, release);
            }));
        }
        await("the others wait for the first compute").atMost(Duration.ofSeconds(10))
                .until(() -> waitingForTheCompute(waiters) == 4);
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).hasMessage("boom");
        for (Future<Throwable> f : others) {
            assertThat(f.get(10, TimeUnit.SECONDS)).hasMessage("boom");
        }
        assertThat(computes).hasValue(1);
        assertThat(cache.get("k", k -> "ok")).isEqualTo("ok");
    }

    private static Throwable failing(LouieCache<String, String> cache, AtomicInteger computes, CountDownLatch inside,
                                     CountDownLatch release) {
        try {
            cache.get("k", k -> {
                computes.incrementAndGet();
                inside.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("boom");
            });
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Test
    void aWaiterCanBeInterrupted() throws Exception {
        LouieCache<String, String> cache = LouieCache.<String, String>builder("stampede").build();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        pool.submit(() -> cache.get("k", k -> {
            inside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "v";
        }));
        inside.await(10, TimeUnit.SECONDS);
        Thread waiter = Thread.currentThread();
        pool.submit(() -> {
            await("the test thread waits for the compute").atMost(Duration.ofSeconds(10))
                    .until(() -> waitsForTheCompute(waiter));
            waiter.interrupt();
            return null;
        });
        try {
            cache.get("k", k -> "other");
            throw new AssertionError("expected an interrupt");
        } catch (java.util.concurrent.CompletionException e) {
            assertThat(e).hasCauseInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).isTrue();
        } finally {
            release.countDown();
        }
    }
}
