package dev.louie.redis;

import dev.louie.core.storage.Storage;
import dev.louie.core.storage.StorageProvider;
import java.util.Set;

/**
 * Opens {@code redis://[:password@]host[:port][/database]} (and {@code rediss://} for TLS) as a
 * {@link RedisStorage} with the default options, and a Redis Cluster as
 * {@code redis-cluster://[:password@]host:port,host:port,...} (any nodes; {@code rediss-cluster://}
 * for TLS); its namespace is the application name it is
 * attached to. Registered with {@link java.util.ServiceLoader}.
 */
public final class RedisStorageProvider implements StorageProvider {

    /** Used by {@link java.util.ServiceLoader}. */
    public RedisStorageProvider() {
    }

    @Override
    public Set<String> schemes() {
        return Set.of("redis", "rediss", "redis-cluster", "rediss-cluster");
    }

    /** A Redis server cannot tell whether it holds Louie data: {@code create} changes nothing. */
    @Override
    public Storage open(String uri, boolean create) {
        return RedisStorage.forUri(uri).build();
    }
}
