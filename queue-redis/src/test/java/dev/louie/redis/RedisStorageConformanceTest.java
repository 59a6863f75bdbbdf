package dev.louie.redis;

import dev.louie.core.storage.Storage;
import dev.louie.core.storage.StorageConformanceTest;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Core's conformance suite against a Redis from {@link RedisServerExtension#create()} (Redis 7 in CI). */
class RedisStorageConformanceTest extends StorageConformanceTest {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    private final String app = "conf-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected Storage createStorage(Clock clock) {
        return RedisStorage.builder(REDIS.uri()).namespace(app).clock(clock).build();
    }

    /**
     * Queue times (etas, leases) follow the storage's clock, but result and lock TTLs run on the
     * server's clock: short moves (the suite's TTL checks) also wait for real time to pass.
     */
    @Override
    protected void advance(Duration duration) throws Exception {
        super.advance(duration);
        if (duration.compareTo(Duration.ofSeconds(1)) <= 0) {
            Thread.sleep(duration.toMillis());
        }
    }
}
