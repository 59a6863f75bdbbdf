package dev.louie.redis;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A Lua script of {@link RedisExchanges} or {@link RedisLimits}: called by its SHA-1 and sent whole
 * (which caches it on that server, or on that cluster node) when the server answers
 * {@code NOSCRIPT}. The connection is looked up on every call, so a reconnect is followed.
 */
final class LuaScript {

    private final String text;
    private final String sha;
    private final Supplier<RedisClusterAsyncCommands<String, byte[]>> redis;
    private final Supplier<Duration> timeout;

    LuaScript(String text, Supplier<RedisClusterAsyncCommands<String, byte[]>> redis, Supplier<Duration> timeout) {
        this.text = text;
        this.redis = redis;
        this.timeout = timeout;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    /** Sends the script by SHA without waiting (a pipelined caller waits and resends on NOSCRIPT itself, with {@link #call}). */
    RedisFuture<Object> send(ScriptOutputType type, String[] keys, byte[]... args) {
        return redis.get().evalsha(sha, type, keys, args);
    }

    /** Runs the script and waits for its answer within the command timeout. */
    <T> T call(ScriptOutputType type, String[] keys, byte[]... args) {
        try {
            return await(send(type, keys, args));
        } catch (RedisNoScriptException e) {
            return await(redis.get().eval(text, type, keys, args));
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T await(RedisFuture<?> future) {
        return (T) LettuceFutures.awaitOrCancel(future, timeout.get().toNanos(), TimeUnit.NANOSECONDS);
    }
}
