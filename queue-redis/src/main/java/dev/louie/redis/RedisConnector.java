package dev.louie.redis;

import dev.louie.core.storage.StorageException;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.codec.RedisCodec;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command connection of a {@link RedisStorage}, whether or not Redis is up.
 *
 * <p>{@link #start()} tries to connect once; when Redis cannot be reached it keeps trying in the
 * background (100 ms, doubling up to 2 s between attempts; one WARN line per series of failed
 * attempts, one INFO line when it succeeds), so that a storage, and a consumer on it, can start
 * before Redis does. Each new connection is handed to {@code setUp} (version check, script
 * loading) before anyone uses it. Afterwards Lettuce reconnects by itself.
 *
 * <p>{@link #connection()} waits up to {@code connectWait} for a set-up, open connection (first
 * connect or reconnect), then fails with {@link StorageException}: a producer gets a bounded wait,
 * a consumer's worker backs off and tries again. A setup failure that reconnecting cannot cure (a
 * server older than 6.2) is kept and reported by every call.
 */
final class RedisConnector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisConnector.class);
    private static final long FIRST_RETRY_MS = 100;
    private static final long MAX_RETRY_MS = 2000;
    /** Waiters re-check the connection at least this often (a state event may come before Lettuce marks it open). */
    private static final long RECHECK_MS = 20;

    private final RedisEndpoint endpoint;
    private final RedisCodec<String, byte[]> codec;
    private final String where;
    private final Duration commandTimeout;
    private final Duration connectWait;
    private final Consumer<StatefulConnection<String, byte[]>> setUp;
    private final Object changed = new Object();
    private final RedisConnectionStateListener listener = new RedisConnectionStateListener() {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            signal();
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            signal();
        }
    };
    private volatile StatefulConnection<String, byte[]> ready;
    /** Why the last attempt failed (null once connected). */
    private volatile RuntimeException lastFailure;
    /** A setup failure that no retry can cure. */
    private volatile StorageException fatal;
    private volatile boolean closed;
    private ScheduledExecutorService retries;
    private int attempts;
    private long firstFailure;

    /**
     * @param where          how messages name the server ({@code host:port})
     * @param connectWait    how long {@link #connection()} waits for a connection
     * @param setUp          runs on each new connection before it is used; a {@link StorageException}
     *                       from it is fatal, a {@link RedisException} is retried
     */
    RedisConnector(RedisEndpoint endpoint, RedisCodec<String, byte[]> codec, String where, Duration commandTimeout,
            Duration connectWait, Consumer<StatefulConnection<String, byte[]>> setUp) {
        this.endpoint = endpoint;
        this.codec = codec;
        this.where = where;
        this.commandTimeout = commandTimeout;
        this.connectWait = connectWait;
        this.setUp = setUp;
    }

    /**
     * Tries to connect once on the calling thread; if Redis is unreachable, continues in the
     * background and returns.
     *
     * @throws StorageException when Redis answers but cannot be used (setup failed fatally)
     */
    void start() {
        endpoint.client().addListener(listener);
        if (!attempt()) {
            if (fatal != null) {
                throw fatal;
            }
            synchronized (this) {
                retries = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "louie-redis-connect");
                    t.setDaemon(true);
                    return t;
                });
                retries.schedule(this::retry, FIRST_RETRY_MS, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void retry() {
        if (closed || attempt() || fatal != null) {
            synchronized (this) {
                if (retries != null) {
                    retries.shutdown();
                }
            }
            return;
        }
        long delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(10, attempts - 1));
        synchronized (this) {
            if (!closed) {
                retries.schedule(this::retry, delay, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** One connection attempt with setup; true when the connection is ready. */
    private boolean attempt() {
        StatefulConnection<String, byte[]> c = null;
        try {
            c = endpoint.connect(codec);
            c.setTimeout(commandTimeout);
            setUp.accept(c);
        } catch (StorageException e) {
            close(c);
            fatal = e;
            log.error("Redis at {} cannot be used: {}", where, e.getMessage());
            signal();
            return false;
        } catch (RedisException e) {
            close(c);
            failed(e);
            return false;
        }
        synchronized (this) {
            if (closed) {
                close(c);
                return false;
            }
            ready = c;
        }
        if (attempts > 0) {
            log.info("connected to Redis at {} after {} failed attempts in {} ms", where, attempts,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstFailure));
        }
        lastFailure = null;
        signal();
        return true;
    }

    private void failed(RedisException e) {
        lastFailure = e;
        if (attempts++ == 0) {
            firstFailure = System.nanoTime();
            log.warn("cannot connect to Redis at {} ({}); connecting in the background, operations fail with"
                    + " StorageException until then", where, message(e));
        } else {
            log.debug("connecting to Redis at {} failed again ({})", where, message(e));
        }
    }

    private static String message(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.getMessage() : e.getMessage() + ": " + root.getMessage();
    }

    private static void close(StatefulConnection<String, byte[]> c) {
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                // it is being discarded
            }
        }
    }

    private void signal() {
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    /** The connection once it is open and set up; waits up to the connect wait for it. */
    StatefulConnection<String, byte[]> connection() {
        StatefulConnection<String, byte[]> c = ready;
        if (c != null && c.isOpen()) {
            return c;
        }
        long deadline = System.nanoTime() + connectWait.toNanos();
        synchronized (changed) {
            while (true) {
                if (closed) {
                    throw new StorageException("RedisStorage is closed");
                }
                if (fatal != null) {
                    throw new StorageException(fatal.getMessage(), fatal);
                }
                c = ready;
                if (c != null && c.isOpen()) {
                    return c;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                try {
                    changed.wait(Math.min(left, RECHECK_MS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StorageException("interrupted while waiting for the connection to Redis at " + where, e);
                }
            }
        }
        RuntimeException cause = lastFailure;
        if (ready == null) {
            throw new StorageException("not connected to Redis at " + where + " yet (waited " + connectWait.toMillis()
                    + " ms; connecting in the background" + (cause == null ? "" : "; last attempt: " + message(cause)) + ")", cause);
        }
        throw new StorageException("the connection to Redis at " + where + " is down (waited " + connectWait.toMillis()
                + " ms for it to reconnect)");
    }

    /** The connection if it was ever made, without waiting (it may be reconnecting). */
    StatefulConnection<String, byte[]> current() {
        return ready;
    }

    /** Stops connecting and closes the connection; the client is the caller's. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (retries != null) {
                retries.shutdownNow();
            }
        }
        endpoint.client().removeListener(listener);
        close(ready);
        signal();
    }
}
