package dev.louie.core;

import dev.louie.core.storage.Storage;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one waiting path for results: a future per waiter, completed with the stored bytes when the
 * storage's watch of the key fires ({@link Storage#watchResult}), without a thread per waiter.
 * {@code Result.future()} returns one; {@code Result.get} blocks on one. The first waiter of a
 * key starts the storage's watch, the last one that completes or gives up ends it. A watch that
 * fires without a value (the backend did not have it at hand) is answered by one read.
 */
final class ResultWaiter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResultWaiter.class);

    private final Storage storage;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** The waiters of one key and the storage's watch for them. */
    private final class Watch {
        final String key;
        final Set<CompletableFuture<byte[]>> waiters = ConcurrentHashMap.newKeySet();
        volatile AutoCloseable handle;

        Watch(String key) {
            this.key = key;
        }

        void stored(byte[] value) {
            if (waiters.isEmpty()) {
                return;
            }
            byte[] bytes = value;
            if (bytes == null) {
                try {
                    Optional<byte[]> read = storage.getResult(key, false);
                    if (read.isEmpty()) {
                        return; // a spurious wake-up
                    }
                    bytes = read.get();
                } catch (RuntimeException e) {
                    log.debug("reading result {} after its notification failed, the watch goes on: {}", key, e.toString());
                    return;
                }
            }
            for (CompletableFuture<byte[]> f : waiters) {
                f.complete(bytes);
            }
            end(this);
        }
    }

    ResultWaiter(Storage storage) {
        this.storage = storage;
    }

    /**
     * A future completed with the result of {@code key} once it is stored (at once when it is
     * there). Give it up with {@link #forget} when no longer waiting.
     */
    CompletableFuture<byte[]> watch(String key) {
        CompletableFuture<byte[]> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new IllegalStateException("Louie was closed while waiting for this result"));
            return future;
        }
        Watch watch = watches.compute(key, (k, w) -> {
            if (w == null) {
                w = new Watch(k);
            }
            w.waiters.add(future);
            return w;
        });
        if (watch.handle == null) {
            synchronized (watch) {
                if (watch.handle == null) {
                    watch.handle = storage.watchResult(key, watch::stored);
                }
            }
        }
        // the result may have been stored before the watch began
        watch.stored(null);
        return future;
    }

    /** The caller no longer waits on {@code future} (it timed out or was canceled). */
    void forget(String key, CompletableFuture<byte[]> future) {
        Watch watch = watches.get(key);
        if (watch != null) {
            watch.waiters.remove(future);
            if (watch.waiters.isEmpty()) {
                end(watch);
            }
        }
    }

    /** Ends the storage's watch of a key whose waiters are all answered or gone (atomically with a new waiter joining). */
    private void end(Watch watch) {
        boolean[] ended = {false};
        watches.computeIfPresent(watch.key, (k, w) -> {
            if (w == watch && w.waiters.stream().allMatch(CompletableFuture::isDone)) {
                ended[0] = true;
                return null;
            }
            return w;
        });
        if (ended[0]) {
            close(watch);
        }
    }

    private static void close(Watch watch) {
        AutoCloseable h;
        synchronized (watch) {
            h = watch.handle;
            watch.handle = () -> { };
        }
        if (h != null) {
            try {
                h.close();
            } catch (Exception e) {
                log.debug("ending the watch of result {}: {}", watch.key, e.toString());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Watch watch : watches.values()) {
            for (CompletableFuture<byte[]> f : watch.waiters) {
                f.completeExceptionally(new IllegalStateException("Louie was closed while waiting for this result"));
            }
            close(watch);
        }
        watches.clear();
    }
}
