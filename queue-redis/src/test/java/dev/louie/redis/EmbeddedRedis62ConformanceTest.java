package dev.louie.redis;

import dev.louie.core.storage.Storage;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The conformance suite against the Redis 6.2 binary of embedded-redis: the oldest server RedisStorage supports. */
class EmbeddedRedis62ConformanceTest extends ServerClockConformanceTest {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.embedded();

    @Override
    protected Storage createStorage(Clock clock) {
        return RedisStorage.builder(REDIS.uri()).namespace("embedded62").clock(clock).build();
    }
}
