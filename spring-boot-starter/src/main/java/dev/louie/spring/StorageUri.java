package dev.louie.spring;

import dev.louie.core.storage.MemoryStorage;
import dev.louie.core.storage.Storage;
import dev.louie.sqlite.SqliteStorage;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The storage that a {@code louie.storage} URI names: {@code sqlite:PATH}, {@code redis://…} /
 * {@code rediss://…}, or {@code memory:}. One place that knows the schemes, so that it can hand the
 * work to core's storage opener once there is one.
 */
final class StorageUri {
    static final String REDIS_STORAGE = "dev.louie.redis.RedisStorage";
    private static final String RULE = "louie.storage must be sqlite:PATH, redis://HOST[:PORT][/DB], rediss://… or memory:";

    private StorageUri() {
    }

    /** What is wrong with {@code uri}, or null when it names a storage (whether it can be reached is not checked). */
    static String problem(String uri) {
        if (uri == null || uri.isBlank()) {
            return RULE + ", not '" + uri + "'";
        }
        String scheme = scheme(uri);
        switch (scheme) {
            case "sqlite":
                return uri.substring("sqlite:".length()).isBlank() ? RULE + " (sqlite: needs a path, as in sqlite:./louie.db), not '" + uri + "'" : null;
            case "memory":
                return null;
            case "redis":
            case "rediss":
                if (!uri.regionMatches(true, 0, scheme + "://", 0, scheme.length() + 3) || uri.length() == scheme.length() + 3) {
                    return RULE + " (redis needs a host, as in redis://localhost:6379), not '" + uri + "'";
                }
                return redisAvailable() ? null : "louie.storage is '" + uri + "', but louie-queue-redis is not on the classpath:"
                        + " add the dependency dev.louie:louie-queue-redis";
            default:
                return RULE + ", not '" + uri + "'";
        }
    }

    /** Opens the storage {@code uri} names. */
    static Storage open(String uri) {
        String problem = problem(uri);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        switch (scheme(uri)) {
            case "sqlite":
                return SqliteStorage.file(Path.of(uri.substring("sqlite:".length())));
            case "memory":
                return new MemoryStorage();
            default:
                return RedisStorageUri.open(uri);
        }
    }

    private static String scheme(String uri) {
        int colon = uri.indexOf(':');
        return colon < 0 ? "" : uri.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    private static boolean redisAvailable() {
        try {
            Class.forName(REDIS_STORAGE, false, StorageUri.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
