package dev.louie.redis;

import dev.louie.core.storage.DeadLetter;
import dev.louie.core.storage.StorageException;
import dev.louie.core.storage.StoredMessage;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScoredValueScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The listings, dead-letter repairs and consumer heartbeats of {@link RedisStorage}
 * ({@code StorageInspection}). Listings read with one script per page (a consistent snapshot of
 * the page); each repair is one script, so it happens entirely or not at all. Finding a message
 * that was never delivered scans its queue's sorted sets with {@code ZSCAN} (never blocking the
 * server); heartbeats are keys with a TTL ({@code louie:{NS}:consumer:ID}), listed with {@code SCAN}.
 */
final class RedisInspection {

    /** KEYS: the queue's keys. ARGV: offset, limit. Returns id, priority, deliveries, body per message. */
    private static final String PENDING = Scripts.PRELUDE + """
            local out = {}
            local first = tonumber(ARGV[1])
            for _, member in ipairs(redis.call('ZRANGE', KEYS[1], first, first + tonumber(ARGV[2]) - 1)) do
              local pri, id = parse_member(member)
              if id then
                local body = redis.call('HGET', KEYS[4], id)
                if body then
                  out[#out + 1] = id
                  out[#out + 1] = tostring(pri)
                  out[#out + 1] = tostring(parse_meta(redis.call('HGET', KEYS[5], id)) or 0)
                  out[#out + 1] = body
                end
              end
            end
            return out
            """;

    /** KEYS: the queue's keys. ARGV: offset, limit. Returns id, priority, eta ms, deliveries, body per message. */
    private static final String SCHEDULED = Scripts.PRELUDE + """
            local out = {}
            local first = tonumber(ARGV[1])
            local page = redis.call('ZRANGE', KEYS[2], first, first + tonumber(ARGV[2]) - 1, 'WITHSCORES')
            for i = 1, #page, 2 do
              local pri, id = parse_member(page[i])
              local body = id and redis.call('HGET', KEYS[4], id)
              if body then
                out[#out + 1] = id
                out[#out + 1] = tostring(pri)
                out[#out + 1] = page[i + 1]
                out[#out + 1] = tostring(parse_meta(redis.call('HGET', KEYS[5], id)) or 0)
                out[#out + 1] = body
              end
            end
            return out
            """;

    /** KEYS: the queue's keys. ARGV: offset, limit. Returns id, priority, deadline ms, deliveries, body per lease. */
    private static final String LEASED = Scripts.PRELUDE + """
            local out = {}
            local first = tonumber(ARGV[1])
            local page = redis.call('ZRANGE', KEYS[3], first, first + tonumber(ARGV[2]) - 1, 'WITHSCORES')
            for i = 1, #page, 2 do
              local id = page[i]
              local d, _, member = parse_meta(redis.call('HGET', KEYS[5], id))
              local body = redis.call('HGET', KEYS[4], id)
              if body then
                out[#out + 1] = id
                out[#out + 1] = tostring((member and parse_member(member)) or 0)
                out[#out + 1] = page[i + 1]
                out[#out + 1] = tostring(d or 0)
                out[#out + 1] = body
              end
            end
            return out
            """;

    /**
     * KEYS: the queue's keys. ARGV: member. Removes a pending or scheduled message by its member
     * (a leased one has none in either set). Returns 1 when it was removed.
     */
    private static final String DELETE = Scripts.PRELUDE + """
            local _, id = parse_member(ARGV[1])
            if not id then return 0 end
            if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 and redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return 0 end
            redis.call('HDEL', KEYS[4], id)
            redis.call('HDEL', KEYS[5], id)
            redis.call('ZREM', KEYS[9], id)
            return 1
            """;

    /** Finds the oldest dead letter of ARGV[1] in KEYS[6] (100 entries per LRANGE): local e = find_dead(id). */
    private static final String FIND_DEAD = Scripts.PRELUDE + """
            local function find_dead(want)
              local from = 0
              while true do
                local page = redis.call('LRANGE', KEYS[6], from, from + 99)
                if #page == 0 then return nil end
                for _, e in ipairs(page) do
                  local il, rl, pos = string.match(e, '^%-?%d+:%-?%d+:(%d+):(%d+):()')
                  if il then
                    local id = string.sub(e, pos, pos + tonumber(il) - 1)
                    if id == want then return e, string.sub(e, pos + tonumber(il) + tonumber(rl)) end
                  end
                end
                from = from + 100
              end
            end
            """;

