package dev.louie.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.Lease;
import dev.louie.core.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis stopped for longer than the lease time while workers dequeue: when it is back, no lease
 * handed out is already expired and no message is held by two leases at once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisOutageIT {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create().appendOnly();

    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration OUTAGE = LEASE.plusSeconds(2);

    /** One lease as a worker received it: when (this host's clock) and until when. */
    private record Held(String id, String token, long receivedAt, long deadline) {
    }

    @Test
    void afterAnOutageLongerThanTheLeaseNoLeaseIsExpiredOnArrivalOrHeldTwice() throws Exception {
        int messages = 3000;
        // a command timeout longer than the outage: a command that waited through it would still run
        try (RedisStorage storage = RedisStorage.builder(REDIS.uri()).namespace("outage")
                .commandTimeout(Duration.ofSeconds(10)).connectTimeout(Duration.ofSeconds(1)).build()) {
            storage.flush();
            List<Envelope> batch = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                batch.add(Envelope.of("m" + i, 0, ("p" + i).getBytes(StandardCharsets.UTF_8)));
            }
            storage.enqueueAll("q", batch);

            Queue<Held> held = new ConcurrentLinkedQueue<>();
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger completed = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Thread worker = new Thread(() -> work(storage, held, failures, completed, stop), "outage-worker-" + t);
                worker.start();
                workers.add(worker);
            }
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> completed.get() >= 50);
                REDIS.stop();
                long stoppedAt = System.nanoTime();
                // the outage itself: longer than the lease, whatever the workers do meanwhile
                await().atMost(OUTAGE.plusSeconds(5)).pollInterval(Duration.ofMillis(50))
                        .until(() -> System.nanoTime() - stoppedAt >= OUTAGE.toNanos());
                REDIS.start();
                // results, not replies, count: a completion whose reply the stop cut off is stored all the same
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                        .until(() -> storage.resultCount() == messages);
            } finally {
                stop.set(true);
                for (Thread worker : workers) {
                    worker.join(TimeUnit.SECONDS.toMillis(20));
                }
            }

            assertThat(held).allSatisfy(h -> assertThat(h.deadline()).as("deadline of %s on arrival at %d", h, h.receivedAt())
                    .isGreaterThan(h.receivedAt()));
            Map<String, List<Held>> byId = held.stream().collect(Collectors.groupingBy(Held::id));
            for (List<Held> leases : byId.values()) {
                leases.sort(Comparator.comparingLong(Held::receivedAt));
                for (int i = 1; i < leases.size(); i++) {
                    assertThat(leases.get(i).receivedAt()).as("%s taken while %s still held it", leases.get(i), leases.get(i - 1))
                            .isGreaterThanOrEqualTo(leases.get(i - 1).deadline());
                }
            }
            assertThat(storage.queueSize("q")).isZero();
            assertThat(storage.deadLetterCount("q")).isZero();
            assertThat(storage.leasedCount("q")).isZero();
        }
    }

    /**
     * Takes one message at a time, "runs" it for 5 ms and completes it; backs off 50 ms on a storage
     * failure. Short tasks keep about half the workers inside a dequeue when Redis stops.
     */
    private static void work(RedisStorage storage, Queue<Held> held, AtomicInteger failures, AtomicInteger completed,
            AtomicBoolean stop) {
        while (!stop.get()) {
            try {
                List<Lease> leases = storage.dequeue("q", 1, LEASE);
                long receivedAt = System.currentTimeMillis();
                if (leases.isEmpty()) {
                    storage.awaitMessages("q", Duration.ofMillis(100));
                    continue;
                }
                for (Lease lease : leases) {
                    held.add(new Held(lease.id(), lease.token(), receivedAt, lease.deadline().toEpochMilli()));
                    Thread.sleep(5); // the task
                    if (storage.complete(lease, lease.id(), new byte[] {1}, null)) {
                        completed.incrementAndGet();
                    }
                }
            } catch (StorageException e) {
                failures.incrementAndGet();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
