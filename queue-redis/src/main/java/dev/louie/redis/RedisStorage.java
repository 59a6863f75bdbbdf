package dev.louie.redis;

import dev.louie.core.Binding;
import dev.louie.core.Exchange;
import dev.louie.core.storage.Completion;
import dev.louie.core.storage.DeadLetter;
import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.ExchangeStorage;
import dev.louie.core.storage.LimitStorage;
import dev.louie.core.storage.Lease;
import dev.louie.core.storage.Revocation;
import dev.louie.core.storage.RoutingTable;
import dev.louie.core.storage.Storage;
import dev.louie.core.storage.StorageException;
import dev.louie.core.storage.StorageInspection;
import dev.louie.core.storage.StoredMessage;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distributed {@link Storage}: many producers and consumers on many hosts share one Redis
 * (6.2 or newer), or one Redis Cluster, through Lettuce.
 *
 * <pre>{@code
 * Storage storage = RedisStorage.builder("redis://:secret@redis.internal:6379/0").build();
 * Storage onCluster = RedisStorage.cluster("redis://h1:7000", "redis://h2:7001", "redis://h3:7002").build();
 * Louie louie = Louie.builder("shop").storage(storage).register(new ShopTasks()).build();
 * }</pre>
 *
 * <p>Keys live in a namespace: the application name given to {@link #attach} (which
 * {@code Louie.Builder.build()} calls), or an explicit {@link Builder#namespace}. Two applications
 * on one Redis therefore never share queues, results or locks unless both storages are built with
 * the same explicit namespace; a storage used before it has a namespace throws
 * {@link IllegalStateException}.
 *
 * <p>Every message operation is one Lua script call (loaded once, called by SHA), so a dequeue
 * claims up to {@code max} messages and moves them to the lease set atomically, and on a single
 * server {@link #complete} acknowledges and stores the result in one step (on a cluster in three
 * single-slot steps, {@link #completeAll}). Keys of one queue share the hash tag
 * <code>{namespace.queue}</code>, a result and its channel <code>{namespace:key}</code>, and
 * namespace-wide keys (locks, flags, counters, heartbeats, routing) <code>{namespace}</code>
 * ({@link RedisKeys}): every script touches one cluster slot. The key layout, and the migration of
 * results stored by the previous layout ({@link #migrateResults}), are described in
 * {@code docs/redis.md}.
 *
 * <p>Times: lease deadlines, and whether a lease is still current, run on the Redis server's clock
 * (the scripts read {@code TIME}), so a lease starts when Redis grants it, however late a command
 * arrives, and hosts' clock skew does not shift it. Etas come from the configured {@link Clock} of
 * the calling process (keep hosts NTP-synchronized); result, lock and counter TTLs run on the
 * server's clock. A clock that is not a system clock (a test's) governs lease times as well.
 * Failures are reported as {@link StorageException}; while Redis is unreachable commands fail at
 * once rather than being buffered, and the connection reconnects by itself after a Redis restart,
 * so a caller that backs off and tries again resumes.
 *
 * <p>A storage can be built while Redis is down: it connects in the background
 * ({@link RedisConnector}), and an operation waits up to {@link Builder#connectTimeout} for the
 * connection before failing with {@link StorageException}.
 *
 * <p>Instances are thread-safe. Commands share one connection; waiting for results and messages
 * uses one dedicated pub/sub connection, opened on first use.
 */
public final class RedisStorage implements Storage, StorageInspection, ExchangeStorage, LimitStorage {

    private static final Logger log = LoggerFactory.getLogger(RedisStorage.class);

    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final byte[] EMPTY = new byte[0];
    private static final int CHUNK = 500;
    private static final int RECLAIM_LIMIT = 100;
    private static final int PROMOTE_LIMIT = 1000;
    /** Values before the leases in the dequeue script's reply: deadline, malformed count, first reason. */
    private static final int DEQUEUE_HEADER = 3;

    /** A single server or a cluster: the one place where the kind is decided. */
    private final RedisEndpoint endpoint;
    private final boolean ownsClient;
    /** Whether notifications are sharded pub/sub (a cluster of Redis 7 or newer); set up by the first connection. */
    private volatile boolean sharded;
    /** The command connection: waits for it while Redis is away, fails with StorageException after the connect timeout. */
    private final RedisConnector connector;
    private final Duration commandTimeout;
    private final Clock clock;
    /** Whether lease times run on the Redis server's clock (the default) rather than on {@link #clock} (an injected test clock). */
    private final boolean serverTime;
    /** The key scheme of the namespace; null until the namespace is known (explicit, or from {@link #attach}). */
    private volatile RedisKeys keys;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** What dequeue scripts dead-lettered on their own (malformed entries): at most one line per queue every 10 s. */
    private final DeadLetterLog deadLetterLog = new DeadLetterLog(log, Duration.ofSeconds(10), System::nanoTime);
    /** Queue wake-ups and result watches (pub/sub). */
    private final Notifications notifications;

    private final Script enqueue = new Script(Scripts.ENQUEUE);
    /** Where coalesced enqueues complete their callers' futures and send their next batch. */
    private final ExecutorService enqueueThreads = Executors.newCachedThreadPool(daemon("louie-redis-enqueue"));
    private final EnqueueCoalescer enqueues = new EnqueueCoalescer(this::sendEnqueue, enqueueThreads, CHUNK);
    private final Script dequeue = new Script(Scripts.DEQUEUE);
    private final Script extend = new Script(Scripts.EXTEND);
    private final Script ack = new Script(Scripts.ACK);
    private final Script completeAll = new Script(Scripts.COMPLETE_ALL);
    private final Script hold = new Script(Scripts.HOLD);
    private final Script retry = new Script(Scripts.RETRY);
    private final Script release = new Script(Scripts.RELEASE);
    private final Script deadLetter = new Script(Scripts.DEAD_LETTER);
    private final Script promote = new Script(Scripts.PROMOTE);
    private final Script putResult = new Script(Scripts.PUT_RESULT);
    private final Script lockAcquire = new Script(Scripts.LOCK_ACQUIRE);
    private final Script lockRelease = new Script(Scripts.LOCK_RELEASE);
    private final Script increment = new Script(Scripts.INCREMENT);
    private final Script oldestPending = new Script(Scripts.OLDEST_PENDING);
    /** Listings, dead-letter repairs and heartbeats. */
    private final RedisInspection inspection = new RedisInspection(this::redis, this::keys, () -> sharded,
            this::scanKeys);

    private RedisStorage(Builder b) {
        this.clock = b.clock;
        this.serverTime = b.clock.getClass() == Clock.systemUTC().getClass();
        this.keys = b.namespace == null ? null : new RedisKeys(b.namespace);
        this.explicitNamespace = b.namespace != null;
        if (b.client != null) {
            this.endpoint = RedisEndpoint.standalone(b.client);
            this.ownsClient = false;
        } else if (b.clusterClient != null) {
            this.endpoint = RedisEndpoint.cluster(b.clusterClient);
            this.ownsClient = false;
        } else if (b.clusterUris != null) {
            this.endpoint = RedisEndpoint.cluster(b.clusterUris, b.commandTimeout, b.connectTimeout);
            this.ownsClient = true;
        } else {
            this.endpoint = RedisEndpoint.standalone(b.uri, b.commandTimeout, b.connectTimeout);
            this.ownsClient = true;
        }
        this.commandTimeout = b.commandTimeout;
        this.connector = new RedisConnector(endpoint, CODEC, where(b), b.commandTimeout, b.connectTimeout, this::setUp);
        this.notifications = new Notifications(endpoint, CODEC, connector, b.commandTimeout, () -> keys, () -> sharded,
                this::readResultAsync);
        try {
            connector.start();
        } catch (RuntimeException e) {
            close();
            throw e instanceof StorageException ? e : new StorageException("Redis setup failed: " + e.getMessage(), e);
        }
    }

    /** How messages name the server: host:port of the URI (never its password). */
    private static String where(Builder b) {
        if (b.clusterUris != null) {
            List<String> hosts = new ArrayList<>();
            for (String u : b.clusterUris) {
                RedisURI uri = RedisURI.create(u);
                hosts.add(uri.getHost() + ":" + uri.getPort());
            }
            return "Redis Cluster " + String.join(",", hosts);
        }
        if (b.uri == null) {
            return b.clusterClient != null ? "(the given RedisClusterClient)" : "(the given RedisClient)";
        }
        RedisURI uri = RedisURI.create(b.uri);
        return uri.getHost() != null ? uri.getHost() + ":" + uri.getPort() : "(Sentinel master " + uri.getSentinelMasterId() + ")";
    }

    /**
     * On each new connection, before it is used: the server version (which also decides whether a
     * cluster's notifications are sharded), then the scripts (on a cluster: on every node).
     */
    private void setUp(StatefulConnection<String, byte[]> c) {
        RedisClusterCommands<String, byte[]> commands = endpoint.sync(c);
        String version = checkVersion(commands);
        sharded = endpoint.isCluster() && atLeast(version, 7, 0);
        for (Script script : List.of(enqueue, dequeue, extend, ack, completeAll, hold, retry, release, deadLetter, promote,
                oldestPending, putResult, lockAcquire, lockRelease, increment)) {
            script.load(commands);
        }
    }

    /** The command connection's sync API (waits for a connection while Redis is away). */
    private RedisClusterCommands<String, byte[]> redis() {
        return endpoint.sync(connector.connection());
    }

    /**
     * The async API: hot paths use it and wait on the future, because the sync proxy looks its
     * method up reflectively per call.
     */
    private RedisClusterAsyncCommands<String, byte[]> async() {
        return endpoint.async(connector.connection());
    }

    /** A builder connecting to {@code redisUri}: {@code redis://[:password@]host[:port][/database]}, or {@code rediss://} for TLS. */
    public static Builder builder(String redisUri) {
        return new Builder(Objects.requireNonNull(redisUri, "redisUri"), null);
    }

    /** A builder on a Lettuce client configured by the caller (created with its URI); the caller shuts it down. */
    public static Builder builder(RedisClient client) {
        return new Builder(null, Objects.requireNonNull(client, "client"));
    }

    /**
     * A builder connecting to a Redis Cluster (6.2 or newer; 7 for sharded pub/sub) through any of
     * its nodes, {@code redis://host:port} each: the client discovers the others, follows slot
     * moves and failovers, and refreshes its view of the cluster every few seconds.
     *
     * <pre>{@code
     * RedisStorage storage = RedisStorage.cluster("redis://h1:7000", "redis://h2:7001", "redis://h3:7002").build();
     * }</pre>
     */
    public static Builder cluster(String... seedUris) {
        Objects.requireNonNull(seedUris, "seedUris");
        return cluster(List.of(seedUris));
    }

    /**
     * A builder for a URI of either kind: {@code redis://} and {@code rediss://} as
     * {@link #builder(String)}, {@code redis-cluster://[:password@]host:port,host:port,...} (and
     * {@code rediss-cluster://} for TLS) as {@link #cluster(List)} with one seed per host.
     */
    public static Builder forUri(String uri) {
        Objects.requireNonNull(uri, "uri");
        return isClusterUri(uri) ? cluster(clusterSeeds(uri)) : builder(uri);
    }

    static boolean isClusterUri(String uri) {
        return uri.startsWith("redis-cluster://") || uri.startsWith("rediss-cluster://");
    }

    /** {@code redis-cluster://[:password@]h1:p1,h2:p2} as {@code redis://[:password@]h1:p1}, {@code redis://[:password@]h2:p2}. */
    static List<String> clusterSeeds(String uri) {
        boolean tls = uri.startsWith("rediss-cluster://");
        String rest = uri.substring(uri.indexOf("://") + 3);
        int at = rest.lastIndexOf('@');
        String auth = at < 0 ? "" : rest.substring(0, at + 1);
        String hosts = at < 0 ? rest : rest.substring(at + 1);
        int slash = hosts.indexOf('/');
        if (slash >= 0) {
            hosts = hosts.substring(0, slash); // a cluster has database 0 only
        }
        List<String> seeds = new ArrayList<>();
        for (String host : hosts.split(",")) {
            if (!host.isBlank()) {
                seeds.add((tls ? "rediss://" : "redis://") + auth + host.trim());
            }
        }
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("a redis-cluster:// URI names at least one node: redis-cluster://host:port,host:port,... not "
                    + uri);
        }
        return seeds;
    }

    /** {@link #cluster(String...)} with the seed URIs as a list. */
    public static Builder cluster(List<String> seedUris) {
        Objects.requireNonNull(seedUris, "seedUris");
        if (seedUris.isEmpty()) {
            throw new IllegalArgumentException("a Redis Cluster needs at least one seed URI (redis://host:port of any node)");
        }
        for (String u : seedUris) {
            RedisEndpoint.parse(Objects.requireNonNull(u, "seed URI"));
        }
        Builder b = new Builder(null, null);
        b.clusterUris = List.copyOf(seedUris);
        return b;
    }

    /**
     * A builder on a Lettuce cluster client configured by the caller; the caller shuts it down. Give
     * it topology refresh options (adaptive triggers at least) so that it follows a failover.
     */
    public static Builder builder(RedisClusterClient client) {
        Builder b = new Builder(null, null);
        b.clusterClient = Objects.requireNonNull(client, "client");
        return b;
    }

    /** Configures and opens a {@link RedisStorage}. */
    public static final class Builder {
        private final String uri;
        private final RedisClient client;
        private List<String> clusterUris;
        private RedisClusterClient clusterClient;
        private String namespace;
        private Clock clock = Clock.systemUTC();
        private Duration commandTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(5);

        private Builder(String uri, RedisClient client) {
            this.uri = uri;
            this.client = client;
        }

        /**
         * The namespace: the key prefix that keeps applications sharing one Redis apart (letters,
         * digits, '_' and '-'). Optional: without it the storage takes the application name that
         * {@code Louie.builder(name)...build()} attaches it to. Set it to share queues between
         * applications of different names on purpose, or to use the storage without a {@code Louie}.
         */
        public Builder namespace(String name) {
            if (!RedisKeys.valid(name)) {
                throw new IllegalArgumentException("namespace must be letters, digits, '_' or '-': " + name);
            }
            this.namespace = name;
            return this;
        }

        /**
         * The clock for etas (default: system UTC). Lease deadlines run on the Redis server's clock
         * while this is a system clock; any other clock (a test's manual clock) governs them too.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long one command may take before it fails with a {@link StorageException} (default 10 s). */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = positive(timeout, "commandTimeout");
            return this;
        }

        /**
         * How long an operation waits for a connection to Redis (the first one, or a reconnect)
         * before it fails with {@link StorageException} (default 5 s); also the socket connect
         * timeout of a client this builder creates.
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * Opens the storage: tries to connect once, and when Redis cannot be reached keeps trying
         * in the background (operations fail with {@link StorageException} until it succeeds), so a
         * consumer can start before Redis does. On each new connection the server version is
         * checked (6.2 or newer) and the scripts are loaded.
         *
         * @throws StorageException when Redis answers but is older than 6.2
         */
        public RedisStorage build() {
            return new RedisStorage(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }
    }

    // ---- plumbing ---------------------------------------------------------------------------------

    /** One Lua script of {@link Scripts}: loaded once per connection, called by SHA, reloaded on NOSCRIPT. */
    private final class Script {
        private final String text;
        private volatile String sha;

        Script(String text) {
            this.text = text;
        }

        void load(RedisClusterCommands<String, byte[]> commands) {
            sha = commands.scriptLoad(sharded ? Scripts.sharded(text) : text);
        }

        void load() {
            load(redis());
        }

        <T> T call(ScriptOutputType type, String[] keys, byte[]... args) {
            try {
                return await(async().<T>evalsha(sha, type, keys, args));
            } catch (RedisNoScriptException e) {
                load(); // the server lost its script cache (restart, SCRIPT FLUSH)
                return await(async().<T>evalsha(sha, type, keys, args));
            }
        }

        RedisFuture<Object> send(ScriptOutputType type, String[] keys, byte[]... args) {
            return async().evalsha(sha, type, keys, args);
        }

        RedisFuture<List<Object>> callAsyncMulti(String[] keys, byte[]... args) {
            return async().<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keys, args);
        }
    }

    /** Waits for a reply like the sync API does (command timeout, interruption, Redis errors as RedisException). */
    private <T> T await(RedisFuture<T> future) {
        return LettuceFutures.awaitOrCancel(future, commandTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private <T> T run(String what, Supplier<T> action) {
        if (closed.get()) {
            throw new StorageException("RedisStorage is closed");
        }
        try {
            return action.get();
        } catch (RedisException e) {
            throw new StorageException("Redis " + what + " failed: " + e.getMessage(), e);
        }
    }

    /** Returns the server's version. */
    private static String checkVersion(RedisClusterCommands<String, byte[]> commands) {
        String info = commands.info("server");
        String version = info.lines().filter(l -> l.startsWith("redis_version:")).map(l -> l.substring(14).trim())
                .findFirst().orElse("unknown");
        if (!atLeast(version, 6, 2)) {
            throw new StorageException("RedisStorage needs Redis 6.2 or newer; the server reports redis_version " + version);
        }
        return version;
    }

    static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("\\.");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] b(long n) {
        return b(Long.toString(n));
    }

    private static String s(Object o) {
        return new String((byte[]) o, StandardCharsets.UTF_8);
    }

    /** The key scheme; throws when there is no namespace yet. */
    private RedisKeys keys() {
        RedisKeys k = keys;
        if (k == null) {
            throw new IllegalStateException("this RedisStorage has no namespace yet: give it to Louie.builder(name).storage(...)"
                    + " (build() attaches it to the application name), call attach(name), or set"
                    + " RedisStorage.builder(uri).namespace(name)");
        }
        return k;
    }

    private String[] keys(String queue) {
        return keys().queue(queue);
    }

    private String wakeChannel(String queue) {
        return keys().wakeChannel(queue);
    }

    private String resultKey(String key) {
        return keys().result(key);
    }

    private long nowMillis() {
        return clock.millis();
    }

    /** The {@code now} argument of the lease scripts: empty (the server's clock) unless an injected clock governs leases. */
    private byte[] nowArg() {
        return serverTime ? EMPTY : b(clock.millis());
    }

    /** Epoch ms of a future eta, or "" when the envelope is visible now. */
    private byte[] etaArg(Envelope envelope, long now) {
        Instant eta = envelope.eta();
        return eta != null && eta.toEpochMilli() > now ? b(eta.toEpochMilli()) : EMPTY;
    }

    private static String nonce() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
    }

    // ---- application ----------------------------------------------------------------------------

    /** Whether the namespace was set on the builder (else it is the application name). */
    private final boolean explicitNamespace;
    /** The application this storage serves; set by the first {@link #attach}. */
    private String application;

    /**
     * Binds this storage to the application {@code name} (called by {@code Louie.Builder.build()}).
     * Without an explicit {@link Builder#namespace namespace} the name becomes the namespace, so that
     * applications sharing one Redis never see each other's queues, results or locks (and a
     * {@link #flush} removes only its own). Attaching again with the same name does nothing;
     * another name throws {@link IllegalStateException}: one storage instance serves one application.
     *
     * @throws IllegalArgumentException when the name is needed as namespace and is not one (letters,
     *                                  digits, '_' and '-'): set {@link Builder#namespace} then
     */
    @Override
    public synchronized void attach(String name) {
        Objects.requireNonNull(name, "application name");
        if (application != null) {
            if (!application.equals(name)) {
                throw new IllegalStateException("this RedisStorage is attached to the application '" + application
                        + "'; give the application '" + name + "' a RedisStorage of its own (applications share"
                        + " queues only through storages built with the same explicit namespace(...))");
            }
            return;
        }
        if (!explicitNamespace) {
            if (!RedisKeys.valid(name)) {
                throw new IllegalArgumentException("the application name '" + name + "' cannot be the Redis namespace"
                        + " (letters, digits, '_' and '-' only): set RedisStorage.builder(uri).namespace(...)");
            }
            keys = new RedisKeys(name);
        }
        application = name;
    }

    // ---- queue ----------------------------------------------------------------------------------

    /**
     * One script call, shared with the enqueues of other threads that arrive while a call for the
     * queue is in flight ({@link EnqueueCoalescer}); false when the id is already in the queue
     * (visible, scheduled, leased) or dead-lettered there.
     */
    @Override
    public boolean enqueue(String queue, Envelope envelope) {
        CompletableFuture<Boolean> added = run("enqueue", () -> enqueues.submit(queue, envelope, true));
        try {
            return added.get(commandTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re && !(re instanceof RedisException)) {
                throw re; // a StorageException, or a usage error such as a missing namespace
            }
            throw new StorageException("Redis enqueue failed: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new StorageException("Redis enqueue timed out after " + commandTimeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted during enqueue", e);
        }
    }

    /**
     * Coalesced like {@link #enqueue}: one thread submitting in a loop sends one script call per
     * batch (up to 500 messages) instead of one per message. The future completes on a storage
     * thread named {@code louie-redis-enqueue}, never on the connection's I/O thread.
     */
    @Override
    public CompletableFuture<Boolean> enqueueAsync(String queue, Envelope envelope) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new StorageException("RedisStorage is closed"));
        }
        return enqueues.submit(queue, envelope, false);
    }

    /** Sends one coalesced batch: one script call, one flag per envelope. */
    private CompletableFuture<boolean[]> sendEnqueue(String queue, List<Envelope> batch) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new StorageException("RedisStorage is closed"));
        }
        String[] keys = keys(queue);
        byte[][] args = enqueueArgs(queue, batch, nowMillis());
        return enqueue.callAsyncMulti(keys, args).toCompletableFuture()
                .handle((reply, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(flags(reply));
                    }
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    if (cause instanceof RedisNoScriptException) {
                        // the server lost its script cache: reload and send again, off the I/O thread
                        return CompletableFuture.supplyAsync(() -> run("enqueue", () ->
                                flags(enqueue.<List<Object>>call(ScriptOutputType.MULTI, keys, args))), enqueueThreads);
                    }
                    return CompletableFuture.<boolean[]>failedFuture(cause instanceof RedisException
                            ? new StorageException("Redis enqueue failed: " + cause.getMessage(), cause) : cause);
                })
                .thenCompose(f -> f);
    }

    private byte[][] enqueueArgs(String queue, List<Envelope> part, long now) {
        byte[][] args = new byte[2 + part.size() * 4][];
        args[0] = b(wakeChannel(queue));
        args[1] = nowArg();
        int i = 2;
        for (Envelope e : part) {
            args[i++] = b(e.id());
            args[i++] = b(e.priority());
            args[i++] = etaArg(e, now);
            args[i++] = e.body();
        }
        return args;
    }

    private static boolean[] flags(List<Object> reply) {
        boolean[] added = new boolean[reply.size()];
        for (int i = 0; i < added.length; i++) {
            added[i] = ((Long) reply.get(i)) == 1L;
        }
        return added;
    }

    @Override
    public void enqueueAll(String queue, List<Envelope> envelopes) {
        if (envelopes.isEmpty()) {
            return;
        }
        String[] keys = keys(queue);
        long now = nowMillis();
        List<byte[][]> chunks = new ArrayList<>();
        for (int from = 0; from < envelopes.size(); from += CHUNK) {
            chunks.add(enqueueArgs(queue, envelopes.subList(from, Math.min(envelopes.size(), from + CHUNK)), now));
        }
        run("enqueueAll", () -> {
            if (chunks.size() == 1) {
                return enqueue.call(ScriptOutputType.MULTI, keys, chunks.get(0));
            }
            // pipelined: all chunks are sent before the first reply is read
            List<RedisFuture<List<Object>>> futures = new ArrayList<>();
            for (byte[][] args : chunks) {
                futures.add(enqueue.callAsyncMulti(keys, args));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    futures.get(i).get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RedisNoScriptException) {
                        enqueue.call(ScriptOutputType.MULTI, keys, chunks.get(i));
                    } else if (e.getCause() instanceof RedisException re) {
                        throw re;
                    } else {
                        throw new StorageException("Redis enqueueAll failed", e.getCause());
                    }
                } catch (TimeoutException e) {
                    throw new StorageException("Redis enqueueAll timed out", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StorageException("interrupted during enqueueAll", e);
                }
            }
            return null;
        });
    }

    @Override
    public List<Lease> dequeue(String queue, int max, Duration leaseTime) {
        if (max <= 0) {
            return List.of();
        }
        String[] keys = keys(queue);
        long leaseMs = Math.max(1, leaseTime.toMillis());
        // read before the script runs: a wake-up published after it found the queue empty counts past this
        long wakesBefore = notifications.wakesBefore(queue);
        long sent = System.nanoTime();
        List<Object> out = run("dequeue", () -> dequeue.call(ScriptOutputType.MULTI, keys,
                nowArg(), b(leaseMs), b(max), b(nonce()), b(RECLAIM_LIMIT)));
        long malformed = (Long) out.get(1);
        if (malformed > 0) {
            deadLetterLog.malformed(queue, malformed, s(out.get(2)));
        }
        if (out.size() <= DEQUEUE_HEADER) {
            notifications.emptyDequeue(queue, wakesBefore);
            return List.of();
        }
        Instant deadline = Instant.ofEpochMilli((Long) out.get(0));
        List<Lease> leases = new ArrayList<>(out.size() / 5);
        for (int i = DEQUEUE_HEADER; i + 4 < out.size(); i += 5) {
            leases.add(new Lease(queue, s(out.get(i)), Integer.parseInt(s(out.get(i + 1))), (byte[]) out.get(i + 2),
                    Integer.parseInt(s(out.get(i + 3))), s(out.get(i + 4)), deadline));
        }
        long elapsed = System.nanoTime() - sent;
        if (elapsed >= TimeUnit.MILLISECONDS.toNanos(leaseMs) || (!serverTime && !deadline.isAfter(clock.instant()))) {
            handBack(queue, leases, elapsed, leaseMs);
            return List.of();
        }
        if (leases.size() >= max) {
            notifications.wakeAnother(queue);
        }
        return leases;
    }

    /**
     * Leases whose reply took as long as the lease itself (a client paused, a reply held up) may
     * already have expired, and another consumer may take the messages: they are not handed out.
     * Each is released where it is still current (back in its place, the delivery not counted);
     * the others are delivered again when Redis sees them expired.
     */
    private void handBack(String queue, List<Lease> leases, long elapsedNanos, long leaseMs) {
        int released = 0;
        for (Lease lease : leases) {
            try {
                if (release(lease)) {
                    released++;
                }
            } catch (RuntimeException e) {
                // it expires by itself
            }
        }
        log.warn("a dequeue from queue {} took {} ms, not less than the lease time of {} ms: its {} leases were not"
                        + " handed out ({} released, the rest are delivered again when they expire)", queue,
                TimeUnit.NANOSECONDS.toMillis(elapsedNanos), leaseMs, leases.size(), released);
    }

    /**
     * Waits on this queue's pub/sub wake-up channel (published when the queue goes from empty to
     * non-empty) until a message may be visible or {@code timeout} passes. One idle worker of this
     * process is woken per wake-up; a worker whose dequeue returns a full batch wakes the next one.
     * After an empty {@link #dequeue} on the same thread no read is needed: a wake-up counted since
     * that dequeue was sent returns at once; otherwise the queue size is read once.
     */
    @Override
    public void awaitMessages(String queue, Duration timeout) throws InterruptedException {
        String readyKey = keys(queue)[RedisKeys.READY];
        notifications.awaitMessages(queue, timeout, () -> run("awaitMessages", () -> await(async().zcard(readyKey))));
    }

    private byte[][] leaseArgs(Lease lease, byte[]... more) {
        byte[][] args = new byte[3 + more.length][];
        args[0] = b(lease.id());
        args[1] = b(lease.token());
        args[2] = nowArg();
        System.arraycopy(more, 0, args, 3, more.length);
        return args;
    }

    private boolean leaseCall(String what, Script script, Lease lease, String[] keys, byte[]... more) {
        Long done = run(what, () -> script.call(ScriptOutputType.INTEGER, keys, leaseArgs(lease, more)));
        return done != null && done == 1L;
    }

    @Override
    public Optional<Lease> extend(Lease lease, Duration leaseTime) {
        Long deadline = run("extend", () -> extend.call(ScriptOutputType.INTEGER, keys(lease.queue()),
                leaseArgs(lease, b(Math.max(1, leaseTime.toMillis())))));
        return deadline != null && deadline > 0 ? Optional.of(lease.withDeadline(Instant.ofEpochMilli(deadline))) : Optional.empty();
    }

    @Override
    public boolean ack(Lease lease) {
        return leaseCall("ack", ack, lease, keys(lease.queue()));
    }

    @Override
    public boolean complete(Lease lease, String resultKey, byte[] result, Duration ttl) {
        return completeAll(List.of(new Completion(lease, resultKey, result, ttl)))[0];
    }

    private static final byte[] ONE = {'1'};
    private static final byte[] ZERO = {'0'};

    /**
     * On a single server: one script call per queue that ends the leases and stores their results
     * together, sent together (pipelined) and awaited together. On a cluster a result's slot is not
     * its queue's, so it takes three single-slot steps, each pipelined over the completions:
     * <ol>
     *   <li>per queue, the current leases are held (their deadline moved to at least now + twice the
     *       command timeout) and the stale ones dropped: a stale lease stores no result;</li>
     *   <li>the results of the held leases are stored (and their watchers notified);</li>
     *   <li>per queue, the held leases are ended (as {@link #ack}).</li>
     * </ol>
     * Crash-safe order: a crash after step 2 leaves a stored result and a lease that expires, so the
     * message runs again and stores its result again (the same key: the effect of a crash just
     * before {@code complete}, which at-least-once delivery allows anyway). A failure in step 2 throws
     * before anything was acknowledged.
     */
    @Override
    public boolean[] completeAll(List<Completion> completions) {
        boolean[] done = new boolean[completions.size()];
        if (completions.isEmpty()) {
            return done;
        }
        Map<String, List<Integer>> byQueue = new LinkedHashMap<>();
        for (int i = 0; i < completions.size(); i++) {
            byQueue.computeIfAbsent(completions.get(i).lease().queue(), q -> new ArrayList<>()).add(i);
        }
        byte[] now = nowArg();
        if (endpoint.isCluster()) {
            return completeInSteps(completions, byQueue, now, done);
        }
        try {
            return completeAll(completions, byQueue, now, done);
        } catch (StorageException e) {
            if (!(e.getCause() instanceof RedisNoScriptException)) {
                throw e;
            }
            completeAll.load(); // the server lost its script cache (restart, SCRIPT FLUSH): nothing ran
            return completeAll(completions, byQueue, now, done);
        }
    }

    private boolean[] completeAll(List<Completion> completions, Map<String, List<Integer>> byQueue, byte[] now, boolean[] done) {
        return run("completeAll", () -> {
            List<RedisFuture<List<Object>>> replies = new ArrayList<>(byQueue.size());
            List<List<Integer>> order = new ArrayList<>(byQueue.size());
            for (Map.Entry<String, List<Integer>> e : byQueue.entrySet()) {
                List<String> keys = new ArrayList<>(List.of(keys(e.getKey())));
                for (int index : e.getValue()) {
                    Completion c = completions.get(index);
                    if (c.resultKey() != null) {
                        keys.add(resultKey(c.resultKey()));
                    }
                }
                byte[][] args = completeArgs(now, completions, e.getValue(), true);
                replies.add(completeAll.callAsyncMulti(keys.toArray(new String[0]), args));
                order.add(e.getValue());
            }
            for (int q = 0; q < replies.size(); q++) {
                List<Object> flags = await(replies.get(q));
                for (int j = 0; j < flags.size(); j++) {
                    done[order.get(q).get(j)] = Long.valueOf(1L).equals(flags.get(j));
                }
            }
            return done;
        });
    }

    /** {@link #completeAll} on a cluster: hold, store, end (see there). */
    private boolean[] completeInSteps(List<Completion> completions, Map<String, List<Integer>> byQueue, byte[] now, boolean[] done) {
        byte[] holdMs = b(Math.max(1_000, commandTimeout.toMillis() * 2));
        // 1. hold the current leases
        List<Map.Entry<String, List<Integer>>> queues = new ArrayList<>(byQueue.entrySet());
        List<String[]> keys = new ArrayList<>(queues.size());
        List<byte[][]> args = new ArrayList<>(queues.size());
        for (Map.Entry<String, List<Integer>> e : queues) {
            keys.add(keys(e.getKey()));
            args.add(leasePairs(now, holdMs, completions, e.getValue()));
        }
        List<Object> holds = run("completeAll", () -> pipelined(hold, ScriptOutputType.MULTI, keys, args));
        Map<String, List<Integer>> held = new LinkedHashMap<>();
        for (int q = 0; q < queues.size(); q++) {
            List<?> flags = (List<?>) holds.get(q);
            for (int j = 0; j < flags.size(); j++) {
                if (Long.valueOf(1L).equals(flags.get(j))) {
                    held.computeIfAbsent(queues.get(q).getKey(), k -> new ArrayList<>()).add(queues.get(q).getValue().get(j));
                }
            }
        }
        if (held.isEmpty()) {
            return done;
        }
        // 2. store the results of the held leases
        List<String[]> resultKeys = new ArrayList<>();
        List<byte[][]> resultArgs = new ArrayList<>();
        for (List<Integer> indexes : held.values()) {
            for (int index : indexes) {
                Completion c = completions.get(index);
                if (c.resultKey() != null) {
                    resultKeys.add(new String[] {resultKey(c.resultKey())});
                    resultArgs.add(putResultArgs(c.resultKey(), c.result(), c.ttl()));
                }
            }
        }
        run("completeAll", () -> pipelined(putResult, ScriptOutputType.INTEGER, resultKeys, resultArgs));
        // 3. end the held leases (no result in this step)
        List<Map.Entry<String, List<Integer>>> ending = new ArrayList<>(held.entrySet());
        List<String[]> endKeys = new ArrayList<>(ending.size());
        List<byte[][]> endArgs = new ArrayList<>(ending.size());
        for (Map.Entry<String, List<Integer>> e : ending) {
            endKeys.add(keys(e.getKey()));
            endArgs.add(completeArgs(now, completions, e.getValue(), false));
        }
        List<Object> ends = run("completeAll", () -> pipelined(completeAll, ScriptOutputType.MULTI, endKeys, endArgs));
        for (int q = 0; q < ending.size(); q++) {
            List<?> flags = (List<?>) ends.get(q);
            for (int j = 0; j < flags.size(); j++) {
                done[ending.get(q).getValue().get(j)] = Long.valueOf(1L).equals(flags.get(j));
            }
        }
        return done;
    }

    /**
     * Sends one call of {@code script} per keys and args, pipelined, and awaits the replies in
     * order; a call answered NOSCRIPT (a node that lost its cache, a promoted replica) is made again
     * with {@link Script#call}, which loads the script first.
     */
    private List<Object> pipelined(Script script, ScriptOutputType type, List<String[]> keys, List<byte[][]> args) {
        List<RedisFuture<Object>> replies = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            replies.add(script.send(type, keys.get(i), args.get(i)));
        }
        List<Object> out = new ArrayList<>(replies.size());
        for (int i = 0; i < replies.size(); i++) {
            try {
                out.add(await(replies.get(i)));
            } catch (RedisNoScriptException e) {
                out.add(script.call(type, keys.get(i), args.get(i)));
            }
        }
        return out;
    }

    /** ARGV of {@link Scripts#HOLD}: now, hold ms, then id, token per lease. */
    private static byte[][] leasePairs(byte[] now, byte[] holdMs, List<Completion> completions, List<Integer> indexes) {
        byte[][] args = new byte[2 + 2 * indexes.size()][];
        args[0] = now;
        args[1] = holdMs;
        int a = 2;
        for (int index : indexes) {
            Lease l = completions.get(index).lease();
            args[a++] = b(l.id());
            args[a++] = b(l.token());
        }
        return args;
    }

    /**
     * ARGV of {@link Scripts#COMPLETE_ALL}: now, then per completion id, token, whether it stores a
     * result (its key is among the KEYS), the value, its TTL, the done channel and whether the
     * value travels inline in the notification. With {@code results} false the leases are only
     * ended (the cluster's third step), and the fields after the flag are ignored.
     */
    private byte[][] completeArgs(byte[] now, List<Completion> completions, List<Integer> indexes, boolean results) {
        byte[][] args = new byte[1 + 7 * indexes.size()][];
        args[0] = now;
        int a = 1;
        for (int index : indexes) {
            Completion c = completions.get(index);
            boolean stores = results && c.resultKey() != null;
            byte[] value = stores && c.result() != null ? c.result() : EMPTY;
            args[a++] = b(c.lease().id());
            args[a++] = b(c.lease().token());
            args[a++] = stores ? ONE : ZERO;
            args[a++] = value;
            args[a++] = stores ? ttlArg(c.ttl()) : EMPTY;
            args[a++] = stores ? b(doneChannel(c.resultKey())) : EMPTY;
            args[a++] = stores ? ResultChannels.inline(value) : ZERO;
        }
        return args;
    }

    private byte[][] putResultArgs(String key, byte[] result, Duration ttl) {
        byte[] value = result == null ? EMPTY : result;
        return new byte[][] {value, ttlArg(ttl), b(doneChannel(key)), ResultChannels.inline(value)};
    }

    private String doneChannel(String key) {
        return keys().doneChannel(key);
    }

    private static byte[] ttlArg(Duration ttl) {
        return ttl == null ? EMPTY : b(Math.max(1, ttl.toMillis()));
    }

    @Override
    public boolean retry(Lease lease, Envelope next) {
        long now = nowMillis();
        return leaseCall("retry", retry, lease, keys(lease.queue()), b(wakeChannel(lease.queue())), b(next.id()),
                b(next.priority()), etaArg(next, now), next.body());
    }

    @Override
    public boolean release(Lease lease) {
        return leaseCall("release", release, lease, keys(lease.queue()), b(wakeChannel(lease.queue())));
    }

    @Override
    public boolean deadLetter(Lease lease, String reason) {
        return leaseCall("deadLetter", deadLetter, lease, keys(lease.queue()), b(reason == null ? "" : reason));
    }

    @Override
    public List<DeadLetter> deadLetters(String queue, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        String deadKey = keys(queue)[RedisKeys.DEAD];
        List<byte[]> raw = run("deadLetters", () -> redis().lrange(deadKey, 0, limit - 1));
        List<DeadLetter> out = new ArrayList<>(raw.size());
        for (byte[] entry : raw) {
            out.add(decodeDeadLetter(queue, entry));
        }
        return out;
    }

    /** {@code <deliveries>:<at ms>:<id length>:<reason length>:<id><reason><body>}, lengths in bytes. */
    static DeadLetter decodeDeadLetter(String queue, byte[] entry) {
        long[] header = new long[4];
        int pos = 0;
        for (int field = 0; field < 4; field++) {
            long value = 0;
            boolean negative = false;
            while (entry[pos] != ':') {
                if (entry[pos] == '-') {
                    negative = true;
                } else {
                    value = value * 10 + (entry[pos] - '0');
                }
                pos++;
            }
            header[field] = negative ? -value : value;
            pos++;
        }
        int idLen = (int) header[2];
        int reasonLen = (int) header[3];
        String id = new String(entry, pos, idLen, StandardCharsets.UTF_8);
        String reason = new String(entry, pos + idLen, reasonLen, StandardCharsets.UTF_8);
        byte[] body = java.util.Arrays.copyOfRange(entry, pos + idLen + reasonLen, entry.length);
        return new DeadLetter(queue, id, body, reason, (int) header[0], Instant.ofEpochMilli(header[1]));
    }

    // ---- schedule -------------------------------------------------------------------------------

    @Override
    public int promoteDue(String queue, Instant now) {
        String[] keys = keys(queue);
        byte[] wake = b(wakeChannel(queue));
        int total = 0;
        while (true) {
            Long moved = run("promoteDue", () -> promote.call(ScriptOutputType.INTEGER, keys,
                    b(now.toEpochMilli()), b(PROMOTE_LIMIT), wake));
            total += moved.intValue();
            if (moved < PROMOTE_LIMIT) {
                return total;
            }
        }
    }

    // ---- results --------------------------------------------------------------------------------

    @Override
    public void putResult(String key, byte[] value, Duration ttl) {
        run("putResult", () -> putResult.call(ScriptOutputType.INTEGER, new String[] {resultKey(key)}, putResultArgs(key, value, ttl)));
    }

    @Override
    public Optional<byte[]> getResult(String key, boolean consume) {
        String k = resultKey(key);
        return Optional.ofNullable(run("getResult", () -> await(consume ? async().getdel(k) : async().get(k))));
    }

    /**
     * Watches result {@code key} on its own channel (<code>louie:{NS}:done:KEY</code>), subscribed
     * while the key has watchers. A notification carries values up to
     * {@link ResultChannels#INLINE_RESULT_LIMIT} bytes, which {@code onStored} gets; for larger ones
     * it gets null (read it). A watched key is read once when its subscription is confirmed (a result
     * stored just before is not missed) and then once a second, in case a notification was lost in a
     * reconnect. {@code onStored} runs on one thread of this storage, never on Lettuce's I/O threads.
     */
    @Override
    public AutoCloseable watchResult(String key, Consumer<byte[]> onStored) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(onStored, "onStored");
        keys();
        if (closed.get()) {
            throw new StorageException("RedisStorage is closed");
        }
        return notifications.watchResult(key, onStored);
    }

    /** Whether result {@code key} has watchers (tests). */
    boolean isWatched(String key) {
        return notifications.isWatched(key);
    }

    /** A GET of result {@code key} sent without waiting, or null while the command connection is down. */
    private RedisFuture<byte[]> readResultAsync(String key) {
        StatefulConnection<String, byte[]> c = connector.current();
        if (c == null || !c.isOpen() || closed.get()) {
            return null;
        }
        return endpoint.async(c).get(resultKey(key));
    }

    @Override
    public boolean deleteResult(String key) {
        return run("deleteResult", () -> redis().del(resultKey(key))) > 0;
    }

    /** Counts result keys with SCAN (on a cluster: of every master): linear in the number of keys of this app. */
    @Override
    public long resultCount() {
        RedisKeys k = keys();
        return scan(k.resultPattern()).stream().filter(key -> k.resultOfKey(key) != null).count();
    }

    /**
     * Moves the results written by the layout before this one (<code>louie:{NS}:result:KEY</code>,
     * all in the namespace's slot) to their keys of today (<code>louie:{NS:KEY}:result</code>),
     * keeping their remaining TTL; a result already stored under its new key is kept and the old one
     * dropped. Run it once on a single server after upgrading every producer and consumer of the
     * namespace (until then, an old consumer goes on writing old keys); results waited for while it
     * has not run are not found. Not needed on a cluster: the old layout never ran on one (its
     * {@code complete} would have crossed slots). Returns how many results were moved.
     */
    public long migrateResults() {
        RedisKeys k = keys();
        long moved = 0;
        for (String old : scan(k.legacyResultPattern())) {
            String target = k.result(k.resultOfLegacyKey(old));
            Boolean renamed = run("migrateResults", () -> redis().renamenx(old, target));
            if (Boolean.TRUE.equals(renamed)) {
                moved++;
            } else {
                run("migrateResults", () -> redis().unlink(old));
            }
        }
        return moved;
    }

    // ---- locks, flags, counters -----------------------------------------------------------------------

    @Override
    public boolean acquireLock(String name, String owner, Duration ttl) {
        Long done = run("acquireLock", () -> lockAcquire.call(ScriptOutputType.INTEGER,
                new String[] {keys().lock(name)}, b(owner), b(Math.max(1, ttl.toMillis()))));
        return done == 1L;
    }

    @Override
    public boolean releaseLock(String name, String owner) {
        Long done = run("releaseLock", () -> lockRelease.call(ScriptOutputType.INTEGER,
                new String[] {keys().lock(name)}, b(owner)));
        return done == 1L;
    }

    @Override
    public boolean isLocked(String name) {
        return run("isLocked", () -> redis().exists(keys().lock(name))) > 0;
    }

    @Override
    public int flushLocks() {
        return (int) delete(scan(keys().lockPattern()));
    }

    @Override
    public void revoke(String key, Revocation revocation) {
        String k = keys().revoked(key);
        byte[] value = b((revocation.once() ? "1" : "0") + ":" + (revocation.until() == null ? "" : revocation.until().toEpochMilli()));
        run("revoke", () -> {
            if (revocation.until() == null) {
                return redis().set(k, value);
            }
            long ttl = revocation.until().toEpochMilli() - nowMillis();
            if (ttl <= 0) {
                redis().del(k);
                return null;
            }
            // the expiry only cleans up; whether a flag is in force is decided on the caller's clock
            return redis().set(k, value, SetArgs.Builder.px(ttl));
        });
    }

    @Override
    public Optional<Revocation> revocation(String key) {
        byte[] raw = run("revocation", () -> redis().get(keys().revoked(key)));
        Revocation r = decodeRevocation(raw);
        return r != null && r.activeAt(clock.instant()) ? Optional.of(r) : Optional.empty();
    }

    @Override
    public boolean restore(String key) {
        Revocation r = decodeRevocation(run("restore", () -> redis().getdel(keys().revoked(key))));
        return r != null && r.activeAt(clock.instant());
    }

    private static Revocation decodeRevocation(byte[] raw) {
        if (raw == null) {
            return null;
        }
        String v = new String(raw, StandardCharsets.UTF_8);
        int colon = v.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String until = v.substring(colon + 1);
        return new Revocation(until.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(until)), v.startsWith("1"));
    }

    /** One script call: INCRBY, then DEL at 0, else PEXPIRE with a ttl (without one the key keeps its expiry). */
    @Override
    public long increment(String name, long delta, Duration ttl) {
        Long value = run("increment", () -> increment.call(ScriptOutputType.INTEGER,
                new String[] {keys().counter(name)}, b(delta), ttlArg(ttl)));
        return value;
    }

    @Override
    public long counter(String name) {
        byte[] value = run("counter", () -> await(async().get(keys().counter(name))));
        return value == null ? 0 : Long.parseLong(s(value));
    }

    // ---- sizes and maintenance -------------------------------------------------------------------------

    @Override
    public long queueSize(String queue) {
        return run("queueSize", () -> await(async().zcard(keys(queue)[RedisKeys.READY])));
    }

    @Override
    public long scheduleSize(String queue) {
        return run("scheduleSize", () -> await(async().zcard(keys(queue)[RedisKeys.SCHEDULE])));
    }

    @Override
    public long leasedCount(String queue) {
        return run("leasedCount", () -> await(async().zcard(keys(queue)[RedisKeys.LEASED])));
    }

    @Override
    public long deadLetterCount(String queue) {
        return run("deadLetterCount", () -> redis().llen(keys(queue)[RedisKeys.DEAD]));
    }

    /** One script call: the oldest entry of the queue's {@code since} set whose message is still visible. */
    @Override
    public Optional<Instant> oldestPending(String queue) {
        String[] keys = keys(queue);
        Long since = run("oldestPending", () -> oldestPending.call(ScriptOutputType.INTEGER, keys));
        return since == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(since));
    }

    // ---- listings, repairs, heartbeats (RedisInspection) --------------------------------------------------

    @Override
    public Set<String> queues() {
        return inspection.queues();
    }

    @Override
    public List<StoredMessage> pending(String queue, int offset, int limit) {
        return inspection.pending(queue, offset, limit);
    }

    @Override
    public List<StoredMessage> scheduled(String queue, int offset, int limit) {
        return inspection.scheduled(queue, offset, limit);
    }

    @Override
    public List<StoredMessage> leased(String queue, int offset, int limit) {
        return inspection.leased(queue, offset, limit);
    }

    @Override
    public Optional<StoredMessage> message(String queue, String id) {
        return inspection.message(queue, id);
    }

    @Override
    public boolean deleteMessage(String queue, String id) {
        return inspection.deleteMessage(queue, id);
    }

    @Override
    public List<DeadLetter> deadLetters(String queue, int offset, int limit) {
        return inspection.deadLetters(queue, offset, limit);
    }

    @Override
    public Optional<DeadLetter> deadLetter(String queue, String id) {
        return inspection.deadLetter(queue, id);
    }

    @Override
    public boolean requeueDeadLetter(String queue, String id, int priority) {
        return inspection.requeueDeadLetter(queue, id, priority, nowArg());
    }

    @Override
    public boolean deleteDeadLetter(String queue, String id) {
        return inspection.deleteDeadLetter(queue, id);
    }

    @Override
    public long purgeDeadLetters(String queue) {
        return inspection.purgeDeadLetters(queue);
    }

    @Override
    public void putHeartbeat(String consumer, byte[] record, Duration ttl) {
        inspection.putHeartbeat(consumer, record, ttl);
    }

    @Override
    public Map<String, byte[]> heartbeats() {
        return inspection.heartbeats();
    }

    @Override
    public boolean removeHeartbeat(String consumer) {
        return inspection.removeHeartbeat(consumer);
    }

    // ---- exchanges (ExchangeStorage): scripts and keys in RedisExchanges -----------------------------

    private final RedisExchanges exchanges = new RedisExchanges(this::async, this::keys, this::commandTimeout, () -> sharded);

    private Duration commandTimeout() {
        return commandTimeout;
    }

    @Override
    public Exchange declareExchange(Exchange exchange) {
        return run("declareExchange", () -> exchanges.declare(exchange));
    }

    @Override
    public boolean deleteExchange(String name) {
        return run("deleteExchange", () -> exchanges.delete(name));
    }

    @Override
    public boolean bind(Binding binding) {
        return run("bind", () -> exchanges.bind(binding));
    }

    @Override
    public boolean unbind(Binding binding) {
        return run("unbind", () -> exchanges.unbind(binding));
    }

    @Override
    public RoutingTable routingTable() {
        return run("routingTable", exchanges::table);
    }

    @Override
    public long routingVersion() {
        return run("routingVersion", exchanges::version);
    }

    /**
     * One script per cluster slot among the queues (atomic within it), pipelined; after a failure
     * some queues may have their message: publishing again with the same ids adds only the others.
     */
    @Override
    public void publish(Map<String, Envelope> byQueue) {
        long now = nowMillis();
        run("publish", () -> {
            exchanges.publish(byQueue, e -> etaArg(e, now));
            return null;
        });
    }

    // ---- limits (LimitStorage): scripts and keys in RedisLimits -------------------------------------

    private final RedisLimits limits = new RedisLimits(this::async, this::keys, this::commandTimeout,
            this::nowMicrosArg, this::nowArg);

    /** The {@code now} argument of the rate script: empty (the server's clock) or the injected clock's epoch µs. */
    private byte[] nowMicrosArg() {
        return serverTime ? EMPTY : b(micros(clock.instant()));
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
    }

    /** One script on the limit's {@code rate} key, on the server's clock (GCRA; see {@link LimitStorage}). */
    @Override
    public long admitRate(String limit, Duration period, int permits) {
        if (permits < 1 || period == null || period.toMillis() < 1) {
            throw new IllegalArgumentException("a rate limit needs 1 or more permits per period of 1 ms or more, not "
                    + permits + " per " + period);
        }
        return run("admitRate", () -> limits.admitRate(limit, period, permits));
    }

    /** One script on the limit's {@code holders} key, on the server's clock. */
    @Override
    public boolean acquireSlot(String limit, int slots, String holder, Duration lease) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be 1 or more, not " + slots);
        }
        return run("acquireSlot", () -> limits.acquireSlot(limit, slots, holder, lease));
    }

    @Override
    public boolean extendSlot(String limit, String holder, Duration lease) {
        return run("extendSlot", () -> limits.extendSlot(limit, holder, lease));
    }

    @Override
    public boolean releaseSlot(String limit, String holder) {
        return run("releaseSlot", () -> limits.releaseSlot(limit, holder));
    }

    /** Deletes this namespace's keys only (<code>louie:{NS}:*</code> and <code>louie:{NS.*</code>), found with SCAN; never FLUSHDB. */
    @Override
    public void flush() {
        Set<String> all = new HashSet<>();
        for (String pattern : keys().allPatterns()) {
            all.addAll(scan(pattern));
        }
        delete(all);
    }

    private Set<String> scan(String pattern) {
        return run("scan", () -> scanKeys(pattern));
    }

    /** SCAN of the server, or of every master of a cluster. */
    private Set<String> scanKeys(String pattern) {
        return endpoint.scan(connector.connection(), pattern);
    }

    private long delete(Set<String> keys) {
        if (keys.isEmpty()) {
            return 0;
        }
        return run("delete", () -> {
            long n = 0;
            List<String> batch = new ArrayList<>(keys);
            for (int i = 0; i < batch.size(); i += 500) {
                n += redis().unlink(batch.subList(i, Math.min(batch.size(), i + 500)).toArray(new String[0]));
            }
            return n;
        });
    }

    /** Closes the connections (and the client when this storage created it); idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        deadLetterLog.flush();
        if (notifications != null) {
            notifications.close();
        }
        if (connector != null) {
            connector.close();
        }
        enqueueThreads.shutdown();
        if (ownsClient) {
            endpoint.client().shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Override
    public String toString() {
        RedisKeys k = keys;
        return "RedisStorage[namespace=" + (k == null ? "(not attached yet)" : k.namespace()) + "]";
    }
}