    /**
     * KEYS: the queue's keys. ARGV: id, priority, wake channel, now or ''. Moves the dead letter back to the
     * ready set with a fresh delivery count, unless the id is in the queue already. Returns 1 when moved.
     */
    private static final String REQUEUE = FIND_DEAD + """
            local now = now_ms(ARGV[4]) -- visible since now (the queue's since set), read before any write
            local entry, body = find_dead(ARGV[1])
            if not entry then return 0 end
            if redis.call('HEXISTS', KEYS[4], ARGV[1]) == 1 then return 0 end
            redis.call('LREM', KEYS[6], 1, entry)
            redis.call('SREM', KEYS[8], ARGV[1])
            redis.call('HSET', KEYS[4], ARGV[1], body)
            redis.call('HDEL', KEYS[5], ARGV[1])
            local member = string.format('%016x', redis.call('INCR', KEYS[7])) .. ARGV[2] .. ':' .. ARGV[1]
            to_ready(member, tonumber(ARGV[2]), ARGV[3], now, ARGV[1])
            return 1
            """;

    /** KEYS: the queue's keys. ARGV: id. Deletes the dead letter and frees its id. Returns 1 when one was there. */
    private static final String DELETE_DEAD = FIND_DEAD + """
            local entry = find_dead(ARGV[1])
            if not entry then return 0 end
            redis.call('LREM', KEYS[6], 1, entry)
            if not find_dead(ARGV[1]) then redis.call('SREM', KEYS[8], ARGV[1]) end
            return 1
            """;

    /** KEYS: the queue's keys. Deletes every dead letter and frees their ids. Returns how many there were. */
    private static final String PURGE_DEAD = """
            local n = redis.call('LLEN', KEYS[6])
            redis.call('DEL', KEYS[6], KEYS[8])
            return n
            """;

    private final Supplier<RedisClusterCommands<String, byte[]>> redis;
    private final Supplier<RedisKeys> keys;
    /** Whether notifications are sharded ({@code SPUBLISH}), as the storage's scripts send them. */
    private final BooleanSupplier sharded;

    /** SCAN of the server, or of every master of a cluster. */
    private final Function<String, Set<String>> scanner;

    RedisInspection(Supplier<RedisClusterCommands<String, byte[]>> redis, Supplier<RedisKeys> keys, BooleanSupplier sharded,
            Function<String, Set<String>> scanner) {
        this.redis = redis;
        this.scanner = scanner;
        this.keys = keys;
        this.sharded = sharded;
    }

    private String text(String script) {
        return sharded.getAsBoolean() ? Scripts.sharded(script) : script;
    }

