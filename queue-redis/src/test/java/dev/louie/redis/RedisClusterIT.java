package dev.louie.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.Lease;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What is particular to a Redis Cluster: queues spread over masters, sharded notifications, scans of every master. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisClusterIT {

    @RegisterExtension
    static final RedisClusterExtension CLUSTER = RedisClusterExtension.create();

    private RedisStorage storage;
    private final RedisKeys keys = new RedisKeys("spread");

    @BeforeEach
    void open() {
        storage = RedisStorage.cluster(CLUSTER.uris()).namespace("spread").build();
        storage.flush();
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void queuesSpreadOverTheMastersAndAreListedFromAll() throws Exception {
        Set<Integer> masters = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 24; i++) {
            String q = "q" + i;
            names.add(q);
            storage.enqueue(q, Envelope.of("m" + i, 0, bytes("x")));
            masters.add(CLUSTER.masterOf(SlotHash.getSlot(keys.queue(q)[RedisKeys.READY])));
        }
        assertThat(masters).hasSize(3);
        assertThat(storage.queues()).containsAll(names);
        for (int i = 0; i < 24; i++) {
            assertThat(storage.queueSize("q" + i)).isEqualTo(1);
        }
        storage.flush();
        assertThat(storage.queues()).isEmpty();
    }

    @Test
    void resultsSpreadOverTheMastersAndAreCountedAndFlushedOnAll() throws Exception {
        Set<Integer> masters = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            storage.enqueue("jobs", Envelope.of("r" + i, 0, bytes("x")));
            masters.add(CLUSTER.masterOf(SlotHash.getSlot(keys.result("r" + i))));
        }
        List<Lease> leases = storage.dequeue("jobs", 30, Duration.ofSeconds(30));
        assertThat(leases).hasSize(30);
        for (Lease l : leases) {
            assertThat(storage.complete(l, l.id(), bytes("done-" + l.id()), null)).isTrue();
        }
        assertThat(masters).hasSize(3);
        assertThat(storage.resultCount()).isEqualTo(30);
        assertThat(storage.getResult("r7", false)).hasValueSatisfying(v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("done-r7"));
        storage.flush();
        assertThat(storage.resultCount()).isZero();
    }

    @Test
    void aWakeUpArrivesLongBeforeTheWaitTimesOut() throws Exception {
        try (RedisStorage other = RedisStorage.cluster(CLUSTER.uris()).namespace("spread").build()) {
            CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() -> {
                long start = System.nanoTime();
                try {
                    storage.awaitMessages("wake", Duration.ofSeconds(20));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            });
            // the waiter subscribes before it reads the queue's size; enqueue until it has been woken
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                other.enqueue("wake", Envelope.of("w" + System.nanoTime(), 0, bytes("x")));
                while (other.dequeue("wake", 10, Duration.ofSeconds(30)).size() > 0) {
                    // empty it, so the next enqueue publishes again
                }
                return waited.isDone();
            });
            assertThat(waited.get()).isLessThan(10_000);
        }
    }

    @Test
    void aWatchedResultIsToldByItsNotificationNotByTheRereadOnly() throws Exception {
        storage.enqueue("jobs", Envelope.of("watched", 0, bytes("x")));
        Lease lease = storage.dequeue("jobs", 1, Duration.ofSeconds(30)).get(0);
        CompletableFuture<byte[]> told = new CompletableFuture<>();
        try (AutoCloseable watch = storage.watchResult("watched", told::complete)) {
            // the subscription is confirmed by a read of the key: give it the time of a few round trips
            await().atMost(Duration.ofSeconds(5)).until(() -> storage.isWatched("watched"));
            Thread.sleep(200);
            long start = System.nanoTime();
            assertThat(storage.complete(lease, "watched", bytes("42"), null)).isTrue();
            byte[] value = told.get(5, TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(new String(value, StandardCharsets.UTF_8)).isEqualTo("42");
            // the watch started about 0.2 s before the complete and the re-read runs a second after it: a
            // notification arrives within milliseconds, the re-read only some 0.8 s later
            assertThat(ms).isLessThan(600);
        }
    }
}
