package dev.louie.redis;

import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.Lease;
import dev.louie.core.storage.StorageException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A child JVM for the multi-process tests, working at storage level.
 *
 * <pre>
 * produce URI APP QUEUE FROM COUNT            enqueue ids t{FROM}..t{FROM+COUNT-1}
 * consume URI APP QUEUE LEASE_MS THREADS OUT [WORK_MS]
 *         dequeue (max 32) and complete with a result until the counter "stop" is set;
 *         the ids whose complete returned true are appended to OUT (one file per thread)
 * </pre>
 *
 * A consumer never exits on a storage failure: it backs off (100 ms doubling to 1 s) and resumes.
 */
public final class StorageWorkerMain {

    private StorageWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        String uri = args[1];
        String app = args[2];
        String queue = args[3];
        try (RedisStorage storage = RedisStorage.forUri(uri).namespace(app).commandTimeout(Duration.ofSeconds(2)).build()) {
            if (args[0].equals("produce")) {
                produce(storage, queue, Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            } else {
                consume(storage, queue, Duration.ofMillis(Long.parseLong(args[4])), Integer.parseInt(args[5]),
                        Path.of(args[6]), args.length > 7 ? Long.parseLong(args[7]) : 0);
            }
        }
        System.out.println("DONE " + args[0]);
    }

    private static void produce(RedisStorage storage, String queue, int from, int count) {
        List<Envelope> batch = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            batch.add(Envelope.of("t" + i, 0, ("payload-" + i).getBytes(StandardCharsets.UTF_8)));
            if (batch.size() == 1000) {
                storage.enqueueAll(queue, batch);
                batch.clear();
            }
        }
        storage.enqueueAll(queue, batch);
    }

    private static void consume(RedisStorage storage, String queue, Duration lease, int threads, Path out, long workMs)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Path file = out.resolveSibling(out.getFileName() + "." + t);
            Thread worker = new Thread(() -> work(storage, queue, lease, file, workMs, stop), "worker-" + t);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
    }

    private static void work(RedisStorage storage, String queue, Duration lease, Path file, long workMs, AtomicBoolean stop) {
        long backoff = 100;
        try (BufferedWriter writer = Files.newBufferedWriter(file)) {
            while (!stop.get()) {
                try {
                    List<Lease> leases = storage.dequeue(queue, 32, lease);
                    if (leases.isEmpty()) {
                        if (storage.increment("stop", 0) > 0) {
                            stop.set(true);
                            break;
                        }
                        storage.awaitMessages(queue, Duration.ofMillis(200));
                        continue;
                    }
                    for (Lease l : leases) {
                        if (workMs > 0) {
                            Thread.sleep(workMs);
                        }
                        if (storage.complete(l, l.id(), ("done-" + l.id()).getBytes(StandardCharsets.UTF_8), null)) {
                            writer.write(l.id());
                            writer.newLine();
                        }
                    }
                    writer.flush();
                    backoff = 100;
                } catch (StorageException e) {
                    System.out.println("storage failure, backing off " + backoff + " ms: " + e.getMessage());
                    writer.flush();
                    Thread.sleep(backoff);
                    backoff = Math.min(1000, backoff * 2);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
