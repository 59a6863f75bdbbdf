package dev.louie.redis;

import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The key scheme of {@link RedisStorage} for one namespace: every key and channel name it uses is
 * made here, and nowhere else. {@code NS} is the namespace (letters, digits, {@code _}, {@code -}),
 * {@code Q} a queue name (anything but <code>{</code> and <code>}</code>):
 *
 * <pre>
 * louie:{NS.Q}:ready | schedule | leased | body | meta | dead | seq | dead-ids | since   the queue's keys ({@link #queue})
 * louie:{NS.Q}:wake                                                            channel: the queue is no longer empty
 * louie:{NS:KEY}:result   louie:{NS:KEY}:done (channel)                         a result and its notification
 * louie:{NS}:lock:NAME    louie:{NS}:revoked:KEY    louie:{NS}:counter:NAME
 * louie:{NS}:consumer:ID                                                       a consumer's heartbeat (with a TTL)
 * louie:{NS}:exchanges    louie:{NS}:bindings    louie:{NS}:routing-version       the routing table ({@link RedisExchanges})
 * louie:{NS.limit.NAME}:rate | holders                                         a rate or concurrency limit ({@link RedisLimits})
 * </pre>
 *
 * Every key of one queue carries the hash tag <code>{NS.Q}</code> (one Redis Cluster slot), and
 * every key of one limit the tag <code>{NS.limit.NAME}</code>; the
 * namespace cannot contain a dot, so the tag is never ambiguous. A result and its channel carry a
 * tag of their own, <code>{NS:KEY}</code>, so results spread over a cluster's slots and a script
 * that stores one touches that slot only. (A key containing <code>}</code> ends its tag early; the
 * result key and its channel still share it, since they agree up to there.) Namespace-wide keys
 * (locks, flags, counters, heartbeats, the routing table) use <code>{NS}</code>; each script touches
 * one of them, or only the routing table's three. {@code docs/redis.md} describes the value formats
 * and the layout's history ({@link #legacyResultPattern}).
 */
final class RedisKeys {

