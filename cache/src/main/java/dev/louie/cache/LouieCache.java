package dev.louie.cache;

import com.fasterxml.jackson.databind.JavaType;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.Weigher;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded cache on Caffeine with compute-once lookups, optional expiry and refresh, and an
 * optional {@link SharedTier} (Redis) behind it. {@link Cached} tasks use one each; code that is
 * not a task builds its own:
 *
 * <pre>{@code
 * LouieCache<String, Price> prices = LouieCache.<String, Price>builder("prices")
 *         .maxSize(10_000)
 *         .expireAfterWrite(Duration.ofMinutes(10))
 *         .build();
 * Price p = prices.get("apple", name -> fetchPrice(name));   // computed once per key, then reused
 * }</pre>
 *
 * <p>Size eviction is Caffeine's W-TinyLFU (a small LRU window in front of a main area whose
 * admission weighs how often a key was seen): not LRU, and on skewed traces it keeps more hits.
 * Concurrent {@code get}s of one absent key run the compute once; the others wait for its
 * value (or its exception). Exceptions are not cached unless {@link Builder#cacheErrors(boolean)}.
 * Thread-safe.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class LouieCache<K, V> {
    private static final Logger log = LoggerFactory.getLogger(LouieCache.class);
    private static final long FOREVER = Long.MAX_VALUE;

    /** A compute that may throw anything (a task method does). */
    @FunctionalInterface
    interface Compute<K> {
        Object apply(K key) throws Throwable;
    }

    /** What the local tier holds: a value (maybe null), or a cached error, with the TTL a shared hit had left. */
    static final class Entry {
        final Object value;
        final Throwable error;
        final long ttlNanos;
        volatile long writeDeadline = FOREVER;

        Entry(Object value, Throwable error, long ttlNanos) {
            this.value = value;
            this.error = error;
            this.ttlNanos = ttlNanos;
        }
    }

    private final String name;
    private final AsyncCache<K, Entry> cache;
    private final Compute<? super K> loader;
    private final boolean cacheNulls;
    private final boolean cacheErrors;
    private final SharedTier shared;
    private final JavaType sharedType;
    private final Function<? super K, String> sharedKey;
    private final Duration sharedTtl;
    private final String sharedPrefix;
    private final LongAdder sharedHits = new LongAdder();

    private LouieCache(Builder<K, V> b, long maxSize, long maxWeight) {
        this.name = b.name;
        this.loader = b.loader;
        this.cacheNulls = b.cacheNulls;
        this.cacheErrors = b.cacheErrors;
        this.shared = b.shared;
        this.sharedType = b.sharedType;
        this.sharedKey = b.sharedKey != null ? b.sharedKey : Keys::json;
        this.sharedTtl = b.expireAfterWrite != null ? b.expireAfterWrite : b.expireAfterAccess;
        this.sharedPrefix = name + ":";
        Caffeine<Object, Object> c = Caffeine.newBuilder().recordStats();
        if (maxWeight >= 0) {
            Weigher<? super K, ? super V> weigher = b.weigher;
            c.maximumWeight(maxWeight);
            c.weigher((Weigher<K, Entry>) (k, e) -> {
                @SuppressWarnings("unchecked")
                V v = (V) e.value;
                return e.error != null || v == null ? 1 : Math.max(0, weigher.weigh(k, v));
            });
        } else {
            c.maximumSize(maxSize);
        }
        if (b.expireAfterWrite != null || b.expireAfterAccess != null || shared != null) {
            c.expireAfter(new EntryExpiry<K>(nanos(b.expireAfterWrite), nanos(b.expireAfterAccess)));
        }
        if (b.refreshAfterWrite != null) {
            c.refreshAfterWrite(b.refreshAfterWrite);
        }
        if (b.ticker != null) {
            c.ticker(b.ticker);
        }
        if (b.executor != null) {
            c.executor(b.executor);
        }
        if (loader != null) {
            this.cache = c.buildAsync(new AsyncCacheLoader<K, Entry>() {
                @Override
                public CompletableFuture<? extends Entry> asyncLoad(K key, Executor executor) {
                    return CompletableFuture.supplyAsync(() -> loadUnchecked(key, loader, true, cacheErrors), executor);
                }

                @Override
                public CompletableFuture<? extends Entry> asyncReload(K key, Entry old, Executor executor) {
                    // a refresh computes anew (the shared copy is as old as the local one) and never caches an error over a value
                    return CompletableFuture.supplyAsync(() -> loadUnchecked(key, loader, false, false), executor);
                }
            });
        } else {
            this.cache = c.buildAsync();
        }
    }

    private static long nanos(Duration d) {
        return d == null ? FOREVER : d.toNanos();
    }

    /**
     * The Caffeine cache underneath, for monitoring: Micrometer's {@code CaffeineCacheMetrics}
     * (through {@code louie-micrometer}'s {@code CacheMetrics}) reads its statistics, size and
     * eviction policy there. Its values are this cache's internal entries: read and write through
     * this {@code LouieCache}, not through the view.
     */
    public com.github.benmanes.caffeine.cache.Cache<?, ?> caffeine() {
        return cache.synchronous();
    }

    /** Starts building a cache called {@code name} (used in statistics, logs and shared-tier keys). */
    public static <K, V> Builder<K, V> builder(String name) {
        return new Builder<>(name);
    }

    /** The cache name. */
    public String name() {
        return name;
    }

    /**
     * The value for {@code key}, computed with {@code compute} when absent. Concurrent calls for one
     * absent key compute once; the others wait for that value or exception.
     *
     * @throws CompletionException wrapping a checked exception of a cached error, or an interrupt while waiting
     */
    @SuppressWarnings("unchecked")
    public V get(K key, Function<? super K, ? extends V> compute) {
        Objects.requireNonNull(compute, "compute");
        try {
            return (V) lookup(key, compute::apply);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException("interrupted while waiting for another caller's compute of " + key, e);
        } catch (Throwable t) {
            throw new CompletionException(t);
        }
    }

    /**
     * The value for {@code key}, computed with the builder's {@link Builder#loader loader} when absent.
     *
     * @throws IllegalStateException when the cache has no loader
     */
    @SuppressWarnings("unchecked")
    public V get(K key) {
        if (loader == null) {
            throw new IllegalStateException("cache " + name + " has no loader: use get(key, compute) or build it with loader(...)");
        }
        return get(key, k -> {
            try {
                return (V) loader.apply(k);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new CompletionException(t);
            }
        });
    }

    /** The value for {@code key} in the local tier, or {@code null}; counts as a hit or a miss. */
    @SuppressWarnings("unchecked")
    public V getIfPresent(K key) {
        CompletableFuture<Entry> f = cache.getIfPresent(key);
        if (f == null || !f.isDone() || f.isCompletedExceptionally()) {
            return null;
        }
        Entry e = f.join();
        return e == null || e.error != null ? null : (V) e.value;
    }

    /** Stores {@code value} under {@code key} in the local tier and in the shared tier, if any. */
    public void put(K key, V value) {
        Objects.requireNonNull(key, "key");
        if (value == null && !cacheNulls) {
            invalidate(key);
            return;
        }
        writeShared(key, value);
        cache.put(key, CompletableFuture.completedFuture(new Entry(value, null, -1)));
    }

    /** Removes {@code key} from the local tier and the shared tier. */
    public void invalidate(K key) {
        cache.synchronous().invalidate(key);
        if (shared != null) {
            try {
                shared.delete(sharedKeyOf(key));
            } catch (RuntimeException e) {
                log.warn("cache {}: cannot delete {} from the shared tier: {}", name, key, e.toString());
            }
        }
    }

    /** Removes every entry, from the local tier and (by key prefix) from the shared tier. */
    public void invalidateAll() {
        cache.synchronous().invalidateAll();
        if (shared != null) {
            try {
                shared.deletePrefix(sharedPrefix);
            } catch (RuntimeException e) {
                log.warn("cache {}: cannot clear the shared tier: {}", name, e.toString());
            }
        }
    }

    /** Entries in the local tier (an estimate: expired entries may still count until cleaned up). */
    public long estimatedSize() {
        return cache.synchronous().estimatedSize();
    }

    /** Runs pending maintenance (evictions, expiry) now; tests call it before reading sizes. */
    public void cleanUp() {
        cache.synchronous().cleanUp();
    }

    /** Counts since the cache was built. */
    public CacheStats stats() {
        com.github.benmanes.caffeine.cache.stats.CacheStats s = cache.synchronous().stats();
        return new CacheStats(name, s.hitCount(), s.missCount(), sharedHits.sum(), s.loadSuccessCount(),
                s.loadFailureCount(), Duration.ofNanos(s.totalLoadTime()), s.evictionCount(), estimatedSize());
    }

    @Override
    public String toString() {
        return "LouieCache[" + name + "]";
    }

    // ---- lookups --------------------------------------------------------------------------------

    /** The value for {@code key}: local tier, else shared tier, else {@code compute} on this thread; throws what compute throws. */
    Object lookup(K key, Compute<? super K> compute) throws Throwable {
        Objects.requireNonNull(key, "key");
        Claim claim = new Claim();
        CompletableFuture<Entry> f = cache.get(key, (k, executor) -> claim.future = new CompletableFuture<>());
        Entry e;
        if (f == claim.future) {
            try {
                e = load(key, compute, true, cacheErrors);
            } catch (Throwable t) {
                f.completeExceptionally(new Failed(t));
                throw t;
            }
            f.complete(e); // null (a null value that is not cached) removes the entry
        } else {
            try {
                e = f.get();
            } catch (Failed ex) {
                throw ex.getCause();
            } catch (ExecutionException ex) {
                throw ex.getCause();
            }
        }
        if (e == null) {
            return null;
        }
        if (e.error != null) {
            throw e.error;
        }
        return e.value;
    }

    /**
     * A compute's exception as handed to the callers waiting for it. A {@link CancellationException}
     * because Caffeine then counts the load failure and removes the entry without logging a stack
     * trace of its own: the task's failure is reported by the worker already.
     */
    private static final class Failed extends CancellationException {
        private static final long serialVersionUID = 1L;

        Failed(Throwable cause) {
            super("the compute failed: " + cause);
            initCause(cause);
        }
    }

    /** The future this caller put in the cache, when it is the one to compute. */
    private static final class Claim {
        CompletableFuture<Entry> future;
    }

    private Entry loadUnchecked(K key, Compute<? super K> compute, boolean readShared, boolean keepErrors) {
        try {
            return load(key, compute, readShared, keepErrors);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new CompletionException(t);
        }
    }

    private Entry load(K key, Compute<? super K> compute, boolean readShared, boolean keepErrors) throws Throwable {
        if (shared != null && readShared) {
            try {
                Optional<SharedTier.Entry> hit = shared.get(sharedKeyOf(key));
                if (hit.isPresent()) {
                    Object value = Keys.JSON.readValue(hit.get().value(), sharedType);
                    sharedHits.increment();
                    Duration ttl = hit.get().ttl();
                    return new Entry(value, null, ttl == null ? -1 : Math.max(1, ttl.toNanos()));
                }
            } catch (Exception ex) {
                log.warn("cache {}: shared tier read of {} failed, computing instead: {}", name, key, ex.toString());
            }
        }
        Object value;
        try {
            value = compute.apply(key);
        } catch (Throwable t) {
            if (keepErrors && t instanceof Exception && !(t instanceof InterruptedException)) {
                return new Entry(null, t, -1);
            }
            throw t;
        }
        if (value == null && !cacheNulls) {
            return null;
        }
        writeShared(key, value);
        return new Entry(value, null, -1);
    }

    private void writeShared(K key, Object value) {
        if (shared == null) {
            return;
        }
        try {
            shared.put(sharedKeyOf(key), Keys.JSON.writeValueAsBytes(value), sharedTtl);
        } catch (Exception ex) {
            log.warn("cache {}: shared tier write of {} failed; the value stays local: {}", name, key, ex.toString());
        }
    }

    private String sharedKeyOf(K key) {
        return sharedPrefix + Keys.hash(sharedKey.apply(key));
    }

    /**
     * Expiry per entry: after write and/or after access, and a shared-tier hit lives no longer than
     * the TTL it had left in Redis.
     */
    private static final class EntryExpiry<K> implements Expiry<K, Entry> {
        private final long afterWrite;
        private final long afterAccess;

        EntryExpiry(long afterWrite, long afterAccess) {
            this.afterWrite = afterWrite;
            this.afterAccess = afterAccess;
        }

        @Override
        public long expireAfterCreate(K key, Entry e, long now) {
            long write = e.ttlNanos >= 0 ? Math.min(afterWrite, e.ttlNanos) : afterWrite;
            e.writeDeadline = write == FOREVER ? FOREVER : saturatedAdd(now, write);
            return Math.min(write, afterAccess);
        }

        @Override
        public long expireAfterUpdate(K key, Entry e, long now, long currentDuration) {
            return expireAfterCreate(key, e, now);
        }

        @Override
        public long expireAfterRead(K key, Entry e, long now, long currentDuration) {
            if (afterAccess == FOREVER) {
                return currentDuration;
            }
            long deadline = e.writeDeadline;
            return deadline == FOREVER ? afterAccess : Math.max(0, Math.min(afterAccess, deadline - now));
        }

        private static long saturatedAdd(long a, long b) {
            long r = a + b;
            return ((a ^ r) & (b ^ r)) < 0 ? FOREVER : r;
        }
    }

    /**
     * Configures a {@link LouieCache}; {@link #build()} checks the settings together and fails with
     * an {@link IllegalArgumentException} saying what to change.
     *
     * @param <K> key type
     * @param <V> value type
     */
    public static final class Builder<K, V> {
        private final String name;
        private long maxSize = Cached.NOT_SET;
        private long maxWeight = Cached.NOT_SET;
        private Weigher<? super K, ? super V> weigher;
        private Duration expireAfterWrite;
        private Duration expireAfterAccess;
        private Duration refreshAfterWrite;
        private boolean cacheNulls = true;
        private boolean cacheErrors;
        private Compute<? super K> loader;
        private SharedTier shared;
        private Type sharedValueType;
        private JavaType sharedType;
        private Function<? super K, String> sharedKey;
        private Ticker ticker;
        private Executor executor;

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a cache name must not be blank");
            }
            this.name = name;
        }

        /** Most entries kept; default {@value Cached#DEFAULT_MAX_SIZE} when no weight limit is given either. */
        public Builder<K, V> maxSize(long entries) {
            this.maxSize = entries;
            return this;
        }

        /** Most total weight kept, each entry weighing what {@code weigher} says (e.g. bytes). Not with {@link #maxSize}. */
        public Builder<K, V> maxWeight(long weight, Weigher<? super K, ? super V> weigher) {
            this.maxWeight = weight;
            this.weigher = Objects.requireNonNull(weigher, "weigher");
            return this;
        }

        /** An entry expires this long after it was written. */
        public Builder<K, V> expireAfterWrite(Duration ttl) {
            this.expireAfterWrite = Objects.requireNonNull(ttl, "expireAfterWrite");
            return this;
        }

        /** An entry expires this long after it was last read or written. */
        public Builder<K, V> expireAfterAccess(Duration ttl) {
            this.expireAfterAccess = Objects.requireNonNull(ttl, "expireAfterAccess");
            return this;
        }

        /** An entry older than this is returned as is and reloaded in the background with the {@link #loader}. */
        public Builder<K, V> refreshAfterWrite(Duration age) {
            this.refreshAfterWrite = Objects.requireNonNull(age, "refreshAfterWrite");
            return this;
        }

        /** Whether a {@code null} value is cached (default) or computed again on the next call. */
        public Builder<K, V> cacheNulls(boolean value) {
            this.cacheNulls = value;
            return this;
        }

        /** Whether an exception is cached and thrown again to later callers. Default: false. */
        public Builder<K, V> cacheErrors(boolean value) {
            this.cacheErrors = value;
            return this;
        }

        /** Computes a value from its key alone: used by {@link LouieCache#get(Object)} and by refreshes. */
        public Builder<K, V> loader(Function<? super K, ? extends V> value) {
            Objects.requireNonNull(value, "loader");
            this.loader = value::apply;
            return this;
        }

        Builder<K, V> loader(Compute<? super K> value) {
            this.loader = value;
            return this;
        }

        /**
         * Adds a shared tier: a local miss looks there before computing; a compute writes both. Values
         * travel as JSON and are read back as {@code valueType}. Needs expireAfterWrite or
         * expireAfterAccess: the entry's TTL in the shared tier.
         */
        public Builder<K, V> shared(SharedTier tier, Type valueType) {
            this.shared = Objects.requireNonNull(tier, "tier");
            this.sharedValueType = Objects.requireNonNull(valueType, "valueType");
            return this;
        }

        /** How a key is written in the shared tier (then hashed); default its canonical JSON. Must be equal in every JVM. */
        public Builder<K, V> sharedKey(Function<? super K, String> value) {
            this.sharedKey = Objects.requireNonNull(value, "sharedKey");
            return this;
        }

        /** Time source for expiry and refresh (tests inject a fake one). Default: {@link Ticker#systemTicker()}. */
        public Builder<K, V> ticker(Ticker value) {
            this.ticker = Objects.requireNonNull(value, "ticker");
            return this;
        }

        /** Where refreshes and maintenance run. Default: {@code ForkJoinPool.commonPool()}; tests use {@code Runnable::run}. */
        public Builder<K, V> executor(Executor value) {
            this.executor = Objects.requireNonNull(value, "executor");
            return this;
        }

        /**
         * Builds the cache.
         *
         * @throws IllegalArgumentException when settings are invalid or do not fit together
         */
        public LouieCache<K, V> build() {
            if (maxSize != Cached.NOT_SET && maxSize < 0) {
                throw new IllegalArgumentException("maxSize must be 0 or more, not " + maxSize);
            }
            if (maxWeight != Cached.NOT_SET && maxWeight < 0) {
                throw new IllegalArgumentException("maxWeight must be 0 or more, not " + maxWeight);
            }
            if (maxSize != Cached.NOT_SET && maxWeight != Cached.NOT_SET) {
                throw new IllegalArgumentException("give maxSize (entries) or maxWeight (bytes), not both");
            }
            positive("expireAfterWrite", expireAfterWrite);
            positive("expireAfterAccess", expireAfterAccess);
            positive("refreshAfterWrite", refreshAfterWrite);
            if (refreshAfterWrite != null && expireAfterWrite != null && refreshAfterWrite.compareTo(expireAfterWrite) >= 0) {
                throw new IllegalArgumentException("refreshAfterWrite (" + refreshAfterWrite + ") must be shorter than expireAfterWrite ("
                        + expireAfterWrite + "): entries would expire before they are refreshed");
            }
            if (refreshAfterWrite != null && loader == null) {
                throw new IllegalArgumentException("refreshAfterWrite needs a loader to recompute a value from its key");
            }
            if (shared != null) {
                if (expireAfterWrite == null && expireAfterAccess == null) {
                    throw new IllegalArgumentException("a shared cache needs expireAfterWrite or expireAfterAccess: "
                            + "it is the entry's TTL in the shared tier, which would otherwise keep entries forever");
                }
                sharedType = Keys.JSON.getTypeFactory().constructType(sharedValueType);
                if (!Keys.JSON.canDeserialize(sharedType)) {
                    throw new IllegalArgumentException("a shared cache stores values as JSON, and Jackson cannot read "
                            + sharedType + " back; use a record or a class with a public constructor");
                }
            }
            long size = maxSize == Cached.NOT_SET && maxWeight == Cached.NOT_SET ? Cached.DEFAULT_MAX_SIZE : maxSize;
            return new LouieCache<>(this, size, maxWeight == Cached.NOT_SET ? -1 : maxWeight);
        }

        private static void positive(String option, Duration d) {
            if (d != null && (d.isNegative() || d.isZero())) {
                throw new IllegalArgumentException(option + " must be positive, not " + d);
            }
        }
    }
}
