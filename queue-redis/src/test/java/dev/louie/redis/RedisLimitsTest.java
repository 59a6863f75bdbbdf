package dev.louie.redis;

import dev.louie.core.LimitsTest;
import dev.louie.core.storage.Storage;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Core's consumer tests of rate and concurrency limits, on Redis; each test its own namespace. */
class RedisLimitsTest extends LimitsTest {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @Override
    protected Storage createStorage(Clock clock) {
        return RedisStorage.builder(REDIS.uri()).namespace("lt-" + UUID.randomUUID().toString().substring(0, 8)).clock(clock).build();
    }
}
