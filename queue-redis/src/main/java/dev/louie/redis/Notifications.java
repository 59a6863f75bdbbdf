package dev.louie.redis;

import dev.louie.core.storage.StorageException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The pub/sub side of {@link RedisStorage}: waking idle workers when a queue gets messages, and
 * waking callers that wait for a result, on one dedicated connection opened on first use.
 *
 * <ul>
 *   <li><b>Queue wake-ups</b>: a queue's wake channel is published when its ready set goes from
 *       empty to non-empty (by the scripts). {@link #awaitMessages} subscribes once per queue and
 *       wakes one waiting worker per wake-up; a worker whose dequeue got a full batch wakes the next
 *       ({@link #wakeAnother}). After an empty dequeue on the same thread ({@link #emptyDequeue})
 *       no read is needed: a wake-up counted since that dequeue was sent returns at once.</li>
 *   <li><b>Result notifications</b>: each result has its own channel, published when it is stored,
 *       carrying the value when it is at most {@link #INLINE_RESULT_LIMIT} bytes ({@code v<value>},
 *       else {@code k}: read it). {@link #awaitResult} subscribes to that one channel while anyone
 *       waits for it; {@link #onResult} listens to every result of the namespace by pattern.</li>
 * </ul>
 *
 * Waiters re-read at least once a second in case a notification was lost in a reconnect.
 */
final class Notifications implements AutoCloseable {

    /** Results up to this size travel inside their notification, so a waiter needs no read after the wake-up. */
    static final int INLINE_RESULT_LIMIT = 8192;
    private static final byte[] ONE = {'1'};
    private static final byte[] ZERO = {'0'};
    /** Waiters re-check at least this often, in case a notification was lost during a reconnect. */
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final RedisClient client;
    private final RedisCodec<String, byte[]> codec;
    private final RedisConnector connector;
    private final Duration commandTimeout;
    /** The key scheme, or null while the storage has no namespace. */
    private final Supplier<RedisKeys> keys;

    private final ConcurrentHashMap<String, Set<Semaphore>> waiters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ResultWait> resultWaits = new ConcurrentHashMap<>();
    /** Wake-ups received per queue (counted while its wake channel is subscribed). */
    private final ConcurrentHashMap<String, AtomicLong> wakeCounts = new ConcurrentHashMap<>();
    /** Per thread: the queue of its last empty dequeue and the wake count read before that dequeue was sent. */
    private final ThreadLocal<EmptyDequeue> lastEmpty = new ThreadLocal<>();
    private final List<Consumer<String>> resultListeners = new CopyOnWriteArrayList<>();
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private volatile StatefulRedisPubSubConnection<String, byte[]> pubsub;
    private volatile ExecutorService listenerThread;
    private volatile boolean closed;

    Notifications(RedisClient client, RedisCodec<String, byte[]> codec, RedisConnector connector, Duration commandTimeout,
            Supplier<RedisKeys> keys) {
        this.client = client;
        this.codec = codec;
        this.connector = connector;
        this.commandTimeout = commandTimeout;
        this.keys = keys;
    }

    /** The script argument saying whether a result's notification carries it ('1') or only announces it ('0'). */
    static byte[] inline(byte[] value) {
        return value.length <= INLINE_RESULT_LIMIT ? ONE : ZERO;
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

    // ---- results ------------------------------------------------------------------------------------

    /** One thread waiting in {@link #awaitResult}: woken by the notification, which may carry the value. */
    private static final class ResultWaiter {
        final Semaphore signal = new Semaphore(0);
        volatile byte[] value;
    }

    /** The waiters of one result channel, subscribed while there is at least one. */
    private static final class ResultWait {
        final Set<ResultWaiter> waiters = ConcurrentHashMap.newKeySet();
        /** The SUBSCRIBE's reply; null when the pub/sub connection was down (the waiters then re-read once a second). */
        final RedisFuture<Void> subscribed;

        ResultWait(RedisFuture<Void> subscribed) {
            this.subscribed = subscribed;
        }
    }

    /**
     * Subscribes to the result's own channel while reading it with {@code read}, then waits for the
     * notification. A peek ({@code consume} false) returns the value a notification carries without
     * another read; a pop reads (GETDEL) so that only one caller takes the value.
     */
    Optional<byte[]> awaitResult(String key, boolean consume, Duration timeout, Supplier<Optional<byte[]>> read)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String channel = keys.get().doneChannel(key);
        ResultWaiter waiter = new ResultWaiter();
        ResultWait wait = join(channel, waiter);
        try {
            // this first read overlaps with the subscription's confirmation
            Optional<byte[]> value = read.get();
            if (value.isPresent()) {
                return value;
            }
            long left = deadline - System.nanoTime();
            if (left > 0 && wait.subscribed != null) {
                // not confirmed in time (e.g. Redis is away): the re-reads below still find the result
                wait.subscribed.await(Math.min(left, RECHECK_NANOS), TimeUnit.NANOSECONDS);
            }
            while (true) {
                byte[] pushed = waiter.value;
                if (pushed != null && !consume) {
                    return Optional.of(pushed);
                }
                value = read.get();
                if (value.isPresent()) {
                    return value;
                }
                left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                waiter.signal.tryAcquire(Math.min(left, RECHECK_NANOS), TimeUnit.NANOSECONDS);
            }
        } finally {
            leave(channel, waiter);
        }
    }

    /**
     * Adds a waiter; the first one sends SUBSCRIBE (sent, not awaited, inside the map's lock: order
     * per channel is kept). While the pub/sub connection is reconnecting the command is refused; the
     * waiters of that channel then find the result by their re-reads.
     */
    private ResultWait join(String channel, ResultWaiter waiter) {
        StatefulRedisPubSubConnection<String, byte[]> c = pubsub();
        return resultWaits.compute(channel, (ch, wait) -> {
            if (wait == null) {
                RedisFuture<Void> subscribed;
                try {
                    subscribed = c.async().subscribe(ch);
                } catch (RedisException e) {
                    subscribed = null;
                }
                wait = new ResultWait(subscribed);
            }
            wait.waiters.add(waiter);
            return wait;
        });
    }

    /** Removes a waiter; the last one sends UNSUBSCRIBE without waiting for it. */
    private void leave(String channel, ResultWaiter waiter) {
        resultWaits.computeIfPresent(channel, (ch, wait) -> {
            wait.waiters.remove(waiter);
            if (!wait.waiters.isEmpty()) {
                return wait;
            }
            StatefulRedisPubSubConnection<String, byte[]> c = pubsub;
            if (c != null && !closed) {
                try {
                    c.async().unsubscribe(ch);
                } catch (RuntimeException e) {
                    // a reconnect re-subscribes only what Lettuce still tracks; nothing to undo here
                }
            }
            return null;
        });
    }

    /** Calls {@code listener} with the key of every result stored in the namespace, on one thread, one at a time. */
    AutoCloseable onResult(Consumer<String> listener) {
        RedisKeys k = keys.get();
        synchronized (this) {
            if (listenerThread == null) {
                listenerThread = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "louie-redis-results-" + k.namespace());
                    t.setDaemon(true);
                    return t;
                });
            }
        }
        resultListeners.add(listener);
        psubscribe(k.donePattern());
        return () -> resultListeners.remove(listener);
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
                    c = call("connect pub/sub", () -> client.connectPubSub(codec));
                    c.setTimeout(commandTimeout);
                    c.addListener(new RedisPubSubAdapter<>() {
                        @Override
                        public void message(String channel, byte[] message) {
                            onMessage(channel, message);
                        }

                        @Override
                        public void message(String pattern, String channel, byte[] message) {
                            onPatternMessage(channel);
                        }
                    });
                    pubsub = c;
                }
            }
        }
        return c;
    }

    private void subscribe(String channel) {
        subscribeOnce(channel, c -> c.sync().subscribe(channel));
    }

    private void psubscribe(String pattern) {
        subscribeOnce("pattern " + pattern, c -> c.sync().psubscribe(pattern));
    }

    private void subscribeOnce(String tracked, Consumer<StatefulRedisPubSubConnection<String, byte[]>> command) {
        if (subscribed.contains(tracked)) {
            return;
        }
        synchronized (subscribed) {
            if (!subscribed.contains(tracked)) {
                StatefulRedisPubSubConnection<String, byte[]> c = pubsub();
                call("subscribe", () -> {
                    command.accept(c);
                    return null;
                });
                subscribed.add(tracked);
            }
        }
    }

    /** A message on a subscribed channel: a queue's wake-up, or a result's notification. */
    private void onMessage(String channel, byte[] message) {
        RedisKeys k = keys.get();
        if (k == null) {
            return;
        }
        if (!k.isDoneChannel(channel)) {
            AtomicLong wakes = wakeCounts.get(k.queueOfWakeChannel(channel));
            if (wakes != null) {
                wakes.incrementAndGet();
            }
            signalOne(channel);
            return;
        }
        ResultWait wait = resultWaits.get(channel);
        if (wait == null) {
            return;
        }
        byte[] value = message.length > 0 && message[0] == 'v' ? Arrays.copyOfRange(message, 1, message.length) : null;
        for (ResultWaiter waiter : wait.waiters) {
            if (value != null) {
                waiter.value = value;
            }
            waiter.signal.release();
        }
    }

    /** Every result of the namespace, through the {@code done:*} pattern: tell the {@link #onResult} listeners. */
    private void onPatternMessage(String channel) {
        ExecutorService executor = listenerThread;
        RedisKeys k = keys.get();
        if (k == null || !k.isDoneChannel(channel) || executor == null || resultListeners.isEmpty()) {
            return;
        }
        String key = k.resultOfDoneChannel(channel);
        executor.execute(() -> {
            for (Consumer<String> listener : resultListeners) {
                try {
                    listener.accept(key);
                } catch (RuntimeException e) {
                    // a listener's failure must not stop the others
                }
            }
        });
    }

    /** Stops the listener thread and closes the pub/sub connection; idempotent. */
    @Override
    public void close() {
        closed = true;
        ExecutorService executor = listenerThread;
        if (executor != null) {
            executor.shutdownNow();
        }
        StatefulRedisPubSubConnection<String, byte[]> c;
        synchronized (this) {
            c = pubsub;
        }
        if (c != null) {
            c.close();
        }
    }
}
