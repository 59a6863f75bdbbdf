package dev.louie.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.louie.core.Louie;
import dev.louie.redis.RedisServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Health on a real Redis: UP with the queues' counts, DOWN when the server stops and UP again when it is back. An IT: a health
 * check against a stopped server waits for Redis's command timeout (10 s).
 */
@SpringBootTest(classes = TaskApp.class, properties = {"louie.name=spring-redis-outage", "louie.consumer.workers=1",
        "louie.consumer.grace-period=2s"})
class RedisOutageHealthIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) {
        registry.add("louie.storage", REDIS::uri);
    }

    @Autowired
    Louie louie;
    @Autowired
    @Qualifier("louieHealthIndicator")
    HealthIndicator health;

    @Test
    void healthIsDownOnceRedisStops() throws Exception {
        Health up = health.health();
        assertThat(up.getStatus()).isEqualTo(Status.UP);
        assertThat(up.getDetails().get("storage")).asString().contains("Redis");
        assertThat(SqliteHealthTest.map(up.getDetails().get("queues"))).containsKeys("default", "slow");
        assertThat(SqliteHealthTest.map(up.getDetails().get("consumer"))).containsEntry("state", "running");

        assumeFalse(REDIS.isExternal(), "the shared server of REDIS_URL is not stopped");
        REDIS.stop();
        try {
            await().atMost(WAIT).untilAsserted(() -> assertThat(health.health().getStatus()).isEqualTo(Status.DOWN));
            Health h = health.health();
            assertThat(h.getDetails()).containsKey("error");
            assertThat(h.getDetails().get("storage")).asString().contains("Redis");
        } finally {
            REDIS.start();
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(health.health().getStatus()).isEqualTo(Status.UP));
        assertThat(louie.enqueue(Greetings::greet, "again").get(WAIT)).as("the consumer works again").isEqualTo("hello again");
    }
}
