package dev.louie.spring;

import dev.louie.core.storage.Storage;
import dev.louie.redis.RedisStorage;

/**
 * Opens a {@code redis://} storage. A class of its own so that {@link StorageUri} loads the
 * optional louie-queue-redis (and Lettuce) only for a Redis URI.
 */
final class RedisStorageUri {
    private RedisStorageUri() {
    }

    /** Opens the Redis storage at {@code uri}; its namespace becomes the application name when Louie attaches it. */
    static Storage open(String uri) {
        return RedisStorage.builder(uri).build();
    }
}
