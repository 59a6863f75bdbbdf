package dev.louie.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.core.Louie;
import dev.louie.core.storage.Storage;
import dev.louie.sqlite.SqliteStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The starter in a Spring Boot application on a real SQLite file, with the default properties but the path and two workers. */
@SpringBootTest(classes = TaskApp.class, properties = {"louie.consumer.workers=2", "spring.application.name=starter-test"})
class SqliteStarterTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("louie-spring-");
        registry.add("louie.storage", () -> "sqlite:" + dir.resolve("louie.db"));
    }

    @Autowired
    Louie louie;
    @Autowired
    Storage storage;
    @Autowired
    Squares squares;
    @Autowired
    ConsumerLifecycle consumer;

    @Test
    void theStorageIsTheSqliteFileAndTheNameIsTheApplicationName() {
        assertThat(storage).isInstanceOf(SqliteStorage.class);
        assertThat(louie.storage()).isSameAs(storage);
        assertThat(louie.name()).isEqualTo("starter-test");
        assertThat(consumer.isRunning()).isTrue();
        assertThat(consumer.consumer().aliveWorkers()).isEqualTo(2);
    }

    @Test
    void tasksOfBeansAreRegisteredUnderTheirClassNamesAndRunWithOtherBeans() {
        assertThat(louie.tasks()).containsExactlyInAnyOrder("Greetings.greet", "Greetings.slow", "Squares.square");
        assertThat(louie.enqueue(Greetings::greet, "ann").get(WAIT)).isEqualTo("hello ann");
        assertThat(louie.enqueue("Greetings.greet", "bob").get(WAIT)).isEqualTo("hello bob");
    }

    @Test
    void aProxiedTaskBeanIsCalledThroughItsProxy() {
        assertThat(AopUtils.isCglibProxy(squares)).as("@Cacheable makes a class-based proxy").isTrue();
        int before = squares.computed();
        assertThat(louie.enqueue(Squares::square, 12).get(WAIT)).isEqualTo(144);
        assertThat(louie.enqueue(Squares::square, 12).get(WAIT)).isEqualTo(144);
        assertThat(squares.computed() - before).as("the second call is answered by the cache advice").isEqualTo(1);
    }

}
