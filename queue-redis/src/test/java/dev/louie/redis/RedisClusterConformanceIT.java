package dev.louie.redis;

import dev.louie.core.storage.Storage;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Core's conformance suite on a real local Redis Cluster of three masters ({@link RedisClusterExtension}). */
class RedisClusterConformanceIT extends ServerClockConformanceTest {

    @RegisterExtension
    static final RedisClusterExtension CLUSTER = RedisClusterExtension.create();

    private final String app = "cconf-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected Storage createStorage(Clock clock) {
        return RedisStorage.cluster(CLUSTER.uris()).namespace(app).clock(clock).build();
    }
}
