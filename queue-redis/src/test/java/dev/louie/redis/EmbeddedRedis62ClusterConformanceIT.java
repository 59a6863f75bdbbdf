package dev.louie.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.louie.core.storage.Storage;
import java.time.Clock;
import java.time.Duration;
import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.Lease;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Core's conformance suite on a local Redis 6.2 Cluster ({@link RedisClusterExtension#embedded62()}):
 * no sharded pub/sub there, so notifications go by PUBLISH and SUBSCRIBE across the cluster.
 */
class EmbeddedRedis62ClusterConformanceIT extends ServerClockConformanceTest {

    @RegisterExtension
    static final RedisClusterExtension CLUSTER = RedisClusterExtension.embedded62();

    private final String app = "c62-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected Storage createStorage(Clock clock) {
        return RedisStorage.cluster(CLUSTER.uris()).namespace(app).clock(clock).build();
    }

    @Test
    void aResultNotificationCrossesTheClusterByPublish() throws Exception {
        RedisStorage redis = (RedisStorage) storage;
        redis.enqueue(Q, Envelope.of("watched", 0, "x".getBytes(StandardCharsets.UTF_8)));
        Lease lease = redis.dequeue(Q, 1, LEASE).get(0);
        CompletableFuture<byte[]> told = new CompletableFuture<>();
        try (AutoCloseable watch = redis.watchResult("watched", told::complete)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> redis.isWatched("watched"));
            Thread.sleep(200);
            long start = System.nanoTime();
            assertThat(redis.complete(lease, "watched", "42".getBytes(StandardCharsets.UTF_8), null)).isTrue();
            assertThat(new String(told.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("42");
            // the once-a-second re-read would come some 0.8 s later
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(600);
        }
    }
}
