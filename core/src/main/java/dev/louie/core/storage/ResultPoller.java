package dev.louie.core.storage;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches results by reading them again and again: for backends that cannot be told about results
 * stored by other processes (an SQLite file shared by several JVMs), as the safety net of a
 * notification that can be lost (a Redis reconnect), and behind {@link Storage#watchResult}'s
 * default. One daemon thread per poller reads every watched key in turn, pausing from
 * {@code minPause}, doubling to {@code maxPause} while nothing is found, and back to
 * {@code minPause} when a read finds a result. A found result is handed to its watchers with its
 * value; the watch stays until its handle is closed.
 */
public final class ResultPoller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResultPoller.class);
    private static final ResultPoller SHARED_DEFAULTS = new ResultPoller("louie-result-poller", Duration.ofMillis(1), Duration.ofMillis(50));

    private final String name;
    private final long minPauseNanos;
    private final long maxPauseNanos;
    private final Map<Key, Consumer<byte[]>> watched = new ConcurrentHashMap<>();
    private volatile Thread thread;
    private volatile boolean closed;

    private record Key(Function<String, Optional<byte[]>> read, String key, Object token) {
    }

    /** A poller whose thread is named {@code name}, pausing between {@code minPause} and {@code maxPause}. */
    public ResultPoller(String name, Duration minPause, Duration maxPause) {
        this.name = name;
        this.minPauseNanos = minPause.toNanos();
        this.maxPauseNanos = Math.max(minPause.toNanos(), maxPause.toNanos());
    }

    /** The poller behind {@link Storage#watchResult}'s default: reads with {@code storage.getResult}. */
    static AutoCloseable watchByPolling(Storage storage, String key, Consumer<byte[]> onStored) {
        return SHARED_DEFAULTS.watch(k -> storage.getResult(k, false), key, onStored);
    }

    /** Reads {@code key} with {@code read} until closed, calling {@code onStored} with the value whenever a read finds one. */
    public AutoCloseable watch(Function<String, Optional<byte[]>> read, String key, Consumer<byte[]> onStored) {
        Key k = new Key(read, key, new Object());
        watched.put(k, onStored);
        start();
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
        return () -> watched.remove(k);
    }

    private void start() {
        if (thread != null || closed) {
            return;
        }
        synchronized (this) {
            if (thread == null && !closed) {
                Thread t = new Thread(this::run, name);
                t.setDaemon(true);
                thread = t;
                t.start();
            }
        }
    }

    private void run() {
        long pause = minPauseNanos;
        while (!closed) {
            if (watched.isEmpty()) {
                pause = minPauseNanos;
                LockSupport.parkNanos(maxPauseNanos);
                continue;
            }
            boolean found = false;
            for (Map.Entry<Key, Consumer<byte[]>> e : watched.entrySet()) {
                try {
                    Optional<byte[]> value = e.getKey().read().apply(e.getKey().key());
                    if (value.isPresent()) {
                        found = true;
                        e.getValue().accept(value.get());
                    }
                } catch (RuntimeException ex) {
                    log.debug("polling result {} failed, will retry: {}", e.getKey().key(), ex.toString());
                }
            }
            pause = found ? minPauseNanos : Math.min(pause * 2, maxPauseNanos);
            LockSupport.parkNanos(pause);
        }
    }

    /** Stops the thread; watches end. */
    @Override
    public void close() {
        closed = true;
        watched.clear();
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
