package dev.louie.redis;

import dev.louie.core.storage.ResultWatchers;
import io.lettuce.core.RedisException;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Result watches of {@link RedisStorage#watchResult}, on each result's own channel
 * (<code>louie:{NS:KEY}:done</code>, published when the result is stored; sharded on a cluster of Redis 7).
 *
 * <ul>
 *   <li>A key's first watcher SUBSCRIBEs to its channel, its last one UNSUBSCRIBEs ({@link ResultWatchers}'
 *       callbacks, ordered per key). Nobody hears a result that nobody watches.</li>
 *   <li>A notification carries the value when it is at most {@link #INLINE_RESULT_LIMIT} bytes
 *       ({@code v<value>}), which the watchers get; else it says {@code k} (read it), and they get null.</li>
 *   <li>When Redis confirms the SUBSCRIBE, the key is read once: a result stored before the
 *       subscription was in force (the watcher's own first read may have reached Redis before the
 *       SUBSCRIBE) is handed over then.</li>
 *   <li>The safety net: a key watched for a second is read again once a second, so a notification
 *       lost in a reconnect (or a SUBSCRIBE refused while Redis was away) costs at most about a second.</li>
 * </ul>
 *
 * Watchers are called on one thread of this storage ({@code louie-redis-results-NS}), never on
 * Lettuce's I/O threads, where a watcher that reads Redis would block the replies it waits for.
 */
final class ResultChannels implements AutoCloseable {

    /** Results up to this size travel inside their notification, so a watcher needs no read. */
    static final int INLINE_RESULT_LIMIT = 8192;
    private static final byte[] ONE = {'1'};
    private static final byte[] ZERO = {'0'};
    /** How often a watched key is read again, in case its notification was lost. */
    static final long REREAD_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How often a refused sharded subscription is sent again. */
    private static final int SUBSCRIBE_ATTEMPTS = 25;
    /** How often the safety net looks for keys due for a read. */
    private static final long TICK_MS = 100;

    private final Supplier<RedisKeys> keys;
    private final Supplier<StatefulRedisPubSubConnection<String, byte[]>> pubsub;
    private final Function<String, CompletionStage<byte[]>> read;
    /** Whether channels are sharded (SSUBSCRIBE). */
    private final BooleanSupplier sharded;
    private final ResultWatchers watchers = new ResultWatchers(this::firstWatcher, this::lastWatcherLeft);
    /** Watched keys and when (System.nanoTime) the safety net reads each next. */
    private final Map<String, Long> rereadAt = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService thread;
    private volatile boolean closed;

    /**
     * @param keys   the key scheme (the namespace is known by the time anything is watched)
     * @param pubsub the pub/sub connection if it is open, else null; never waits
     * @param read   an asynchronous GET of a result by key, or null while the command connection is down; never waits
     */
    ResultChannels(Supplier<RedisKeys> keys, Supplier<StatefulRedisPubSubConnection<String, byte[]>> pubsub,
            BooleanSupplier sharded, Function<String, CompletionStage<byte[]>> read) {
        this.keys = keys;
        this.pubsub = pubsub;
        this.sharded = sharded;
        this.read = read;
    }

    /** The script argument saying whether a result's notification carries it ('1') or only announces it ('0'). */
    static byte[] inline(byte[] value) {
        return value.length <= INLINE_RESULT_LIMIT ? ONE : ZERO;
    }

    /** Watches {@code key}; the handle ends the watch. */
    AutoCloseable watch(String key, Consumer<byte[]> onStored) {
        thread();
        return watchers.watch(key, onStored);
    }

    /** Whether anybody watches {@code key} (tests). */
    boolean isWatched(String key) {
        return watchers.isWatched(key);
    }

    private void firstWatcher(String key) {
        rereadAt.put(key, System.nanoTime() + REREAD_NANOS);
        subscribe(key, 0);
    }

    /**
     * SUBSCRIBEs (SSUBSCRIBE when sharded) to the channel of {@code key}. A sharded one that is refused
     * (Lettuce opens the connection to the slot's node on first use, and it rejects commands until it is
     * connected) is sent again a few times, 20 ms apart; past that, or while Redis is away, the safety
     * net reads the key.
     */
    private void subscribe(String key, int attempt) {
        StatefulRedisPubSubConnection<String, byte[]> c = pubsub.get();
        if (c == null || closed || (attempt > 0 && !watchers.isWatched(key))) {
            return; // Redis is away (the safety net reads the key), or nobody watches any more (the first call comes before the watcher is registered)
        }
        boolean shard = sharded.getAsBoolean();
        try {
            String channel = keys.get().doneChannel(key);
            (shard ? c.async().ssubscribe(channel) : c.async().subscribe(channel)).whenComplete((ok, failure) -> {
                if (failure == null) {
                    reread(key);
                } else if (shard && attempt < SUBSCRIBE_ATTEMPTS) {
                    later(() -> subscribe(key, attempt + 1));
                }
            });
        } catch (RedisException e) {
            if (shard && attempt < SUBSCRIBE_ATTEMPTS) {
                later(() -> subscribe(key, attempt + 1));
            }
        }
    }

    private void later(Runnable action) {
        ScheduledExecutorService t = thread;
        if (t != null && !closed) {
            try {
                t.schedule(action, 20, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closed meanwhile
            }
        }
    }

    private void lastWatcherLeft(String key) {
        rereadAt.remove(key);
        StatefulRedisPubSubConnection<String, byte[]> c = pubsub.get();
        if (c == null || closed) {
            return;
        }
        try {
            String channel = keys.get().doneChannel(key);
            if (sharded.getAsBoolean()) {
                c.async().sunsubscribe(channel);
            } else {
                c.async().unsubscribe(channel);
            }
        } catch (RedisException e) {
            // a reconnect re-subscribes only what Lettuce still tracks; a stray subscription only costs a message
        }
    }

    /** A notification on the channel of result {@code key} (on a Lettuce I/O thread). */
    void message(String key, byte[] message) {
        if (!watchers.isWatched(key)) {
            return;
        }
        byte[] value = message.length > 0 && message[0] == 'v' ? Arrays.copyOfRange(message, 1, message.length) : null;
        tell(key, value);
    }

    /** Reads {@code key} without waiting and tells its watchers when a result is there. */
    private void reread(String key) {
        if (closed || !watchers.isWatched(key)) {
            return;
        }
        CompletionStage<byte[]> reply;
        try {
            reply = read.apply(key);
        } catch (RuntimeException e) {
            return; // the next round tries again
        }
        if (reply != null) {
            reply.whenComplete((value, failure) -> {
                if (value != null) {
                    tell(key, value);
                }
            });
        }
    }

    /** The safety net's round: reads every key whose re-read is due. */
    private void rereadDue() {
        long now = System.nanoTime();
        for (Map.Entry<String, Long> e : rereadAt.entrySet()) {
            if (now - e.getValue() >= 0) {
                e.setValue(now + REREAD_NANOS);
                reread(e.getKey());
            }
        }
    }

    private void tell(String key, byte[] value) {
        ScheduledExecutorService t = thread;
        if (t == null || closed) {
            return;
        }
        try {
            t.execute(() -> watchers.stored(key, value));
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /** The thread that calls watchers and runs the safety net, started with the first watch. */
    private ScheduledExecutorService thread() {
        ScheduledExecutorService t = thread;
        if (t == null) {
            synchronized (this) {
                t = thread;
                if (t == null && !closed) {
                    String name = "louie-redis-results-" + keys.get().namespace();
                    t = Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread th = new Thread(r, name);
                        th.setDaemon(true);
                        return th;
                    });
                    t.scheduleWithFixedDelay(this::rereadDue, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
                    thread = t;
                }
            }
        }
        return t;
    }

    /** Stops the thread; watchers are not called any more. */
    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        if (t != null) {
            t.shutdownNow();
        }
    }
}
