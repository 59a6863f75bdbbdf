package dev.louie.redis;

import dev.louie.core.Binding;
import dev.louie.core.Exchange;
import dev.louie.core.ExchangeType;
import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.RoutingTable;
import dev.louie.core.storage.StorageException;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The exchanges and bindings of a {@link RedisStorage}, and publishing into several queues.
 *
 * <p>The routing table lives in three keys of the namespace's slot <code>{NS}</code>
 * ({@link RedisKeys#exchanges}, {@link RedisKeys#bindings}, {@link RedisKeys#routingVersion}),
 * so each change is one script that also raises the version, and the table is read by one
 * script. The version is {@code max(previous + 1, server time in µs)}: it moves with every
 * change and, after a flush deleted it, starts above any value it had before.
 *
 * <p>A publish groups its queues by cluster slot (each queue's keys share the tag
 * <code>{NS.Q}</code>): the queues of one slot get their messages in one script, atomically;
 * the groups are sent pipelined. (A script reads every key before it writes one, so an error
 * such as a key of the wrong type stops it before it changed anything.) Queue names rarely share a slot, so a publish to N queues is
 * usually N scripts: after a failure some queues may have their message, and a retry with the
 * same ids (what {@code TaskCall.publish} does when called again) adds only the missing ones.
 */
final class RedisExchanges {

    /** Raises the version in KEYS[n]; each script defines {@code vkey} first. */
    private static final String BUMP = """
            local function bump(vkey)
              local t = redis.call('TIME')
              local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
              local prev = tonumber(redis.call('GET', vkey) or '0')
              local v = prev + 1
              if now > v then v = now end
              redis.call('SET', vkey, string.format('%.0f', v))
            end
            """;

    /** KEYS: exchanges, version. ARGV: name, encoded. Returns the encoded exchange stored under the name. */
    private static final String DECLARE = BUMP + """
            if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
              bump(KEYS[2])
              return ARGV[2]
            end
            return redis.call('HGET', KEYS[1], ARGV[1])
            """;

    /** KEYS: exchanges, bindings, version. ARGV: name. Removes it and its bindings; returns 1 when it existed. */
    private static final String DELETE = BUMP + """
            if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
            local gone = {}
            for _, m in ipairs(redis.call('SMEMBERS', KEYS[2])) do
              local le, rest = string.match(m, '^(%d+):%d+:(.*)$')
              if le and tonumber(le) == #ARGV[1] and string.sub(rest, 1, #ARGV[1]) == ARGV[1] then
                table.insert(gone, m)
              end
            end
            for _, m in ipairs(gone) do redis.call('SREM', KEYS[2], m) end
            bump(KEYS[3])
            return 1
            """;

    /** KEYS: exchanges, bindings, version. ARGV: exchange, member. Returns 0 when the exchange does not exist. */
    private static final String BIND = BUMP + """
            if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
            if redis.call('SADD', KEYS[2], ARGV[2]) == 1 then bump(KEYS[3]) end
            return 1
            """;

    /** KEYS: bindings, version. ARGV: member. Returns 1 when it was bound. */
    private static final String UNBIND = BUMP + """
            if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return 0 end
            bump(KEYS[2])
            return 1
            """;

    /** KEYS: exchanges, bindings, version. Returns version, the exchanges (flat name, value), the binding members. */
    private static final String TABLE = """
            return {redis.call('GET', KEYS[3]) or '0', redis.call('HGETALL', KEYS[1]), redis.call('SMEMBERS', KEYS[2])}
            """;

    /**
     * KEYS: the nine keys of each queue ({@link RedisKeys#queue}, in that order). ARGV: per queue
     * wake channel, id, priority, eta ms ('' = ready now), body. Same rules and member format as
     * {@code Scripts.ENQUEUE} for each queue; a message visible at once is visible since the
     * server's time. Returns how many were added.
     */
    private static final String PUBLISH = """
            -- reads first, writes after: an error (a key of the wrong type) stops the script before it wrote anything
            local n = #KEYS / 9
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local new = {}
            for k = 0, n - 1 do
              local o, id = k * 9, ARGV[k * 5 + 2]
              new[k] = redis.call('SISMEMBER', KEYS[o + 8], id) == 0 and redis.call('HEXISTS', KEYS[o + 4], id) == 0
            end
            local added = 0
            for k = 0, n - 1 do
              if new[k] then
                local o, a = k * 9, k * 5
                local wake, id, pri, eta, body = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5]
                redis.call('HSET', KEYS[o + 4], id, body)
                local member = string.format('%016x', redis.call('INCR', KEYS[o + 7])) .. pri .. ':' .. id
                redis.call('HDEL', KEYS[o + 5], id)
                if eta ~= '' then
                  redis.call('ZADD', KEYS[o + 2], eta, member)
                else
                  local was_empty = redis.call('EXISTS', KEYS[o + 1]) == 0
                  redis.call('ZADD', KEYS[o + 1], -tonumber(pri), member)
                  redis.call('ZADD', KEYS[o + 9], now, id)
                  if was_empty then redis.call('PUBLISH', wake, '1') end
                end
                added = added + 1
              end
            end
            return added
            """;

    private final Supplier<RedisClusterAsyncCommands<String, byte[]>> redis;
    /** Whether notifications are sharded ({@code SPUBLISH}); the publish script follows it. */
    private final BooleanSupplier sharded;
    private final Supplier<RedisKeys> keys;
    private final Supplier<Duration> timeout;
    private final LuaScript declare;
    private final LuaScript delete;
    private final LuaScript bind;
    private final LuaScript unbind;
    private final LuaScript table;
    private final LuaScript publish;
    private final LuaScript publishSharded;

    RedisExchanges(Supplier<RedisClusterAsyncCommands<String, byte[]>> redis, Supplier<RedisKeys> keys, Supplier<Duration> timeout,
            BooleanSupplier sharded) {
        this.redis = redis;
        this.sharded = sharded;
        this.keys = keys;
        this.timeout = timeout;
        this.declare = new LuaScript(DECLARE, redis, timeout);
        this.delete = new LuaScript(DELETE, redis, timeout);
        this.bind = new LuaScript(BIND, redis, timeout);
        this.unbind = new LuaScript(UNBIND, redis, timeout);
        this.table = new LuaScript(TABLE, redis, timeout);
        this.publish = new LuaScript(PUBLISH, redis, timeout);
        this.publishSharded = new LuaScript(Scripts.sharded(PUBLISH), redis, timeout);
    }

    @SuppressWarnings("unchecked")
    private <T> T await(RedisFuture<?> future) {
        return (T) LettuceFutures.awaitOrCancel(future, timeout.get().toNanos(), TimeUnit.NANOSECONDS);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(Object o) {
        return new String((byte[]) o, StandardCharsets.UTF_8);
    }

    private static String encode(Exchange e) {
        return e.alternateQueue() == null ? e.type().name() : e.type().name() + " " + e.alternateQueue();
    }

    private static Exchange decode(String name, String value) {
        int space = value.indexOf(' ');
        return space < 0 ? new Exchange(name, ExchangeType.valueOf(value), null)
                : new Exchange(name, ExchangeType.valueOf(value.substring(0, space)), value.substring(space + 1));
    }

    private static String member(Binding b) {
        return b.exchange().length() + ":" + b.queue().length() + ":" + b.exchange() + b.queue() + b.pattern();
    }

    private static Binding binding(String m) {
        int c1 = m.indexOf(':');
        int c2 = m.indexOf(':', c1 + 1);
        int le = Integer.parseInt(m.substring(0, c1));
        int lq = Integer.parseInt(m.substring(c1 + 1, c2));
        int start = c2 + 1;
        return new Binding(m.substring(start, start + le), m.substring(start + le, start + le + lq), m.substring(start + le + lq));
    }

    private String[] routingKeys() {
        RedisKeys k = keys.get();
        return new String[] {k.exchanges(), k.bindings(), k.routingVersion()};
    }

    Exchange declare(Exchange exchange) {
        RedisKeys k = keys.get();
        Object stored = declare.call(ScriptOutputType.VALUE, new String[] {k.exchanges(), k.routingVersion()},
                b(exchange.name()), b(encode(exchange)));
        return decode(exchange.name(), s(stored));
    }

    boolean delete(String name) {
        Long done = delete.call(ScriptOutputType.INTEGER, routingKeys(), b(name));
        return done != null && done == 1L;
    }

    boolean bind(Binding binding) {
        Long done = bind.call(ScriptOutputType.INTEGER, routingKeys(), b(binding.exchange()), b(member(binding)));
        return done != null && done == 1L;
    }

    boolean unbind(Binding binding) {
        RedisKeys k = keys.get();
        Long done = unbind.call(ScriptOutputType.INTEGER, new String[] {k.bindings(), k.routingVersion()}, b(member(binding)));
        return done != null && done == 1L;
    }

    RoutingTable table() {
        List<Object> reply = table.call(ScriptOutputType.MULTI, routingKeys());
        long version = Long.parseLong(s(reply.get(0)));
        List<Exchange> exchanges = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<Object> flat = (List<Object>) reply.get(1);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            exchanges.add(decode(s(flat.get(i)), s(flat.get(i + 1))));
        }
        List<Binding> bindings = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<Object> members = (List<Object>) reply.get(2);
        for (Object m : members) {
            bindings.add(binding(s(m)));
        }
        return new RoutingTable(version, exchanges, bindings);
    }

    long version() {
        byte[] v = await(redis.get().get(keys.get().routingVersion()));
        return v == null ? 0 : Long.parseLong(s(v));
    }

    /**
     * One script per slot group, all sent before the first reply is read. {@code eta} gives the
     * eta argument of an envelope ('' when visible now).
     */
    void publish(Map<String, Envelope> byQueue, Function<Envelope, byte[]> eta) {
        RedisKeys k = keys.get();
        Map<Integer, List<String>> bySlot = new LinkedHashMap<>();
        for (String queue : byQueue.keySet()) {
            bySlot.computeIfAbsent(SlotHash.getSlot(k.queue(queue)[0]), s -> new ArrayList<>()).add(queue);
        }
        List<String[]> groupKeys = new ArrayList<>();
        List<byte[][]> groupArgs = new ArrayList<>();
        for (List<String> queues : bySlot.values()) {
            String[] ks = new String[queues.size() * RedisKeys.QUEUE_KEY_COUNT];
            byte[][] args = new byte[queues.size() * 5][];
            for (int i = 0; i < queues.size(); i++) {
                String q = queues.get(i);
                System.arraycopy(k.queue(q), 0, ks, i * RedisKeys.QUEUE_KEY_COUNT, RedisKeys.QUEUE_KEY_COUNT);
                Envelope e = byQueue.get(q);
                args[i * 5] = b(k.wakeChannel(q));
                args[i * 5 + 1] = b(e.id());
                args[i * 5 + 2] = b(Integer.toString(e.priority()));
                args[i * 5 + 3] = eta.apply(e);
                args[i * 5 + 4] = e.body();
            }
            groupKeys.add(ks);
            groupArgs.add(args);
        }
        LuaScript script = sharded.getAsBoolean() ? publishSharded : publish;
        List<RedisFuture<Object>> sent = new ArrayList<>();
        for (int i = 0; i < groupKeys.size(); i++) {
            sent.add(script.send(ScriptOutputType.INTEGER, groupKeys.get(i), groupArgs.get(i)));
        }
        RuntimeException failure = null;
        for (int i = 0; i < sent.size(); i++) {
            try {
                try {
                    await(sent.get(i));
                } catch (RedisNoScriptException e) {
                    script.call(ScriptOutputType.INTEGER, groupKeys.get(i), groupArgs.get(i));
                }
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure instanceof StorageException se ? se
                    : new StorageException("Redis publish failed for some of the queues " + byQueue.keySet() + ": "
                            + failure.getMessage() + "; publish again with the same ids to complete it", failure);
        }
    }
}
