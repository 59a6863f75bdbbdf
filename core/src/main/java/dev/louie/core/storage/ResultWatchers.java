package dev.louie.core.storage;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The result watches of one storage, for backends implementing {@link Storage#watchResult}: a
 * backend registers each watch here and calls {@link #stored} when it stores (or hears of) a
 * result. One behaviour for every backend: a watcher that throws is logged and the others are
 * still called; the result is stored either way.
 *
 * <p>A backend that must do something when a key gets its first watcher or loses its last (Redis
 * subscribes to the key's channel) passes the two callbacks; they run under the key's entry
 * lock, so they are ordered per key.
 */
public final class ResultWatchers {
    private static final Logger log = LoggerFactory.getLogger(ResultWatchers.class);

    private final Map<String, Set<Consumer<byte[]>>> watches = new ConcurrentHashMap<>();
    private final Consumer<String> firstWatcher;
    private final Consumer<String> lastWatcherLeft;

    /** Watchers without callbacks. */
    public ResultWatchers() {
        this(key -> { }, key -> { });
    }

    /** Watchers that call {@code firstWatcher} when a key gets its first watch and {@code lastWatcherLeft} when it loses its last. */
    public ResultWatchers(Consumer<String> firstWatcher, Consumer<String> lastWatcherLeft) {
        this.firstWatcher = firstWatcher;
        this.lastWatcherLeft = lastWatcherLeft;
    }

    /** Adds a watch of {@code key}; the handle removes it (idempotent). */
    public AutoCloseable watch(String key, Consumer<byte[]> onStored) {
        watches.compute(key, (k, set) -> {
            if (set == null) {
                set = ConcurrentHashMap.newKeySet();
                firstWatcher.accept(k);
            }
            set.add(onStored);
            return set;
        });
        return () -> watches.computeIfPresent(key, (k, set) -> {
            set.remove(onStored);
            if (set.isEmpty()) {
                lastWatcherLeft.accept(k);
                return null;
            }
            return set;
        });
    }

    /** Whether {@code key} is watched (a backend may skip work for results nobody waits for). */
    public boolean isWatched(String key) {
        return watches.containsKey(key);
    }

    /** Tells the watchers of {@code key} that a result was stored: with its value, or null when they should read it. */
    public void stored(String key, byte[] value) {
        Set<Consumer<byte[]>> set = watches.get(key);
        if (set == null) {
            return;
        }
        for (Consumer<byte[]> watcher : set) {
            try {
                watcher.accept(value);
            } catch (RuntimeException e) {
                log.warn("a watcher of result {} failed: {}; the result is stored", key, e.toString());
            }
        }
    }
}
