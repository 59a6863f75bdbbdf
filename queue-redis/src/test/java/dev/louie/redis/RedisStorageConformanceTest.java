package dev.louie.redis;

import dev.louie.core.storage.Storage;
import dev.louie.core.storage.StorageConformanceTest;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Core's conformance suite against a Redis from {@link RedisServerExtension#create()} (Redis 7 in CI). */
class RedisStorageConformanceTest extends ServerClockConformanceTest {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    private final String app = "conf-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected Storage createStorage(Clock clock) {
        return RedisStorage.builder(REDIS.uri()).namespace(app).clock(clock).build();
    }
}
