package dev.louie.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Limits on the server's clock ({@code TIME} inside the scripts, then writes) on Redis 6.2, the
 * oldest supported server: the conformance suite runs on an injected clock and does not reach that path.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EmbeddedRedis62LimitsServerTimeTest {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.embedded();

    @Test
    void ratesAndSlotsRunOnTheServersClock() {
        try (RedisStorage storage = RedisStorage.builder(REDIS.uri()).namespace("limit-time").build()) {
            storage.flush();
            assertThat(storage.admitRate("r", Duration.ofMinutes(1), 2)).isZero();
            assertThat(storage.admitRate("r", Duration.ofMinutes(1), 2)).isZero();
            assertThat(storage.admitRate("r", Duration.ofMinutes(1), 2)).isBetween(25_000L, 30_000L);

            assertThat(storage.acquireSlot("s", 1, "a", Duration.ofMillis(300))).isTrue();
            assertThat(storage.acquireSlot("s", 1, "b", Duration.ofSeconds(30))).isFalse();
            await().atMost(Duration.ofSeconds(5)).until(() -> storage.acquireSlot("s", 1, "b", Duration.ofSeconds(30)));
            assertThat(storage.extendSlot("s", "a", Duration.ofSeconds(30))).isFalse();
            assertThat(storage.extendSlot("s", "b", Duration.ofSeconds(30))).isTrue();
            assertThat(storage.releaseSlot("s", "b")).isTrue();
        }
    }
}