    /** What a namespace may contain. */
    static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_\\-]+");

    /** Positions in {@link #queue}: the order in which every queue script receives the keys (KEYS[i + 1]). */
    static final int READY = 0;
    static final int SCHEDULE = 1;
    static final int LEASED = 2;
    static final int BODY = 3;
    static final int META = 4;
    static final int DEAD = 5;
    static final int SEQ = 6;
    static final int DEAD_IDS = 7;
    static final int SINCE = 8;

    private static final String[] QUEUE_KEYS = {"ready", "schedule", "leased", "body", "meta", "dead", "seq", "dead-ids", "since"};
    /** How many keys {@link #queue} gives (the PUBLISH script of {@code RedisExchanges} takes this many per queue). */
    static final int QUEUE_KEY_COUNT = QUEUE_KEYS.length;

    private final String namespace;
    /** {@code louie:{NS}:} */
    private final String prefix;
    /** {@code louie:{NS.} */
    private final String queuePrefix;
    /** {@code louie:{NS:}: the start of every result key and done channel. */
    private final String resultPrefix;
    private final ConcurrentHashMap<String, String[]> queues = new ConcurrentHashMap<>();

    RedisKeys(String namespace) {
        this.namespace = namespace;
        this.prefix = "louie:{" + namespace + "}:";
        this.queuePrefix = "louie:{" + namespace + ".";
        this.resultPrefix = "louie:{" + namespace + ":";
    }

    /** Whether {@code name} can be a namespace. */
    static boolean valid(String name) {
        return name != null && NAMESPACE.matcher(name).matches();
    }

    String namespace() {
        return namespace;
    }

    /** The keys of {@code queue}, in the order of {@link #READY} … {@link #SINCE}; the same array every time. */
    String[] queue(String queue) {
        return queues.computeIfAbsent(queue, q -> {
            if (q.isEmpty() || q.indexOf('{') >= 0 || q.indexOf('}') >= 0) {
                throw new IllegalArgumentException("queue name must be non-empty and free of '{' and '}': " + q);
            }
            String p = queuePrefix + q + "}:";
            String[] keys = new String[QUEUE_KEYS.length];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = p + QUEUE_KEYS[i];
            }
            return keys;
        });
    }

    /** The channel published when {@code queue}'s ready set goes from empty to non-empty. */
    String wakeChannel(String queue) {
        return queuePrefix + queue + "}:wake";
    }

    /** Whether {@code channel} is a queue's wake channel of this namespace. */
    boolean isWakeChannel(String channel) {
        return channel.startsWith(queuePrefix) && channel.endsWith("}:wake");
    }

    /** The queue of a wake channel. */
    String queueOfWakeChannel(String channel) {
        return channel.substring(queuePrefix.length(), channel.length() - "}:wake".length());
    }

    /** The key of result {@code key}: <code>louie:{NS:KEY}:result</code>. */
    String result(String key) {
        return resultPrefix + key + "}:result";
    }

    /** The channel published when result {@code key} is stored: <code>louie:{NS:KEY}:done</code>, the result's slot. */
    String doneChannel(String key) {
        return resultPrefix + key + "}:done";
    }

    /** Whether {@code channel} is a result's channel of this namespace. */
    boolean isDoneChannel(String channel) {
        return channel.startsWith(resultPrefix) && channel.endsWith("}:done");
    }

    /** The result key of a done channel. */
    String resultOfDoneChannel(String channel) {
        return channel.substring(resultPrefix.length(), channel.length() - "}:done".length());
    }

    /** The result key of a result's Redis key, or null when it is not one. */
    String resultOfKey(String redisKey) {
        if (!redisKey.startsWith(resultPrefix) || !redisKey.endsWith("}:result")) {
            return null;
        }
        return redisKey.substring(resultPrefix.length(), redisKey.length() - "}:result".length());
    }

    /**
     * SCAN pattern of the result keys of the earlier layout, <code>louie:{NS}:result:KEY</code>
     * (all in the namespace's slot), which {@code RedisStorage#migrateResults} moves.
     */
    String legacyResultPattern() {
        return prefix + "result:*";
    }

    /** The result key of a key of the earlier layout. */
    String resultOfLegacyKey(String redisKey) {
        return redisKey.substring((prefix + "result:").length());
    }

    String lock(String name) {
        return prefix + "lock:" + name;
    }

    String revoked(String key) {
        return prefix + "revoked:" + key;
    }

    String counter(String name) {
        return prefix + "counter:" + name;
    }

    /** The heartbeat key of consumer {@code id}. */
    String consumer(String id) {
        return prefix + "consumer:" + id;
    }

    /** SCAN pattern of every consumer heartbeat. */
    String consumerPattern() {
        return prefix + "consumer:*";
    }

    /** The consumer id of a heartbeat key. */
    String consumerOfKey(String key) {
        return key.substring((prefix + "consumer:").length());
    }

    /** SCAN pattern of one kind of queue key ({@code seq}, {@code dead}, …) over every queue of this namespace. */
    String queueKeyPattern(String suffix) {
        return queuePrefix + "*}:" + suffix;
    }

    /** The queue of a queue key with {@code suffix}, or null when the key is not one. */
    String queueOfKey(String key, String suffix) {
        String end = "}:" + suffix;
        if (!key.startsWith(queuePrefix) || !key.endsWith(end) || key.length() <= queuePrefix.length() + end.length()) {
            return null;
        }
        return key.substring(queuePrefix.length(), key.length() - end.length());
    }

    /** HASH exchange name -&gt; type, or type, space, alternate queue. */
    String exchanges() {
        return prefix + "exchanges";
    }

    /** SET of bindings, each {@code <len exchange>:<len queue>:<exchange><queue><pattern>}. */
    String bindings() {
        return prefix + "bindings";
    }

    /** STRING: the routing table's version, raised by every change. */
    String routingVersion() {
        return prefix + "routing-version";
    }

    /** STRING: the GCRA theoretical arrival time of the rate limit {@code name} (epoch µs). */
    String limitRate(String name) {
        return limitPrefix(name) + "rate";
    }

    /** ZSET: the holders of the slots of the concurrency limit {@code name}, scored by lease expiry (epoch ms). */
    String limitHolders(String name) {
        return limitPrefix(name) + "holders";
    }

    private String limitPrefix(String name) {
        if (name == null || name.isEmpty() || name.indexOf('{') >= 0 || name.indexOf('}') >= 0) {
            throw new IllegalArgumentException("limit name must be non-empty and free of '{' and '}': " + name);
        }
        return queuePrefix + "limit." + name + "}:";
    }

    /** SCAN pattern of every result (a key may match that is not one: check with {@link #resultOfKey}). */
    String resultPattern() {
        return RedisInspection.glob(resultPrefix) + "*}:result";
    }

    /** SCAN pattern of every lock. */
    String lockPattern() {
        return prefix + "lock:*";
    }

    /** SCAN patterns that together match every key of this namespace (and no other namespace's). */
    String[] allPatterns() {
        return new String[] {RedisInspection.glob(prefix) + "*", RedisInspection.glob(queuePrefix) + "*",
            RedisInspection.glob(resultPrefix) + "*"};
    }

    @Override
    public String toString() {
        return namespace;
    }
}
