package dev.louie.redis;

import dev.louie.core.OperationsContract;
import dev.louie.core.storage.Storage;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Core's {@link OperationsContract} (inspection, repair, heartbeats through {@code Louie.operations()}) on a real Redis. */
class RedisOperationsTest extends OperationsContract {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @Override
    protected Storage createStorage(Clock clock) {
        return RedisStorage.builder(REDIS.uri()).namespace("ops-" + UUID.randomUUID().toString().substring(0, 8))
                .clock(clock).build();
    }
}
