package dev.louie.sqlite;

import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.Lease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not a test: a throwaway measurement of the storage alone, used for docs/sqlite.md until the
 * bench command exists. {@code java -cp <test classpath> dev.louie.sqlite.SqliteThroughput [tasks] [workers] [batch]}
 */
public final class SqliteThroughput {
    private SqliteThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Path dir = Files.createTempDirectory("louie-sqlite-bench");
        byte[] body = new byte[64];
        try (SqliteStorage storage = SqliteStorage.file(dir.resolve("bench.db"))) {
            // enqueue, one thread, one message per call
            long start = System.nanoTime();
            for (int i = 0; i < tasks; i++) {
                storage.enqueue("default", Envelope.of("t" + i, 0, body));
            }
            double enqueuePerS = tasks / ((System.nanoTime() - start) / 1e9);

            // drain
            AtomicInteger done = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                        List<Lease> leases;
                        while (!(leases = storage.dequeue("default", batch, Duration.ofSeconds(30))).isEmpty()) {
                            for (Lease lease : leases) {
                                storage.complete(lease, lease.id(), body, Duration.ofMinutes(5));
                                done.incrementAndGet();
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                t.start();
                threads.add(t);
            }
            start = System.nanoTime();
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            double drainPerS = done.get() / ((System.nanoTime() - start) / 1e9);

            // idle round trip: a waiting consumer thread, enqueue -> dequeue -> complete -> watchResult
            Thread consumer = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        List<Lease> leases = storage.dequeue("rt", 1, Duration.ofSeconds(30));
                        if (leases.isEmpty()) {
                            storage.awaitMessages("rt", Duration.ofSeconds(1));
                            continue;
                        }
                        storage.complete(leases.get(0), leases.get(0).id(), body, Duration.ofMinutes(5));
                    }
                } catch (InterruptedException | RuntimeException e) {
                    // stop
                }
            });
            consumer.start();
            Thread.sleep(200);
            long[] rt = new long[200];
            for (int i = 0; i < rt.length; i++) {
                long t0 = System.nanoTime();
                java.util.concurrent.CompletableFuture<byte[]> stored = new java.util.concurrent.CompletableFuture<>();
                try (AutoCloseable watch = storage.watchResult("rt" + i, stored::complete)) {
                    storage.enqueue("rt", Envelope.of("rt" + i, 0, body));
                    stored.get(10, java.util.concurrent.TimeUnit.SECONDS);
                }
                rt[i] = System.nanoTime() - t0;
                Thread.sleep(5);
            }
            consumer.interrupt();
            consumer.join();
            java.util.Arrays.sort(rt);
            System.out.printf("RESULT tasks=%d workers=%d batch=%d enqueue_per_s=%.0f drain_per_s=%.0f rt_p50_ms=%.2f rt_p99_ms=%.2f%n",
                    tasks, workers, batch, enqueuePerS, drainPerS, rt[rt.length / 2] / 1e6, rt[rt.length * 99 / 100] / 1e6);
        }
    }
}
