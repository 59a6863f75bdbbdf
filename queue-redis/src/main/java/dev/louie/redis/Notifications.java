package dev.louie.redis;

import dev.louie.core.storage.StorageException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The pub/sub side of {@link RedisStorage}, on one dedicated connection opened on first use:
 * waking idle workers when a queue gets messages, and the result channels of
 * {@link ResultChannels}.
 *
 * <p><b>Queue wake-ups</b>: a queue's wake channel is published when its ready set goes from empty
 * to non-empty (by the scripts). {@link #awaitMessages} subscribes once per queue and wakes one
 * waiting worker per wake-up; a worker whose dequeue got a full batch wakes the next
 * ({@link #wakeAnother}). After an empty dequeue on the same thread ({@link #emptyDequeue}) no read
 * is needed: a wake-up counted since that dequeue was sent returns at once. A waiter's timeout (the
 * consumer's poll interval) bounds what a wake-up lost in a reconnect costs.
 */
final class Notifications implements AutoCloseable {

    /** How long a refused sharded subscription waits before it is sent again. */
    private static final long RETRY_MS = 20;

    private final RedisEndpoint endpoint;
    /** Whether channels are sharded ({@code SSUBSCRIBE}: a cluster of Redis 7), known once connected. */
    private final BooleanSupplier sharded;
    private final RedisCodec<String, byte[]> codec;
    private final RedisConnector connector;
    private final Duration commandTimeout;
    /** The key scheme, or null while the storage has no namespace. */
    private final Supplier<RedisKeys> keys;
    private final ResultChannels results;

    private final ConcurrentHashMap<String, Set<Semaphore>> waiters = new ConcurrentHashMap<>();
    /** Wake-ups received per queue (counted while its wake channel is subscribed). */
    private final ConcurrentHashMap<String, AtomicLong> wakeCounts = new ConcurrentHashMap<>();
    /** Per thread: the queue of its last empty dequeue and the wake count read before that dequeue was sent. */
    private final ThreadLocal<EmptyDequeue> lastEmpty = new ThreadLocal<>();
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private volatile StatefulRedisPubSubConnection<String, byte[]> pubsub;
    private volatile boolean closed;

    /**
     * @param readResult an asynchronous GET of a result by key, or null while the command connection
     *                   is down; never waits (it runs on Lettuce's I/O threads too)
     */
    Notifications(RedisEndpoint endpoint, RedisCodec<String, byte[]> codec, RedisConnector connector, Duration commandTimeout,
            Supplier<RedisKeys> keys, BooleanSupplier sharded, Function<String, CompletionStage<byte[]>> readResult) {
        this.endpoint = endpoint;
        this.sharded = sharded;
        this.codec = codec;
        this.connector = connector;
        this.commandTimeout = commandTimeout;
        this.keys = keys;
        this.results = new ResultChannels(keys, () -> pubsub, sharded, readResult);
    }

    // ---- results --------------------------------------------------------------------------------------

    /**
     * Watches result {@code key} on its channel ({@link ResultChannels}). Opens the pub/sub
     * connection first if the command connection is up; while Redis is away it does not wait: the
     * watch then relies on the once-a-second re-read.
     */
    AutoCloseable watchResult(String key, Consumer<byte[]> onStored) {
        if (pubsub == null && !closed) {
            StatefulConnection<String, byte[]> commands = connector.current();
            if (commands != null && commands.isOpen()) {
                try {
                    pubsub();
                } catch (StorageException e) {
                    // the re-read finds the result
                }
            }
        }
        return results.watch(key, onStored);
    }

    /** Whether anybody watches result {@code key} (tests). */
    boolean isWatched(String key) {
        return results.isWatched(key);
    }

    // ---- queue wake-ups ---------------------------------------------------------------------------

    /** A thread's last empty dequeue: its queue, and the wake count read before it was sent. */
    private record EmptyDequeue(String queue, long wakes) {
    }

    /** The wake count of {@code queue}, read before a dequeue is sent; -1 while nobody waits on the queue. */
    long wakesBefore(String queue) {
        AtomicLong wakes = wakeCounts.get(queue);
        return wakes == null ? -1 : wakes.get();
    }

    /** A dequeue of this thread found {@code queue} empty; {@code wakesBefore} was read before it was sent. */
    void emptyDequeue(String queue, long wakesBefore) {
        if (wakesBefore >= 0) {
            lastEmpty.set(new EmptyDequeue(queue, wakesBefore));
        }
    }

    /** A dequeue got a full batch: more may be waiting, so wake one more idle worker of this process. */
    void wakeAnother(String queue) {
        signalOne(keys.get().wakeChannel(queue));
    }

    /**
     * Waits until a message may be visible in {@code queue} or {@code timeout} passes; reads the
     * ready set's size with {@code readySize} when no earlier empty dequeue tells.
     */
    void awaitMessages(String queue, Duration timeout, LongSupplier readySize) throws InterruptedException {
        String channel = keys.get().wakeChannel(queue);
        EmptyDequeue empty = lastEmpty.get();
        lastEmpty.remove();
        subscribe(channel);
        AtomicLong wakes = wakeCounts.computeIfAbsent(queue, q -> new AtomicLong());
        Semaphore signal = register(channel);
        try {
            if (empty != null && empty.queue().equals(queue)) {
                if (wakes.get() != empty.wakes()) {
                    return;
                }
            } else if (readySize.getAsLong() > 0) {
                return;
            }
            signal.tryAcquire(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } finally {
            unregister(channel, signal);
        }
    }

    private Semaphore register(String channel) {
        Semaphore s = new Semaphore(0);
        waiters.computeIfAbsent(channel, k -> ConcurrentHashMap.newKeySet()).add(s);
        return s;
    }

    private void unregister(String channel, Semaphore s) {
        waiters.computeIfPresent(channel, (k, set) -> {
            set.remove(s);
            return set.isEmpty() ? null : set;
        });
    }

    /** Wakes one waiter (it leaves the set, so the next wake-up picks another). */
    private void signalOne(String channel) {
        Set<Semaphore> set = waiters.get(channel);
        if (set != null) {
            for (Semaphore s : set) {
                if (set.remove(s)) {
                    s.release();
                    return;
                }
            }
        }
    }

    // ---- the pub/sub connection -----------------------------------------------------------------------

    private static <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (RedisException e) {
            throw new StorageException("Redis " + what + " failed: " + e.getMessage(), e);
        }
    }

    private StatefulRedisPubSubConnection<String, byte[]> pubsub() {
        StatefulRedisPubSubConnection<String, byte[]> c = pubsub;
        if (c == null) {
            synchronized (this) {
                if (closed) {
                    throw new StorageException("RedisStorage is closed");
                }
                c = pubsub;
                if (c == null) {
                    connector.connection(); // waits while Redis is away
                    c = call("connect pub/sub", () -> endpoint.connectPubSub(codec));
                    c.setTimeout(commandTimeout);
                    if (c instanceof StatefulRedisClusterPubSubConnection<String, byte[]> cluster) {
                        // sharded subscriptions live on the connections to the slots' nodes: hear them here too
                        cluster.setNodeMessagePropagation(true);
                    }
                    c.addListener(new RedisPubSubAdapter<>() {
                        @Override
                        public void message(String channel, byte[] message) {
                            onMessage(channel, message);
                        }

                        @Override
                        public void smessage(String channel, byte[] message) {
                            onMessage(channel, message);
                        }
                    });
                    pubsub = c;
                }
            }
        }
        return c;
    }

    private void subscribe(String channel) {
        if (subscribed.contains(channel)) {
            return;
        }
        synchronized (subscribed) {
            if (!subscribed.contains(channel)) {
                StatefulRedisPubSubConnection<String, byte[]> c = pubsub();
                long deadline = System.nanoTime() + commandTimeout.toNanos();
                while (true) {
                    try {
                        call("subscribe", () -> {
                            if (sharded.getAsBoolean()) {
                                c.sync().ssubscribe(channel);
                            } else {
                                c.sync().subscribe(channel);
                            }
                            return null;
                        });
                        break;
                    } catch (StorageException e) {
                        // on a cluster a sharded SSUBSCRIBE goes to the connection to its slot's node, which Lettuce
                        // opens on first use and which rejects commands until it is connected: try again shortly
                        if (!sharded.getAsBoolean() || System.nanoTime() > deadline) {
                            throw e;
                        }
                        pause();
                    }
                }
                subscribed.add(channel);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while subscribing", e);
        }
    }

    /** A message on a subscribed channel (on a Lettuce I/O thread): a queue's wake-up, or a result's notification. */
    private void onMessage(String channel, byte[] message) {
        RedisKeys k = keys.get();
        if (k == null) {
            return;
        }
        if (k.isDoneChannel(channel)) {
            results.message(k.resultOfDoneChannel(channel), message);
            return;
        }
        AtomicLong wakes = wakeCounts.get(k.queueOfWakeChannel(channel));
        if (wakes != null) {
            wakes.incrementAndGet();
        }
        signalOne(channel);
    }

    /** Stops the result watches and closes the pub/sub connection; idempotent. */
    @Override
    public void close() {
        closed = true;
        results.close();
        StatefulRedisPubSubConnection<String, byte[]> c;
        synchronized (this) {
            c = pubsub;
        }
        if (c != null) {
            c.close();
        }
    }
}
