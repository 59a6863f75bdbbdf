package dev.louie.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The global limits of a {@link RedisStorage} ({@code LimitStorage}). Each limit has up to two
 * keys under its own hash tag <code>{NS.limit.NAME}</code>, and each operation is one script on
 * one key, so it runs on a Redis Cluster too:
 *
 * <pre>
 * louie:{NS.limit.NAME}:rate      STRING  the GCRA theoretical arrival time (epoch µs); expires when it no longer holds anything back
 * louie:{NS.limit.NAME}:holders   ZSET    holder -&gt; lease expiry (epoch ms); expires a second after the last lease
 * </pre>
 *
 * <p>Time is the server's ({@code TIME}, read before any write, so every Redis from 6.2 on
 * replicates the script's effects) unless the storage runs on an injected clock (tests), which
 * then passes its {@code now} as for the queue scripts.
 */
final class RedisLimits {

    /** The scripts' clocks: the caller's (an argument) or, when it is '', the server's. */
    private static final String NOW = """
            local function now_us(arg)
              if arg ~= '' then return tonumber(arg) end
              local t = redis.call('TIME')
              return tonumber(t[1]) * 1000000 + tonumber(t[2])
            end
            local function now_ms(arg)
              if arg ~= '' then return tonumber(arg) end
              local t = redis.call('TIME')
              return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            end
            -- the holders key lives a second longer than its last lease
            local function keep(key, now)
              local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
              if last[2] then
                redis.call('PEXPIRE', key, math.max(1, tonumber(last[2]) - now) + 1000)
              end
            end
            """;

    /**
     * GCRA. KEYS: rate. ARGV: now µs or '', period µs, permits. Returns 0 when admitted (the
     * theoretical arrival time moves one emission interval on), else the ms until a request would be.
     */
    static final String ADMIT = NOW + """
            local now = now_us(ARGV[1])
            local period = tonumber(ARGV[2])
            local interval = math.floor(period / tonumber(ARGV[3]) + 0.5)
            local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
            if tat < now then tat = now end
            local nxt = tat + interval
            local allow_at = nxt - period
            if allow_at > now then
              return math.max(1, math.ceil((allow_at - now) / 1000))
            end
            redis.call('SET', KEYS[1], string.format('%.0f', nxt), 'PX', math.max(1, math.ceil((nxt - now) / 1000)))
            return 0
            """;

    /** KEYS: holders. ARGV: now ms or '', slots, holder, lease ms. Returns 1 when the holder has a slot. */
    static final String ACQUIRE = NOW + """
            local now = now_ms(ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now))
            if not redis.call('ZSCORE', KEYS[1], ARGV[3]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
              return 0
            end
            redis.call('ZADD', KEYS[1], string.format('%.0f', now + tonumber(ARGV[4])), ARGV[3])
            keep(KEYS[1], now)
            return 1
            """;

    /** KEYS: holders. ARGV: now ms or '', holder, lease ms. Returns 1 when the holder's unexpired slot was renewed. */
    static final String EXTEND = NOW + """
            local now = now_ms(ARGV[1])
            local expires = redis.call('ZSCORE', KEYS[1], ARGV[2])
            if not expires or tonumber(expires) <= now then return 0 end
            redis.call('ZADD', KEYS[1], string.format('%.0f', now + tonumber(ARGV[3])), ARGV[2])
            keep(KEYS[1], now)
            return 1
            """;

    /** KEYS: holders. ARGV: now ms or '', holder. Returns 1 when the holder had an unexpired slot. */
    static final String RELEASE = NOW + """
            local now = now_ms(ARGV[1])
            local expires = redis.call('ZSCORE', KEYS[1], ARGV[2])
            redis.call('ZREM', KEYS[1], ARGV[2])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now))
            if not expires or tonumber(expires) <= now then return 0 end
            return 1
            """;

    private final Supplier<RedisKeys> keys;
    /** The {@code now} argument in µs and in ms: empty for the server's clock. */
    private final Supplier<byte[]> nowMicros;
    private final Supplier<byte[]> nowMillis;
    private final LuaScript admit;
    private final LuaScript acquire;
    private final LuaScript extend;
    private final LuaScript release;

    RedisLimits(Supplier<RedisClusterAsyncCommands<String, byte[]>> redis, Supplier<RedisKeys> keys, Supplier<Duration> timeout,
                Supplier<byte[]> nowMicros, Supplier<byte[]> nowMillis) {
        this.keys = keys;
        this.nowMicros = nowMicros;
        this.nowMillis = nowMillis;
        this.admit = new LuaScript(ADMIT, redis, timeout);
        this.acquire = new LuaScript(ACQUIRE, redis, timeout);
        this.extend = new LuaScript(EXTEND, redis, timeout);
        this.release = new LuaScript(RELEASE, redis, timeout);
    }

    private static long call(LuaScript script, String key, byte[]... args) {
        Long answer = script.call(ScriptOutputType.INTEGER, new String[] {key}, args);
        return answer == null ? 0 : answer;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] b(long n) {
        return b(Long.toString(n));
    }

    long admitRate(String limit, Duration period, int permits) {
        return call(admit, keys.get().limitRate(limit), nowMicros.get(), b(period.toNanos() / 1_000), b(permits));
    }

    boolean acquireSlot(String limit, int slots, String holder, Duration lease) {
        return call(acquire, keys.get().limitHolders(limit), nowMillis.get(), b(slots), b(holder), b(lease.toMillis())) == 1;
    }

    boolean extendSlot(String limit, String holder, Duration lease) {
        return call(extend, keys.get().limitHolders(limit), nowMillis.get(), b(holder), b(lease.toMillis())) == 1;
    }

    boolean releaseSlot(String limit, String holder) {
        return call(release, keys.get().limitHolders(limit), nowMillis.get(), b(holder)) == 1;
    }
}
