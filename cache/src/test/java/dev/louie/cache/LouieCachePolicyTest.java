package dev.louie.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every policy against an injected ticker and a same-thread executor: no sleeps, deterministic maintenance. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LouieCachePolicyTest {
    final FakeTicker ticker = new FakeTicker();
    final AtomicInteger computes = new AtomicInteger();

    LouieCache.Builder<String, String> builder() {
        return LouieCache.<String, String>builder("test").ticker(ticker).executor(Runnable::run);
    }

    String compute(String k) {
        computes.incrementAndGet();
        return "v-" + k + "-" + computes.get();
    }

    @Test
    void computesOncePerKeyAndCountsHitsAndMisses() {
        LouieCache<String, String> c = builder().build();
        assertThat(c.get("a", this::compute)).isEqualTo("v-a-1");
        assertThat(c.get("a", this::compute)).isEqualTo("v-a-1");
        assertThat(c.get("b", this::compute)).isEqualTo("v-b-2");
        CacheStats s = c.stats();
        assertThat(s.hits()).isEqualTo(1);
        assertThat(s.misses()).isEqualTo(2);
        assertThat(s.loads()).isEqualTo(2);
        assertThat(s.hitRate()).isEqualTo(1.0 / 3);
        assertThat(s.totalLoadTime()).isPositive();
        assertThat(s.toString()).contains("hits=1", "misses=2");
    }

    @Test
    void maxSizeEvictsAndCountsEvictions() {
        LouieCache<String, String> c = builder().maxSize(10).build();
        for (int i = 0; i < 100; i++) {
            c.get("k" + i, this::compute);
        }
        c.cleanUp();
        assertThat(c.estimatedSize()).isEqualTo(10);
        assertThat(c.stats().evictions()).isEqualTo(90);
    }

    @Test
    void maxWeightBoundsTheSumOfWeights() {
        LouieCache<String, String> c = builder().maxWeight(100, (k, v) -> v.length()).build();
        for (int i = 0; i < 50; i++) {
            c.get("k" + i, k -> "x".repeat(10));
        }
        c.cleanUp();
        assertThat(c.estimatedSize()).isEqualTo(10);
        assertThat(c.stats().evictions()).isEqualTo(40);
    }

    @Test
    void expireAfterWrite() {
        LouieCache<String, String> c = builder().expireAfterWrite(Duration.ofMinutes(10)).build();
        c.get("a", this::compute);
        ticker.advance(Duration.ofMinutes(9));
        assertThat(c.get("a", this::compute)).isEqualTo("v-a-1"); // reading does not extend it
        ticker.advance(Duration.ofMinutes(1));
        assertThat(c.get("a", this::compute)).isEqualTo("v-a-2");
        assertThat(computes).hasValue(2);
    }

    @Test
    void expireAfterAccess() {
        LouieCache<String, String> c = builder().expireAfterAccess(Duration.ofMinutes(10)).build();
        c.get("a", this::compute);
        for (int i = 0; i < 5; i++) {
            ticker.advance(Duration.ofMinutes(9));
            assertThat(c.get("a", this::compute)).isEqualTo("v-a-1"); // each read extends it
        }
        ticker.advance(Duration.ofMinutes(10));
        assertThat(c.get("a", this::compute)).isEqualTo("v-a-2");
    }

    @Test
    void accessExpiryNeverOutlivesWriteExpiry() {
        LouieCache<String, String> c = builder().expireAfterWrite(Duration.ofMinutes(30))
                .expireAfterAccess(Duration.ofMinutes(10)).build();
        c.get("a", this::compute);
        for (int i = 0; i < 3; i++) {
            ticker.advance(Duration.ofMinutes(9));
            assertThat(c.get("a", this::compute)).isEqualTo("v-a-1");
        }
        ticker.advance(Duration.ofMinutes(4)); // 31 min after the write, 4 after the last read
        assertThat(c.get("a", this::compute)).isEqualTo("v-a-2");
    }

    @Test
    void refreshAfterWriteServesTheOldValueThenTheReloadedOne() {
        java.util.Queue<Runnable> background = new java.util.ArrayDeque<>();
        LouieCache<String, String> c = LouieCache.<String, String>builder("test").ticker(ticker).executor(background::add)
                .loader(this::compute).refreshAfterWrite(Duration.ofMinutes(1)).expireAfterWrite(Duration.ofMinutes(10)).build();
        assertThat(c.get("a")).isEqualTo("v-a-1");
        ticker.advance(Duration.ofMinutes(2));
        assertThat(c.get("a")).isEqualTo("v-a-1");   // stale: returned at once, the reload is queued
        assertThat(computes).hasValue(1);
        while (!background.isEmpty()) {
            background.poll().run();
        }
        assertThat(c.get("a")).isEqualTo("v-a-2");
        assertThat(computes).hasValue(2);
    }

    @Test
    void exceptionsAreNotCachedByDefault() {
        LouieCache<String, String> c = builder().build();
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> c.get("a", k -> {
                calls.incrementAndGet();
                throw new IllegalStateException("down");
            })).isInstanceOf(IllegalStateException.class).hasMessage("down");
        }
        assertThat(calls).hasValue(3);
        assertThat(c.stats().loadFailures()).isEqualTo(3);
        assertThat(c.get("a", this::compute)).isEqualTo("v-a-1");
    }

    @Test
    void exceptionsAreCachedWhenAsked() throws Throwable {
        LouieCache<String, String> c = builder().cacheErrors(true).expireAfterWrite(Duration.ofSeconds(30)).build();
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> c.lookup("a", k -> {
                calls.incrementAndGet();
                throw new IOException("not found");
            })).isInstanceOf(IOException.class);
        }
        assertThat(calls).hasValue(1);
        assertThatThrownBy(() -> c.get("a", this::compute)).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IOException.class);
        ticker.advance(Duration.ofSeconds(30));
        assertThat(c.get("a", this::compute)).isEqualTo("v-a-1");
    }

    @Test
    void nullsAreCachedUnlessTurnedOff() {
        AtomicInteger calls = new AtomicInteger();
        LouieCache<String, String> on = builder().build();
        LouieCache<String, String> off = builder().cacheNulls(false).build();
        for (int i = 0; i < 3; i++) {
            assertThat(on.get("a", k -> { calls.incrementAndGet(); return null; })).isNull();
        }
        assertThat(calls).hasValue(1);
        for (int i = 0; i < 3; i++) {
            assertThat(off.get("a", k -> { calls.incrementAndGet(); return null; })).isNull();
        }
        assertThat(calls).hasValue(4);
    }

    @Test
    void putAndInvalidate() {
        LouieCache<String, String> c = builder().build();
        c.put("a", "given");
        assertThat(c.get("a", this::compute)).isEqualTo("given");
        c.invalidate("a");
        assertThat(c.getIfPresent("a")).isNull();
        c.get("a", this::compute);
        c.get("b", this::compute);
        c.invalidateAll();
        c.cleanUp();
        assertThat(c.estimatedSize()).isZero();
    }

    @Test
    void invalidSettingsFailAtBuildWithTheReason() {
        assertThatThrownBy(() -> builder().maxSize(-5).build()).hasMessageContaining("maxSize must be 0 or more, not -5");
        assertThatThrownBy(() -> builder().maxSize(5).maxWeight(10, (k, v) -> 1).build()).hasMessageContaining("not both");
        assertThatThrownBy(() -> builder().expireAfterWrite(Duration.ZERO).build()).hasMessageContaining("expireAfterWrite must be positive");
        assertThatThrownBy(() -> builder().loader(this::compute).refreshAfterWrite(Duration.ofMinutes(5))
                .expireAfterWrite(Duration.ofMinutes(5)).build()).hasMessageContaining("must be shorter than expireAfterWrite");
        assertThatThrownBy(() -> builder().refreshAfterWrite(Duration.ofMinutes(5)).build()).hasMessageContaining("needs a loader");
        assertThatThrownBy(() -> builder().build().get("a")).isInstanceOf(IllegalStateException.class);
    }
}
