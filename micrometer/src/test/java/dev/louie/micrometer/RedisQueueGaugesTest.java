package dev.louie.micrometer;

import dev.louie.core.storage.Storage;
import dev.louie.redis.RedisServerExtension;
import dev.louie.redis.RedisStorage;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The gauges over a real Redis server (from the queue-redis test extension). */
class RedisQueueGaugesTest extends QueueGaugesContract {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @Override
    Storage createStorage(Clock clock) {
        return RedisStorage.builder(REDIS.uri()).namespace("gauges-" + UUID.randomUUID().toString().substring(0, 8))
                .clock(clock).build();
    }
}
