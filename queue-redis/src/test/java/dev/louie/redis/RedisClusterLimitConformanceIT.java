package dev.louie.redis;

import dev.louie.core.storage.LimitConformanceTest;
import dev.louie.core.storage.Storage;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Core's limit conformance suite on a real local Redis Cluster of three masters: each limit's script touches one slot. */
class RedisClusterLimitConformanceIT extends LimitConformanceTest {

    @RegisterExtension
    static final RedisClusterExtension CLUSTER = RedisClusterExtension.create();

    private final String app = "climits-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected Storage createStorage(Clock clock) {
        return RedisStorage.cluster(CLUSTER.uris()).namespace(app).clock(clock).build();
    }
}
