package dev.louie.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.Lease;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lease times on the server's clock ({@code TIME} inside the scripts) on Redis 6.2, the oldest
 * supported server: the conformance suite runs on an injected clock and does not reach that path.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EmbeddedRedis62ServerTimeTest {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.embedded();

    @Test
    void leasesRunOnTheServersClock() {
        try (RedisStorage storage = RedisStorage.builder(REDIS.uri()).namespace("server-time").build()) {
            storage.flush();
            for (String id : List.of("a", "b")) {
                storage.enqueue("q", Envelope.of(id, 0, id.getBytes(StandardCharsets.UTF_8)));
            }
            long before = System.currentTimeMillis();
            Lease a = storage.dequeue("q", 1, Duration.ofSeconds(30)).get(0);
            assertThat(a.deadline().toEpochMilli()).isBetween(before + 29_000, System.currentTimeMillis() + 31_000);
            Lease extended = storage.extend(a, Duration.ofSeconds(60)).orElseThrow();
            assertThat(extended.deadline()).isAfter(a.deadline());
            assertThat(storage.complete(extended, "a", "done".getBytes(StandardCharsets.UTF_8), null)).isTrue();

            Lease b = storage.dequeue("q", 1, Duration.ofMillis(300)).get(0);
            List<Lease> again = await().atMost(Duration.ofSeconds(5))
                    .until(() -> storage.dequeue("q", 1, Duration.ofSeconds(30)), l -> !l.isEmpty());
            assertThat(again.get(0).id()).isEqualTo("b");
            assertThat(again.get(0).deliveries()).isEqualTo(2);
            assertThat(storage.ack(b)).as("expired on the server's clock").isFalse();
            assertThat(storage.ack(again.get(0))).isTrue();

            storage.enqueue("q", Envelope.of("c", 0, new byte[0]));
            Lease c = storage.dequeue("q", 1, Duration.ofSeconds(30)).get(0);
            assertThat(storage.deadLetter(c, "bad")).isTrue();
            assertThat(storage.deadLetters("q", 10)).extracting(d -> d.reason()).containsExactly("bad");
        }
    }
}
