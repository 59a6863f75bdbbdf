package dev.louie.redis;

import dev.louie.core.storage.LimitConformanceTest;
import dev.louie.core.storage.Storage;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Core's limit conformance suite on Redis 6.2 (the oldest supported), from the embedded-redis binary. */
class EmbeddedRedis62LimitConformanceTest extends LimitConformanceTest {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.embedded();

    private final String app = "limits62-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected Storage createStorage(Clock clock) {
        return RedisStorage.builder(REDIS.uri()).namespace(app).clock(clock).build();
    }
}
