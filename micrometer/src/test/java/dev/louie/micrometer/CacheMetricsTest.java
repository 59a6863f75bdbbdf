package dev.louie.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.cache.Cached;
import dev.louie.cache.LouieCache;
import dev.louie.cache.TaskCaches;
import dev.louie.core.InlineConsumer;
import dev.louie.core.Louie;
import dev.louie.core.Task;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Caffeine's standard cache meters over a LouieCache and over the caches of @Cached tasks. */
class CacheMetricsTest {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** A cached task. */
    public static class Prices {
        @Task(name = "price")
        @Cached(maxSize = 100)
        public int price(String sku) {
            return sku.length();
        }
    }

    @Test
    void hitsMissesAndSizeOfOneCache() {
        LouieCache<String, Integer> cache = LouieCache.<String, Integer>builder("lengths").maxSize(10).build();
        CacheMetrics.bind(cache, registry);
        cache.get("a", String::length);
        cache.get("a", String::length);
        cache.get("bb", String::length);
        assertThat(registry.get("cache.gets").tags("cache", "lengths", "result", "hit").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("cache.gets").tags("cache", "lengths", "result", "miss").functionCounter().count()).isEqualTo(2);
        assertThat(registry.scrape()).contains("cache_size{cache=\"lengths\"} 2");
    }

    @Test
    void everyCachedTaskHasItsCacheMeters() {
        TaskCaches caches = TaskCaches.create();
        try (Louie louie = Louie.builder("cached").register(new Prices()).interceptor(caches).build()) {
            CacheMetrics metrics = CacheMetrics.bind(caches, registry);
            assertThat(metrics.caches()).containsExactly("price");
            InlineConsumer consumer = louie.consumer().periodic(false).inline();
            louie.enqueue(Prices::price, "abc");
            louie.enqueue(Prices::price, "abc");
            assertThat(consumer.runUntilIdle()).isEqualTo(2);
            assertThat(registry.get("cache.gets").tags("cache", "price", "result", "hit").functionCounter().count()).isEqualTo(1);
            assertThat(registry.scrape()).contains("cache_gets_total{cache=\"price\",result=\"miss\"} 1");
        }
        caches.close();
    }
}
