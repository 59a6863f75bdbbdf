package dev.louie.micrometer;

import com.github.benmanes.caffeine.cache.Cache;
import dev.louie.cache.CacheStats;
import dev.louie.cache.LouieCache;
import dev.louie.cache.TaskCaches;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Micrometer's standard Caffeine meters ({@code cache.gets} with result = hit / miss,
 * {@code cache.puts}, {@code cache.evictions}, {@code cache.size}, {@code cache.load} …, tagged
 * {@code cache} with the cache's name) for {@link LouieCache}s: one, or every cache of a
 * {@link TaskCaches} (one per {@code @Cached} task, named after the task).
 */
public final class CacheMetrics implements MeterBinder {
    private final List<LouieCache<?, ?>> caches;

    private CacheMetrics(List<LouieCache<?, ?>> caches) {
        this.caches = List.copyOf(caches);
    }

    /** Meters of one cache, not yet bound. */
    public static CacheMetrics of(LouieCache<?, ?> cache) {
        return new CacheMetrics(List.of(Objects.requireNonNull(cache, "cache")));
    }

    /** Meters of every cache of {@code caches} (those of the tasks registered so far), not yet bound. */
    public static CacheMetrics of(TaskCaches caches) {
        Objects.requireNonNull(caches, "caches");
        List<LouieCache<?, ?>> all = new ArrayList<>();
        for (CacheStats s : caches.stats()) {
            all.add(caches.cache(s.name()));
        }
        return new CacheMetrics(all);
    }

    /** Binds the meters of one cache to {@code registry}. */
    public static CacheMetrics bind(LouieCache<?, ?> cache, MeterRegistry registry) {
        CacheMetrics metrics = of(cache);
        metrics.bindTo(registry);
        return metrics;
    }

    /** Binds the meters of every cache of {@code caches} to {@code registry}. */
    public static CacheMetrics bind(TaskCaches caches, MeterRegistry registry) {
        CacheMetrics metrics = of(caches);
        metrics.bindTo(registry);
        return metrics;
    }

    /** Registers Micrometer's Caffeine meters of each cache. */
    @Override
    public void bindTo(MeterRegistry registry) {
        for (LouieCache<?, ?> cache : caches) {
            binder(cache.caffeine(), cache.name()).bindTo(registry);
        }
    }

    private static <K, V> CaffeineCacheMetrics<K, V, Cache<K, V>> binder(Cache<K, V> cache, String name) {
        return new CaffeineCacheMetrics<>(cache, name, Tags.empty());
    }

    /** The names of the caches these meters cover. */
    public List<String> caches() {
        return caches.stream().map(LouieCache::name).toList();
    }

    @Override
    public String toString() {
        return "CacheMetrics" + caches();
    }
}
