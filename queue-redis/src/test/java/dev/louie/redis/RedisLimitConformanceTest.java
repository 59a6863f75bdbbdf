package dev.louie.redis;

import dev.louie.core.storage.LimitConformanceTest;
import dev.louie.core.storage.Storage;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Core's limit conformance suite against a Redis from {@link RedisServerExtension#create()}; each test its own namespace. */
class RedisLimitConformanceTest extends LimitConformanceTest {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    private final String app = "limits-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected Storage createStorage(Clock clock) {
        return RedisStorage.builder(REDIS.uri()).namespace(app).clock(clock).build();
    }
}
