package dev.louie.redis;

import dev.louie.core.storage.ExchangeConformanceTest;
import dev.louie.core.storage.Storage;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Core's exchange conformance suite against a Redis from {@link RedisServerExtension#create()}; each test its own namespace. */
class RedisExchangeConformanceTest extends ExchangeConformanceTest {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    private final String app = "exch-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected Storage createStorage(Clock clock) {
        return RedisStorage.builder(REDIS.uri()).namespace(app).clock(clock).build();
    }
}
