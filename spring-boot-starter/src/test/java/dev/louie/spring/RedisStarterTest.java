package dev.louie.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.core.Louie;
import dev.louie.redis.RedisServerExtension;
import dev.louie.redis.RedisStorage;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The starter on a real Redis server: {@code louie.storage=redis://…}, tasks of beans and their results. */
@SpringBootTest(classes = TaskApp.class, properties = {"louie.name=spring-redis-test", "louie.consumer.workers=2",
        "louie.consumer.grace-period=2s"})
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

    @Test
    void tasksOfBeansRunAndTheirResultsComeBack() {
        assertThat(louie.storage()).isInstanceOf(RedisStorage.class);
        assertThat(louie.enqueue(Greetings::greet, "redis").get(WAIT)).isEqualTo("hello redis");
        int before = squares.computed();
        assertThat(louie.enqueue(Squares::square, 7).get(WAIT)).isEqualTo(49);
        assertThat(louie.enqueue(Squares::square, 7).get(WAIT)).isEqualTo(49);
        assertThat(squares.computed() - before).isEqualTo(1);
    }
}
