package dev.louie.redis;

/**
 * The Lua scripts of {@link RedisStorage}. Every queue script receives the same nine keys, all
 * under the queue's hash tag (one cluster slot):
 *
 * <pre>
 * KEYS[1] ready     ZSET  score -priority, member &lt;16 hex seq&gt;&lt;priority&gt;:&lt;id&gt; (ties: member order = FIFO)
 * KEYS[2] schedule  ZSET  score eta (epoch ms), same member format
 * KEYS[3] leased    ZSET  score lease deadline (epoch ms), member id
 * KEYS[4] body      HASH  id -&gt; body
 * KEYS[5] meta      HASH  id -&gt; &lt;deliveries&gt;:&lt;token&gt;:&lt;member&gt; (from first delivery to the end)
 * KEYS[6] dead      LIST  encoded dead letters, oldest first
 * KEYS[7] seq       STRING counter for member order and lease tokens
 * KEYS[8] dead-ids  SET   ids of the dead letters (an id there cannot be enqueued again)
 * KEYS[9] since     ZSET  score epoch ms when the message became visible, member id (the ready ones only)
 * </pre>
 *
 * Lease times (deadlines, whether a lease is current, reclaiming) run on the Redis server's clock:
 * a script reads {@code TIME} when its {@code now} argument is empty, so a command that reaches
 * Redis late (buffered through an outage, a paused client) still grants a full lease. A caller on
 * an injected clock (tests) passes its {@code now} instead. Etas are the caller's.
 */
final class Scripts {

    private Scripts() {
    }

    /**
     * {@code script} with its notifications sent as sharded pub/sub ({@code SPUBLISH}, Redis 7): on a
     * cluster a notification then travels only to the nodes of its channel's slot, which every
     * channel here shares with the keys of its script.
     */
    static String sharded(String script) {
        return script.replace("redis.call('PUBLISH',", "redis.call('SPUBLISH',");
    }

    /** Helpers shared by the queue scripts (each script is sent with this prelude). */
    static final String PRELUDE = """
            -- epoch ms: the caller's (arg) or, when arg is '', the server's clock
            local function now_ms(arg)
              if arg ~= '' then return tonumber(arg) end
              local t = redis.call('TIME')
              return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            end
            local function parse_member(m)
              if #m < 19 or not string.match(string.sub(m, 1, 16), '^%x+$') then return nil end
              local pri, id = string.match(string.sub(m, 17), '^(%-?%d+):(.+)$')
              if not pri then return nil end
              return tonumber(pri), id
            end
            -- a dead letter; ours: a message RedisStorage enqueued, whose id stays taken (KEYS[8])
            local function dead(key, id, body, deliveries, now, reason, ours)
              redis.call('RPUSH', key, string.format('%d:%d:%d:%d:', deliveries, now, #id, #reason) .. id .. reason .. body)
              if ours then redis.call('SADD', KEYS[8], id) end
            end
            local function parse_meta(m)
              if not m then return nil end
              local d, tok, member = string.match(m, '^(%d+):([^:]*):(.+)$')
              if not d then return nil end
              return tonumber(d), tok, member
            end
            -- deliveries and member of a current lease (ARGV[1]=id, ARGV[2]=token, ARGV[3]=now or ''), else nil
            local function current()
              local deadline = redis.call('ZSCORE', KEYS[3], ARGV[1])
              if not deadline or tonumber(deadline) <= now_ms(ARGV[3]) then return nil end
              local d, tok, member = parse_meta(redis.call('HGET', KEYS[5], ARGV[1]))
              if not d or tok ~= ARGV[2] then return nil end
              return d, member
            end
            -- since: when the message became visible (for the oldest pending message of the queue)
            local function to_ready(member, pri, wake, since, id)
              local was_empty = redis.call('EXISTS', KEYS[1]) == 0
              redis.call('ZADD', KEYS[1], -pri, member)
              redis.call('ZADD', KEYS[9], since, id)
              if was_empty and wake then redis.call('PUBLISH', wake, '1') end
            end
            """;

