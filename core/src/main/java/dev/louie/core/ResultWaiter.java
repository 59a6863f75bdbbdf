package dev.louie.core;

import dev.louie.core.storage.Storage;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes result futures without a thread per result: storage notifications complete them at
 * once where the backend sends them; one shared poller with a backoff covers the rest (results
 * stored by other processes on backends that cannot notify).
 */
final class ResultWaiter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResultWaiter.class);
    private static final long MIN_PAUSE_NS = 2_000_000L;
    private static final long MAX_PAUSE_NS = 500_000_000L;

    private final Storage storage;
    private final Map<String, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
    private final AutoCloseable subscription;
    private final Object pollerLock = new Object();
    private volatile Thread poller;
    private volatile boolean closed;

    ResultWaiter(Storage storage) {
        this.storage = storage;
        this.subscription = storage.onResult(this::stored);
    }

    CompletableFuture<byte[]> watch(String key) {
        CompletableFuture<byte[]> future = pending.computeIfAbsent(key, k -> new CompletableFuture<>());
        check(key, future);
        if (!future.isDone()) {
            ensurePoller();
        }
        return future;
    }

    private void stored(String key) {
        CompletableFuture<byte[]> future = pending.get(key);
        if (future != null) {
            check(key, future);
        }
    }

    private void check(String key, CompletableFuture<byte[]> future) {
        try {
            Optional<byte[]> value = storage.getResult(key, false);
            if (value.isPresent()) {
                pending.remove(key, future);
                future.complete(value.get());
            }
        } catch (RuntimeException e) {
            log.debug("result check for {} failed, will retry: {}", key, e.toString());
        }
    }

    private void ensurePoller() {
        if (poller != null || closed) {
            return;
        }
        synchronized (pollerLock) {
            if (poller == null && !closed) {
                Thread t = new Thread(this::poll, "louie-result-poller");
                t.setDaemon(true);
                poller = t;
                t.start();
            } else if (poller != null) {
                LockSupport.unpark(poller);
            }
        }
    }

    private void poll() {
        long pause = MIN_PAUSE_NS;
        while (!closed) {
            if (pending.isEmpty()) {
                pause = MIN_PAUSE_NS;
                LockSupport.parkNanos(MAX_PAUSE_NS);
                continue;
            }
            int before = pending.size();
            for (Map.Entry<String, CompletableFuture<byte[]>> e : pending.entrySet()) {
                if (e.getValue().isDone()) {
                    pending.remove(e.getKey(), e.getValue());
                } else {
                    check(e.getKey(), e.getValue());
                }
            }
            pause = pending.size() < before ? MIN_PAUSE_NS : Math.min(pause * 2, MAX_PAUSE_NS);
            LockSupport.parkNanos(pause);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            subscription.close();
        } catch (Exception e) {
            log.debug("closing result subscription: {}", e.toString());
        }
        Thread t = poller;
        if (t != null) {
            LockSupport.unpark(t);
        }
        for (CompletableFuture<byte[]> f : pending.values()) {
            f.completeExceptionally(new IllegalStateException("Louie was closed while waiting for this result"));
        }
        pending.clear();
    }
}
