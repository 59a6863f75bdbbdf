package dev.louie.redis;

import dev.louie.core.storage.Storage;
import dev.louie.core.storage.StorageConformanceTest;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Core's conformance suite on a real local Redis Cluster of three masters ({@link RedisClusterExtension}). */
class RedisClusterConformanceIT extends StorageConformanceTest {

    @RegisterExtension
    static final RedisClusterExtension CLUSTER = RedisClusterExtension.create();

    private final String app = "cconf-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected Storage createStorage(Clock clock) {
        return RedisStorage.cluster(CLUSTER.uris()).namespace(app).clock(clock).build();
    }

    /** Result and lock TTLs run on the servers' clocks: short moves also wait for real time to pass. */
    @Override
    protected void advance(Duration duration) throws Exception {
        super.advance(duration);
        if (duration.compareTo(Duration.ofSeconds(1)) <= 0) {
            Thread.sleep(duration.toMillis());
        }
    }
}