    private <T> T run(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (RedisException e) {
            throw new StorageException("Redis " + what + " failed: " + e.getMessage(), e);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(Object o) {
        return new String((byte[]) o, StandardCharsets.UTF_8);
    }

    private static int i(Object o) {
        return Integer.parseInt(s(o));
    }

    private static Instant ms(Object o) {
        return Instant.ofEpochMilli((long) Double.parseDouble(s(o)));
    }

    private static void checkPage(int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must be 0 or more, not " + offset + " and " + limit);
        }
    }

    private List<Object> eval(String what, String script, String queue, byte[]... args) {
        return run(what, () -> redis.get().<List<Object>>eval(text(script), ScriptOutputType.MULTI, keys.get().queue(queue), args));
    }

    private long evalLong(String what, String script, String queue, byte[]... args) {
        Long n = run(what, () -> redis.get().<Long>eval(text(script), ScriptOutputType.INTEGER, keys.get().queue(queue), args));
        return n == null ? 0 : n;
    }

    /** Queues with a sequence counter (every queue that was ever enqueued to) or dead letters. */
    Set<String> queues() {
        RedisKeys k = keys.get();
        Set<String> names = new TreeSet<>();
        for (String suffix : new String[] {"seq", "dead"}) {
            for (String key : scan(k.queueKeyPattern(suffix))) {
                String queue = k.queueOfKey(key, suffix);
                if (queue != null) {
                    names.add(queue);
                }
            }
        }
        return names;
    }

    private List<String> scan(String pattern) {
        return run("scan", () -> new ArrayList<>(scanner.apply(pattern)));
    }

    List<StoredMessage> pending(String queue, int offset, int limit) {
        checkPage(offset, limit);
        if (limit == 0) {
            return List.of();
        }
        List<Object> out = eval("pending", PENDING, queue, b(Integer.toString(offset)), b(Integer.toString(limit)));
        List<StoredMessage> messages = new ArrayList<>(out.size() / 4);
        for (int j = 0; j + 3 < out.size(); j += 4) {
            messages.add(new StoredMessage(queue, s(out.get(j)), StoredMessage.State.PENDING, i(out.get(j + 1)), null,
                    i(out.get(j + 2)), null, (byte[]) out.get(j + 3)));
        }
        return messages;
    }

    List<StoredMessage> scheduled(String queue, int offset, int limit) {
        return timed("scheduled", SCHEDULED, StoredMessage.State.SCHEDULED, queue, offset, limit);
    }

    List<StoredMessage> leased(String queue, int offset, int limit) {
        return timed("leased", LEASED, StoredMessage.State.LEASED, queue, offset, limit);
    }

    private List<StoredMessage> timed(String what, String script, StoredMessage.State state, String queue, int offset, int limit) {
        checkPage(offset, limit);
        if (limit == 0) {
            return List.of();
        }
        List<Object> out = eval(what, script, queue, b(Integer.toString(offset)), b(Integer.toString(limit)));
        List<StoredMessage> messages = new ArrayList<>(out.size() / 5);
        for (int j = 0; j + 4 < out.size(); j += 5) {
            Instant at = ms(out.get(j + 2));
            boolean scheduled = state == StoredMessage.State.SCHEDULED;
            messages.add(new StoredMessage(queue, s(out.get(j)), state, i(out.get(j + 1)), scheduled ? at : null,
                    i(out.get(j + 3)), scheduled ? null : at, (byte[]) out.get(j + 4)));
        }
        return messages;
    }

    /** Escapes the glob characters of {@code text} for a MATCH pattern. */
    static String glob(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** The id in a queue member ({@code <16 hex seq><priority>:<id>}), or null when it is not one. */
    static String idOf(String member) {
        int colon = member.indexOf(':', 16);
        return member.length() > 17 && colon > 16 ? member.substring(colon + 1) : null;
    }

    /** The member of {@code id} in the sorted set {@code key}, found with ZSCAN, or null. */
    private String memberIn(String key, String id) {
        return run("zscan", () -> {
            ScanArgs args = ScanArgs.Builder.matches("*:" + glob(id)).limit(1000);
            ScoredValueScanCursor<byte[]> cursor = redis.get().zscan(key, args);
            while (true) {
                for (ScoredValue<byte[]> v : cursor.getValues()) {
                    String member = new String(v.getValue(), StandardCharsets.UTF_8);
                    if (id.equals(idOf(member))) {
                        return member;
                    }
                }
                if (cursor.isFinished()) {
                    return null;
                }
                cursor = redis.get().zscan(key, cursor, args);
            }
        });
    }

    Optional<StoredMessage> message(String queue, String id) {
        String[] k = keys.get().queue(queue);
        byte[] body = run("message", () -> redis.get().hget(k[RedisKeys.BODY], id));
        if (body == null) {
            return Optional.empty();
        }
        Double deadline = run("message", () -> redis.get().zscore(k[RedisKeys.LEASED], b(id)));
        byte[] meta = run("message", () -> redis.get().hget(k[RedisKeys.META], id));
        int deliveries = meta == null ? 0 : Integer.parseInt(s(meta).substring(0, s(meta).indexOf(':')));
        if (deadline != null) {
            String member = s(meta).substring(s(meta).indexOf(':', s(meta).indexOf(':') + 1) + 1);
            return Optional.of(new StoredMessage(queue, id, StoredMessage.State.LEASED, priorityOf(member), null,
                    deliveries, Instant.ofEpochMilli(deadline.longValue()), body));
        }
        String member = memberIn(k[RedisKeys.READY], id);
        if (member != null) {
            return Optional.of(new StoredMessage(queue, id, StoredMessage.State.PENDING, priorityOf(member), null,
                    deliveries, null, body));
        }
        member = memberIn(k[RedisKeys.SCHEDULE], id);
        if (member != null) {
            String m = member;
            Double eta = run("message", () -> redis.get().zscore(k[RedisKeys.SCHEDULE], b(m)));
            return Optional.of(new StoredMessage(queue, id, StoredMessage.State.SCHEDULED, priorityOf(member),
                    eta == null ? null : Instant.ofEpochMilli(eta.longValue()), deliveries, null, body));
        }
        return Optional.empty(); // moved between the reads
    }

    private static int priorityOf(String member) {
        try {
            return Integer.parseInt(member.substring(16, member.indexOf(':', 16)));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    boolean deleteMessage(String queue, String id) {
        String[] k = keys.get().queue(queue);
        for (String set : new String[] {k[RedisKeys.READY], k[RedisKeys.SCHEDULE]}) {
            String member = memberIn(set, id);
            if (member != null && evalLong("deleteMessage", DELETE, queue, b(member)) == 1) {
                return true;
            }
        }
        return false;
    }

    List<DeadLetter> deadLetters(String queue, int offset, int limit) {
        checkPage(offset, limit);
        if (limit == 0) {
            return List.of();
        }
        String deadKey = keys.get().queue(queue)[RedisKeys.DEAD];
        List<byte[]> raw = run("deadLetters", () -> redis.get().lrange(deadKey, offset, offset + (long) limit - 1));
        List<DeadLetter> out = new ArrayList<>(raw.size());
        for (byte[] entry : raw) {
            out.add(RedisStorage.decodeDeadLetter(queue, entry));
        }
        return out;
    }

    Optional<DeadLetter> deadLetter(String queue, String id) {
        for (int offset = 0; ; offset += 100) {
            List<DeadLetter> page = deadLetters(queue, offset, 100);
            for (DeadLetter dead : page) {
                if (dead.id().equals(id)) {
                    return Optional.of(dead);
                }
            }
            if (page.size() < 100) {
                return Optional.empty();
            }
        }
    }

    /** {@code now}: epoch ms as text, or empty for the server's clock (as the queue scripts take it). */
    boolean requeueDeadLetter(String queue, String id, int priority, byte[] now) {
        return evalLong("requeueDeadLetter", REQUEUE, queue, b(id), b(Integer.toString(priority)),
                b(keys.get().wakeChannel(queue)), now) == 1;
    }

    boolean deleteDeadLetter(String queue, String id) {
        return evalLong("deleteDeadLetter", DELETE_DEAD, queue, b(id)) == 1;
    }

    long purgeDeadLetters(String queue) {
        return evalLong("purgeDeadLetters", PURGE_DEAD, queue);
    }

    void putHeartbeat(String consumer, byte[] record, Duration ttl) {
        String key = keys.get().consumer(consumer);
        run("putHeartbeat", () -> redis.get().set(key, record, SetArgs.Builder.px(Math.max(1, ttl.toMillis()))));
    }

    Map<String, byte[]> heartbeats() {
        RedisKeys k = keys.get();
        Map<String, byte[]> out = new TreeMap<>();
        for (String key : scan(k.consumerPattern())) {
            byte[] record = run("heartbeats", () -> redis.get().get(key));
            if (record != null) {
                out.put(k.consumerOfKey(key), record);
            }
        }
        return out;
    }

    boolean removeHeartbeat(String consumer) {
        String key = keys.get().consumer(consumer);
        Long n = run("removeHeartbeat", () -> redis.get().del(key));
        return n != null && n == 1;
    }
}
