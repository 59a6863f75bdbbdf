package dev.louie.cli;

import dev.louie.core.storage.Storage;
import dev.louie.redis.RedisServerExtension;
import dev.louie.redis.RedisStorage;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link CliContract} on a real Redis; each test's application is its own namespace. */
class RedisCliIT extends CliContract {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @Override
    String uri() {
        return REDIS.uri();
    }

    @Override
    Storage open() {
        return RedisStorage.builder(REDIS.uri()).build();
    }
}
