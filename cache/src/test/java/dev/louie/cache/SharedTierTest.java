package dev.louie.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.louie.core.Louie;
import dev.louie.core.Task;
import dev.louie.redis.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redis-shared tier against a real Redis: two "consumers" with their own local tiers reuse each other's results. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedTierTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    static final Duration WAIT = Duration.ofSeconds(10);

    /** A shared cached task. */
    public static class Tasks {
        final AtomicInteger calls = new AtomicInteger();

        @Task
        @Cached(expireAfterWrite = "1h", maxSize = 1000, shared = true)
        public Score score(String name) {
            calls.incrementAndGet();
            return new Score(name, name.length() * 10);
        }
    }

    /** A value that travels through Redis as JSON. */
    public record Score(String name, int points) {
    }

    final String app = "t" + UUID.randomUUID().toString().substring(0, 8);
    RedisSharedTier tierA;
    RedisSharedTier tierB;
    RedisClient raw;
    StatefulRedisConnection<String, String> rawConnection;

    @BeforeEach
    void connect() {
        tierA = RedisSharedTier.builder(REDIS.uri()).namespace(app).build();
        tierB = RedisSharedTier.builder(REDIS.uri()).namespace(app).build();
        raw = RedisClient.create(REDIS.uri());
        rawConnection = raw.connect();
    }

    @AfterEach
    void close() {
        tierA.close();
        tierB.close();
        rawConnection.close();
        raw.shutdown();
    }

    @Test
    void aSecondConsumerReusesTheFirstOnesResultWithItsTtl() {
        Tasks a = new Tasks();
        Tasks b = new Tasks();
        FakeTicker ticker = new FakeTicker();
        TaskCaches cachesA = TaskCaches.builder().sharedTier(tierA).ticker(ticker).executor(Runnable::run).build();
        TaskCaches cachesB = TaskCaches.builder().sharedTier(tierB).ticker(ticker).executor(Runnable::run).build();
        try (Louie la = Louie.builder("a").immediate(true).interceptor(cachesA).register(a).build();
             Louie lb = Louie.builder("b").immediate(true).interceptor(cachesB).register(b).build()) {
            assertThat(la.enqueue(Tasks::score, "alice").get(WAIT)).isEqualTo(new Score("alice", 50));
            assertThat(lb.enqueue(Tasks::score, "alice").get(WAIT)).isEqualTo(new Score("alice", 50));
            assertThat(a.calls).hasValue(1);
            assertThat(b.calls).hasValue(0);
            assertThat(cachesB.stats("Tasks.score").sharedHits()).isEqualTo(1);

            var keys = rawConnection.sync().keys("louie:" + app + ":cache:Tasks.score:*");
            assertThat(keys).hasSize(1);
            long ttl = rawConnection.sync().pttl(keys.get(0));
            assertThat(ttl).isBetween(Duration.ofMinutes(59).toMillis(), Duration.ofHours(1).toMillis());

            // the local copy in B lives no longer than what the Redis entry had left
            rawConnection.sync().pexpire(keys.get(0), 1000);
            cachesB.invalidate("Tasks.score");   // also deletes in Redis: B and A compute again
            lb.enqueue(Tasks::score, "alice").get(WAIT);
            assertThat(b.calls).hasValue(1);
            assertThat(rawConnection.sync().keys("louie:" + app + ":cache:Tasks.score:*")).hasSize(1);
        }
    }

    @Test
    void aSharedHitExpiresLocallyWhenItsRedisTtlRunsOut() {
        Tasks a = new Tasks();
        Tasks b = new Tasks();
        FakeTicker ticker = new FakeTicker();
        TaskCaches cachesA = TaskCaches.builder().sharedTier(tierA).executor(Runnable::run).build();
        TaskCaches cachesB = TaskCaches.builder().sharedTier(tierB).ticker(ticker).executor(Runnable::run).build();
        try (Louie la = Louie.builder("a").immediate(true).interceptor(cachesA).register(a).build();
             Louie lb = Louie.builder("b").immediate(true).interceptor(cachesB).register(b).build()) {
            la.enqueue(Tasks::score, "bob").get(WAIT);
            String key = rawConnection.sync().keys("louie:" + app + ":cache:Tasks.score:*").get(0);
            rawConnection.sync().pexpire(key, 60_000);   // one minute left in Redis
            lb.enqueue(Tasks::score, "bob").get(WAIT);
            assertThat(b.calls).hasValue(0);
            ticker.advance(Duration.ofSeconds(59));
            lb.enqueue(Tasks::score, "bob").get(WAIT);
            assertThat(cachesB.stats("Tasks.score").hits()).isEqualTo(1);
            ticker.advance(Duration.ofSeconds(2));     // past the Redis TTL, though far from the 1 h policy
            rawConnection.sync().del(key);            // Redis has expired it by now, too
            lb.enqueue(Tasks::score, "bob").get(WAIT);
            assertThat(b.calls).hasValue(1);
        }
    }

    @Test
    void programmaticCacheWithTheSharedTierAndRedisDownFallsBackToComputing() {
        LouieCache<String, Score> c = LouieCache.<String, Score>builder("scores")
                .expireAfterWrite(Duration.ofMinutes(5)).shared(tierA, Score.class).build();
        assertThat(c.get("x", k -> new Score(k, 1))).isEqualTo(new Score("x", 1));
        LouieCache<String, Score> other = LouieCache.<String, Score>builder("scores")
                .expireAfterWrite(Duration.ofMinutes(5)).shared(tierB, Score.class).build();
        assertThat(other.get("x", k -> new Score(k, 2))).isEqualTo(new Score("x", 1));
        c.invalidateAll();
        assertThat(rawConnection.sync().keys("louie:" + app + ":cache:scores:*")).isEmpty();

        RedisSharedTier dead = RedisSharedTier.builder(REDIS.uri()).namespace(app).commandTimeout(Duration.ofMillis(500)).build();
        dead.close();   // every command now fails: the cache logs and computes
        LouieCache<String, Score> offline = LouieCache.<String, Score>builder("scores")
                .expireAfterWrite(Duration.ofMinutes(5)).shared(dead, Score.class).build();
        assertThat(offline.get("y", k -> new Score(k, 3))).isEqualTo(new Score("y", 3));
        assertThat(offline.get("y", k -> new Score(k, 4))).isEqualTo(new Score("y", 3));
    }

    @Test
    void defaultTiersTakeTheApplicationNameSoConsumersOfOneAppShareAndOtherAppsDoNot() {
        String shopName = "shop" + app;
        String geoName = "geo" + app;
        Tasks shop1 = new Tasks();
        Tasks shop2 = new Tasks();
        Tasks geo = new Tasks();
        try (RedisSharedTier t1 = RedisSharedTier.create(REDIS.uri());
             RedisSharedTier t2 = RedisSharedTier.create(REDIS.uri());
             RedisSharedTier t3 = RedisSharedTier.create(REDIS.uri());
             Louie l1 = Louie.builder(shopName).immediate(true).register(shop1)
                     .interceptor(TaskCaches.builder().sharedTier(t1).executor(Runnable::run).build()).build();
             Louie l2 = Louie.builder(shopName).immediate(true).register(shop2)
                     .interceptor(TaskCaches.builder().sharedTier(t2).executor(Runnable::run).build()).build();
             Louie l3 = Louie.builder(geoName).immediate(true).register(geo)
                     .interceptor(TaskCaches.builder().sharedTier(t3).executor(Runnable::run).build()).build()) {
            l1.enqueue(Tasks::score, "carol").get(WAIT);
            l2.enqueue(Tasks::score, "carol").get(WAIT);
            l3.enqueue(Tasks::score, "carol").get(WAIT);
            assertThat(shop1.calls).hasValue(1);
            assertThat(shop2.calls).as("the same application reuses the entry").hasValue(0);
            assertThat(geo.calls).as("another application computes its own").hasValue(1);
            assertThat(rawConnection.sync().keys("louie:" + shopName + ":cache:Tasks.score:*")).hasSize(1);
            assertThat(rawConnection.sync().keys("louie:" + geoName + ":cache:Tasks.score:*")).hasSize(1);
            assertThat(t1.toString()).contains("louie:" + shopName + ":cache:");
        }
    }

    @Test
    void aTierWithoutNamespaceUsedOutsideTaskCachesSaysWhatToDo() {
        try (RedisSharedTier tier = RedisSharedTier.create(REDIS.uri())) {
            assertThatThrownBy(() -> tier.get("k")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no namespace").hasMessageContaining("namespace(name)");
        }
    }

    @Test
    void oneTierCannotServeTwoApplications() {
        try (RedisSharedTier tier = RedisSharedTier.create(REDIS.uri());
             Louie first = Louie.builder("first").immediate(true).register(new Tasks())
                     .interceptor(TaskCaches.builder().sharedTier(tier).build()).build()) {
            assertThat(first.name()).isEqualTo("first");
            assertThatThrownBy(() -> Louie.builder("second").immediate(true).register(new Tasks())
                    .interceptor(TaskCaches.builder().sharedTier(tier).build()).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'first'").hasMessageContaining("'second'");
        }
    }
}