    /**
     * ARGV: wake channel, now or '', then per message: id, priority, eta ms ('' = ready now), body. An id that
     * is already in the queue (its body is stored: visible, scheduled or leased) or dead-lettered
     * there is skipped, and so is a repeat within the call. Returns one flag per message: 1 added, 0 skipped.
     */
    static final String ENQUEUE = PRELUDE + """
            local now = now_ms(ARGV[2]) -- before any write: TIME is then allowed on every Redis version
            local n = (#ARGV - 2) / 4
            local was_empty = redis.call('EXISTS', KEYS[1]) == 0
            local seq = redis.call('INCRBY', KEYS[7], n) - n
            local added, ready = {}, 0
            for i = 0, n - 1 do
              local b = 3 + i * 4
              local id, pri, eta = ARGV[b], ARGV[b + 1], ARGV[b + 2]
              seq = seq + 1
              added[i + 1] = 0
              if redis.call('SISMEMBER', KEYS[8], id) == 0 and redis.call('HSETNX', KEYS[4], id, ARGV[b + 3]) == 1 then
                added[i + 1] = 1
                local member = string.format('%016x', seq) .. pri .. ':' .. id
                redis.call('HDEL', KEYS[5], id)
                if eta ~= '' then
                  redis.call('ZADD', KEYS[2], eta, member)
                else
                  redis.call('ZADD', KEYS[1], -tonumber(pri), member)
                  redis.call('ZADD', KEYS[9], now, id)
                  ready = ready + 1
                end
              end
            end
            if ready > 0 and was_empty then redis.call('PUBLISH', ARGV[1], '1') end
            return added
            """;

    /**
     * ARGV: now or '', lease ms, max, token nonce, reclaim limit. Dead-letters malformed entries,
     * reclaims expired leases (back to ready, their delivery count kept: the consumer dead-letters
     * a message past its limit), then claims up to max messages. Returns the lease deadline (epoch
     * ms), how many malformed entries it dead-lettered and the first one's reason ('' when none),
     * then a flat list of id, priority, body, deliveries, token per lease.
     */
    static final String DEQUEUE = PRELUDE + """
            local now = now_ms(ARGV[1])
            local deadline = now + tonumber(ARGV[2])
            local max = tonumber(ARGV[3])
            local malformed, why = 0, ''
            local function bad(reason)
              malformed = malformed + 1
              if why == '' then why = reason end
            end
            -- something that is not a RedisStorage queue was written to the ready key
            local t = redis.call('TYPE', KEYS[1]).ok
            if t ~= 'zset' and t ~= 'none' then
              local reason = 'malformed queue entry: the queue key held a Redis ' .. t .. ', not a RedisStorage queue'
              if t == 'list' then
                for _, item in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
                  dead(KEYS[6], string.sub(item, 1, 64), item, 0, now, reason)
                  bad(reason)
                end
              elseif t == 'string' then
                local item = redis.call('GET', KEYS[1])
                dead(KEYS[6], string.sub(item, 1, 64), item, 0, now, reason)
                bad(reason)
              else
                dead(KEYS[6], '?', '', 0, now, reason)
                bad(reason)
              end
              redis.call('DEL', KEYS[1])
            end
            -- expired leases: deliver again (the next delivery counts one more)
            local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[5]))
            for i = 1, #expired, 2 do
              local id = expired[i]
              redis.call('ZREM', KEYS[3], id)
              local d, _, member = parse_meta(redis.call('HGET', KEYS[5], id))
              local body = redis.call('HGET', KEYS[4], id)
              local pri = member and parse_member(member)
              if not pri or not body then
                dead(KEYS[6], id, body or '', d or 0, now, 'lease record damaged: message data missing', true)
                bad('lease record damaged: message data missing')
                redis.call('HDEL', KEYS[4], id)
                redis.call('HDEL', KEYS[5], id)
              else
                redis.call('HSET', KEYS[5], id, d .. '::' .. member)
                redis.call('ZADD', KEYS[1], -pri, member)
                redis.call('ZADD', KEYS[9], expired[i + 1], id)
              end
            end
            -- claim
            local out = {deadline, 0, ''}
            local popped = redis.call('ZPOPMIN', KEYS[1], max)
            local tok = 0
            if #popped > 0 then tok = redis.call('INCRBY', KEYS[7], #popped / 2) - #popped / 2 end
            for i = 1, #popped, 2 do
              local member = popped[i]
              local pri, id = parse_member(member)
              if id then redis.call('ZREM', KEYS[9], id) end
              local body = id and redis.call('HGET', KEYS[4], id)
              if not body then
                local reason
                if id then reason = 'malformed queue entry: no message body stored for id ' .. id
                else reason = 'malformed queue entry: not written by RedisStorage' end
                dead(KEYS[6], id or string.sub(member, 1, 64), member, 0, now, reason)
                bad(reason)
              else
                local d = (parse_meta(redis.call('HGET', KEYS[5], id)) or 0) + 1
                tok = tok + 1
                local token = string.format('%x', tok) .. '.' .. ARGV[4]
                redis.call('HSET', KEYS[5], id, d .. ':' .. token .. ':' .. member)
                redis.call('ZADD', KEYS[3], deadline, id)
                out[#out + 1] = id
                out[#out + 1] = tostring(pri)
                out[#out + 1] = body
                out[#out + 1] = tostring(d)
                out[#out + 1] = token
              end
            end
            out[2] = malformed
            out[3] = why
            return out
            """;

