package dev.louie.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.core.Louie;
import dev.louie.redis.RedisServerExtension;
import dev.louie.redis.RedisStorage;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The starter on a real Redis server: {@code louie.storage=redis://…}, tasks of beans, health while the server runs. */
@SpringBootTest(classes = TaskApp.class, properties = {"louie.name=spring-redis-test", "louie.consumer.workers=2",
        "louie.consumer.grace-period=2s"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisStarterTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) {
        registry.add("louie.storage", REDIS::uri);
    }

    @Autowired
    Louie louie;
    @Autowired
    Squares squares;
    @Autowired
    @Qualifier("louieHealthIndicator")
    HealthIndicator health;

    @Test
    @Order(1)
    void tasksOfBeansRunAndTheirResultsComeBack() {
        assertThat(louie.storage()).isInstanceOf(RedisStorage.class);
        assertThat(louie.enqueue(Greetings::greet, "redis").get(WAIT)).isEqualTo("hello redis");
        int before = squares.computed();
        assertThat(louie.enqueue(Squares::square, 7).get(WAIT)).isEqualTo(49);
        assertThat(louie.enqueue(Squares::square, 7).get(WAIT)).isEqualTo(49);
        assertThat(squares.computed() - before).isEqualTo(1);
    }

    @Test
    @Order(2)
    void healthIsUpWhileRedisAnswers() {
        Health h = health.health();
        assertThat(h.getStatus()).isEqualTo(Status.UP);
        assertThat(h.getDetails().get("storage")).asString().contains("Redis");
        assertThat(SqliteStarterTest.map(h.getDetails().get("queues"))).containsKeys("default", "slow");
        Map<String, Object> consumer = SqliteStarterTest.map(h.getDetails().get("consumer"));
        assertThat(consumer).containsEntry("state", "running");
    }
}
