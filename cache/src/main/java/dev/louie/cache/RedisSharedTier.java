package dev.louie.cache;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The {@link SharedTier} on Redis, with Lettuce (an optional dependency of {@code louie-cache}:
 * add {@code io.lettuce:lettuce-core} or {@code louie-queue-redis}). Connects the way
 * {@code RedisStorage} does: a URI ({@code redis://[:password@]host[:port][/database]},
 * {@code rediss://} for TLS) or a Lettuce client of yours. Keys are
 * {@code louie:NS:cache:CACHE:HASH}, with the TTL the cache gives.
 *
 * <p>{@code NS}, the namespace, is the application name that {@link TaskCaches} attaches the tier
 * to (the name of the {@code Louie} with the {@code @Cached(shared = true)} tasks), so consumers
 * of one application share entries and applications on one Redis do not. An explicit
 * {@link Builder#namespace} overrides it; a tier used without {@code TaskCaches} (a programmatic
 * {@link LouieCache}) needs one.
 *
 * <pre>{@code
 * RedisSharedTier tier = RedisSharedTier.create("redis://localhost:6379");
 * TaskCaches caches = TaskCaches.builder().sharedTier(tier).build();
 * Louie louie = Louie.builder("shop").interceptor(caches)...build();   // entries under louie:shop:cache:
 * }</pre>
 */
public final class RedisSharedTier implements SharedTier {
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_\\-]+");
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final RedisClient client;
    private final boolean ownsClient;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisCommands<String, byte[]> redis;
    private final RedisAsyncCommands<String, byte[]> async;
    /** {@code louie:NS:cache:}; null until the namespace is known (explicit, or from {@link #attach}). */
    private volatile String prefix;
    private final boolean explicitNamespace;
    private String application;
    private final Duration commandTimeout;

    private RedisSharedTier(Builder b) {
        this.prefix = b.namespace == null ? null : prefixOf(b.namespace);
        this.explicitNamespace = b.namespace != null;
        this.commandTimeout = b.commandTimeout;
        if (b.client != null) {
            this.client = b.client;
            this.ownsClient = false;
        } else {
            RedisURI uri;
            try {
                uri = RedisURI.create(b.uri);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a Redis URI (redis://[:password@]host[:port][/database] or rediss://...): " + b.uri, e);
            }
            uri.setTimeout(b.commandTimeout);
            this.client = RedisClient.create(uri);
            client.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .socketOptions(SocketOptions.builder().connectTimeout(b.connectTimeout).keepAlive(true).build())
                    .timeoutOptions(TimeoutOptions.enabled(b.commandTimeout))
                    .build());
            this.ownsClient = true;
        }
        try {
            this.connection = client.connect(CODEC);
        } catch (RuntimeException e) {
            if (ownsClient) {
                client.shutdown();
            }
            throw new IllegalStateException("cannot connect to Redis for the shared cache tier: " + e.getMessage(), e);
        }
        connection.setTimeout(b.commandTimeout);
        this.redis = connection.sync();
        this.async = connection.async();
    }

    /** A tier on {@code redisUri} whose namespace is the application it is attached to. */
    public static RedisSharedTier create(String redisUri) {
        return builder(redisUri).build();
    }

    /** A builder connecting to {@code redisUri}. */
    public static Builder builder(String redisUri) {
        return new Builder(Objects.requireNonNull(redisUri, "redisUri"), null);
    }

    /** A builder on a Lettuce client configured by the caller; the caller shuts it down. */
    public static Builder builder(RedisClient client) {
        return new Builder(null, Objects.requireNonNull(client, "client"));
    }

    private static String prefixOf(String namespace) {
        return "louie:" + namespace + ":cache:";
    }

    /**
     * Takes the application name as namespace unless one was set on the builder; the same name
     * again does nothing, another one throws {@link IllegalStateException}.
     *
     * @throws IllegalArgumentException when the name is needed as namespace and is not one (letters,
     *                                  digits, '_' and '-'): set {@link Builder#namespace} then
     */
    @Override
    public synchronized void attach(String name) {
        Objects.requireNonNull(name, "application name");
        if (application != null) {
            if (!application.equals(name)) {
                throw new IllegalStateException("this RedisSharedTier is attached to the application '" + application
                        + "'; give the application '" + name + "' a RedisSharedTier of its own (applications share"
                        + " cache entries only through tiers built with the same explicit namespace(...))");
            }
            return;
        }
        if (!explicitNamespace) {
            if (!NAMESPACE.matcher(name).matches()) {
                throw new IllegalArgumentException("the application name '" + name + "' cannot be the cache namespace"
                        + " (letters, digits, '_' and '-' only): set RedisSharedTier.builder(uri).namespace(...)");
            }
            prefix = prefixOf(name);
        }
        application = name;
    }

    private String prefix() {
        String p = prefix;
        if (p == null) {
            throw new IllegalStateException("this RedisSharedTier has no namespace yet: give it to TaskCaches.builder().sharedTier(...)"
                    + " (a Louie built with those caches attaches it to the application name) or set"
                    + " RedisSharedTier.builder(uri).namespace(name)");
        }
        return p;
    }

    @Override
    public Optional<Entry> get(String key) {
        String k = prefix() + key;
        RedisFuture<byte[]> value = async.get(k);   // both commands go out together, one round trip
        RedisFuture<Long> pttl = async.pttl(k);
        byte[] bytes = await(value);
        Long ms = await(pttl);
        if (bytes == null) {
            return Optional.empty();
        }
        return Optional.of(new Entry(bytes, ms == null || ms < 0 ? null : Duration.ofMillis(Math.max(1, ms))));
    }

    @Override
    public void put(String key, byte[] value, Duration ttl) {
        if (ttl == null) {
            redis.set(prefix() + key, value);
        } else {
            redis.set(prefix() + key, value, SetArgs.Builder.px(Math.max(1, ttl.toMillis())));
        }
    }

    @Override
    public void delete(String key) {
        redis.unlink(prefix() + key);
    }

    @Override
    public long deletePrefix(String keyPrefix) {
        ScanArgs args = ScanArgs.Builder.matches(glob(prefix() + keyPrefix) + "*").limit(500);
        long deleted = 0;
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, args);
            if (!page.getKeys().isEmpty()) {
                deleted += redis.unlink(page.getKeys().toArray(new String[0]));
            }
            cursor = page;
        } while (!cursor.isFinished());
        return deleted;
    }

    private static String glob(String literal) {
        return literal.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }

    private <T> T await(RedisFuture<T> f) {
        try {
            return f.get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the shared cache tier", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("shared cache tier: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("shared cache tier: no answer from Redis within " + commandTimeout, e);
        }
    }

    /** Closes the connection, and the client when this tier created it. */
    @Override
    public void close() {
        connection.close();
        if (ownsClient) {
            client.shutdown();
        }
    }

    @Override
    public String toString() {
        String p = prefix;
        return "RedisSharedTier[" + (p == null ? "namespace not attached yet" : p + "*") + "]";
    }

    /** Configures a {@link RedisSharedTier}. */
    public static final class Builder {
        private final String uri;
        private final RedisClient client;
        private String namespace;
        private Duration commandTimeout = Duration.ofSeconds(2);
        private Duration connectTimeout = Duration.ofSeconds(5);

        private Builder(String uri, RedisClient client) {
            this.uri = uri;
            this.client = client;
        }

        /**
         * The namespace in the key prefix (letters, digits, '_' and '-'). Optional: without it the
         * tier takes the application name it is attached to. Set it to share entries between
         * applications of different names on purpose, or for a cache used without {@link TaskCaches}.
         */
        public Builder namespace(String name) {
            if (name == null || !NAMESPACE.matcher(name).matches()) {
                throw new IllegalArgumentException("namespace must be letters, digits, '_' or '-': " + name);
            }
            this.namespace = name;
            return this;
        }

        /** How long one command may take (default 2 s); a slower Redis makes the cache compute instead. */
        public Builder commandTimeout(Duration value) {
            this.commandTimeout = positive(value, "commandTimeout");
            return this;
        }

        /** How long connecting may take (default 5 s); applies to a client this builder creates. */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = positive(value, "connectTimeout");
            return this;
        }

        /** Connects. */
        public RedisSharedTier build() {
            return new RedisSharedTier(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }
    }
}