    /** ARGV: id, token, now or '', lease ms. Returns the new deadline, or 0 when the lease is not current. */
    static final String EXTEND = PRELUDE + """
            if not current() then return 0 end
            local deadline = now_ms(ARGV[3]) + tonumber(ARGV[4])
            redis.call('ZADD', KEYS[3], 'XX', deadline, ARGV[1])
            return deadline
            """;

    /** ARGV: id, token, now or ''. */
    static final String ACK = PRELUDE + """
            if not current() then return 0 end
            redis.call('ZREM', KEYS[3], ARGV[1])
            redis.call('HDEL', KEYS[4], ARGV[1])
            redis.call('HDEL', KEYS[5], ARGV[1])
            return 1
            """;

    /**
     * Completions of one queue (also a single {@code complete}). KEYS[10..]: the result keys of the completions that store one,
     * in order. ARGV: now or '', then per completion 7 values: id, token, '1' if it stores a result else
     * '0', result, ttl ms or '', done channel, inline flag. Returns 1 or 0 per completion.
     */
    static final String COMPLETE_ALL = PRELUDE + """
            local now = now_ms(ARGV[1])
            local out = {}
            local k = 10
            for i = 2, #ARGV, 7 do
              local id, tok = ARGV[i], ARGV[i + 1]
              local rkey = nil
              if ARGV[i + 2] == '1' then
                rkey = KEYS[k]
                k = k + 1
              end
              local ok = 0
              local deadline = redis.call('ZSCORE', KEYS[3], id)
              if deadline and tonumber(deadline) > now then
                local d, t = parse_meta(redis.call('HGET', KEYS[5], id))
                if d and t == tok then ok = 1 end
              end
              if ok == 1 then
                redis.call('ZREM', KEYS[3], id)
                redis.call('HDEL', KEYS[4], id)
                redis.call('HDEL', KEYS[5], id)
                if rkey then
                  if ARGV[i + 4] ~= '' then
                    redis.call('SET', rkey, ARGV[i + 3], 'PX', ARGV[i + 4])
                  else
                    redis.call('SET', rkey, ARGV[i + 3])
                  end
                  if ARGV[i + 6] == '1' then
                    redis.call('PUBLISH', ARGV[i + 5], 'v' .. ARGV[i + 3])
                  else
                    redis.call('PUBLISH', ARGV[i + 5], 'k')
                  end
                end
              end
              out[#out + 1] = ok
            end
            return out
            """;

    /**
     * The first step of completions on a Redis Cluster, where a result and its queue live in
     * different slots ({@code RedisStorage#completeAll}). ARGV: now or '', hold ms, then id, token per
     * completion. A lease that is current is held until at least now + hold ms (nobody else can take
     * the message while its result is written); returns 1 for it, 0 for a lease that is not current.
     */
    static final String HOLD = PRELUDE + """
            local now = now_ms(ARGV[1])
            local hold = now + tonumber(ARGV[2])
            local out = {}
            for i = 3, #ARGV, 2 do
              local id, tok = ARGV[i], ARGV[i + 1]
              local ok = 0
              local deadline = redis.call('ZSCORE', KEYS[3], id)
              if deadline and tonumber(deadline) > now then
                local d, t = parse_meta(redis.call('HGET', KEYS[5], id))
                if d and t == tok then
                  ok = 1
                  if tonumber(deadline) < hold then redis.call('ZADD', KEYS[3], 'XX', hold, id) end
                end
              end
              out[#out + 1] = ok
            end
            return out
            """;

    /** ARGV: id, token, now or '', wake channel, next id, next priority, next eta ms or '', next body. */
    static final String RETRY = PRELUDE + """
            local now = now_ms(ARGV[3])
            if not current() then return 0 end
            redis.call('ZREM', KEYS[3], ARGV[1])
            redis.call('HDEL', KEYS[5], ARGV[1])
            redis.call('HDEL', KEYS[4], ARGV[1])
            local id = ARGV[5]
            redis.call('HDEL', KEYS[5], id)
            redis.call('HSET', KEYS[4], id, ARGV[8])
            local member = string.format('%016x', redis.call('INCR', KEYS[7])) .. ARGV[6] .. ':' .. id
            if ARGV[7] ~= '' then
              redis.call('ZADD', KEYS[2], ARGV[7], member)
            else
              to_ready(member, tonumber(ARGV[6]), ARGV[4], now, id)
            end
            return 1
            """;

    /** ARGV: id, token, now or '', wake channel. Back to its old place, delivery not counted. */
    static final String RELEASE = PRELUDE + """
            local now = now_ms(ARGV[3])
            local d, member = current()
            if not d then return 0 end
            redis.call('ZREM', KEYS[3], ARGV[1])
            redis.call('HSET', KEYS[5], ARGV[1], (d - 1) .. '::' .. member)
            to_ready(member, parse_member(member), ARGV[4], now, ARGV[1])
            return 1
            """;

    /** ARGV: id, token, now or '', reason. */
    static final String DEAD_LETTER = PRELUDE + """
            local d = current()
            if not d then return 0 end
            redis.call('ZREM', KEYS[3], ARGV[1])
            local body = redis.call('HGET', KEYS[4], ARGV[1]) or ''
            dead(KEYS[6], ARGV[1], body, d, now_ms(ARGV[3]), ARGV[4], true)
            redis.call('HDEL', KEYS[4], ARGV[1])
            redis.call('HDEL', KEYS[5], ARGV[1])
            return 1
            """;

    /** ARGV: now, limit, wake channel. Returns how many scheduled messages became visible (since their eta). */
    static final String PROMOTE = PRELUDE + """
            local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
            if #due == 0 then return 0 end
            local was_empty = redis.call('EXISTS', KEYS[1]) == 0
            for i = 1, #due, 2 do
              local member = due[i]
              local pri, id = parse_member(member)
              redis.call('ZREM', KEYS[2], member)
              redis.call('ZADD', KEYS[1], -(pri or 0), member)
              if id then redis.call('ZADD', KEYS[9], due[i + 1], id) end
            end
            if was_empty then redis.call('PUBLISH', ARGV[3], '1') end
            return #due / 2
            """;

    /**
     * ARGV: none. The epoch ms since which the message that has waited longest among the visible
     * ones has been visible, or false when none is. An entry whose message is gone or leased (an
     * older writer, a repair) is dropped on the way.
     */
    static final String OLDEST_PENDING = """
            for _ = 1, 1000 do
              local e = redis.call('ZRANGE', KEYS[9], 0, 0, 'WITHSCORES')
              if #e == 0 then return false end
              if redis.call('HEXISTS', KEYS[4], e[1]) == 1 and not redis.call('ZSCORE', KEYS[3], e[1]) then
                return tonumber(e[2])
              end
              redis.call('ZREM', KEYS[9], e[1])
            end
            return false
            """;

    /** KEYS[1]: result key. ARGV: value, ttl ms or '', the result's done channel, '1' to publish the value or '0'. */
    static final String PUT_RESULT = """
            if ARGV[2] ~= '' then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            else
              redis.call('SET', KEYS[1], ARGV[1])
            end
            if ARGV[4] == '1' then
              redis.call('PUBLISH', ARGV[3], 'v' .. ARGV[1])
            else
              redis.call('PUBLISH', ARGV[3], 'k')
            end
            return 1
            """;

    /**
     * KEYS[1]: counter key. ARGV: delta, ttl ms or ''. Adds delta and returns the new value; a
     * counter that reaches 0 is deleted; a ttl sets the key's expiry, none leaves it as it was
     * (INCRBY keeps it). A delta of 0 without ttl only reads (it creates no key).
     */
    static final String INCREMENT = """
            local delta = tonumber(ARGV[1])
            if delta == 0 and ARGV[2] == '' then return tonumber(redis.call('GET', KEYS[1]) or '0') end
            local value = redis.call('INCRBY', KEYS[1], delta)
            if value == 0 then
              redis.call('DEL', KEYS[1])
            elseif ARGV[2] ~= '' then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return value
            """;

    /** KEYS[1]: lock key. ARGV: owner, ttl ms. Takes a free lock or refreshes one held by owner. */
    static final String LOCK_ACQUIRE = """
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            return 0
            """;

    /** KEYS[1]: lock key. ARGV: owner. */
    static final String LOCK_RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('DEL', KEYS[1])
              return 1
            end
            return 0
            """;
}
