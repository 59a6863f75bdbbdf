package dev.louie.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.louie.core.Louie;
import dev.louie.micrometer.LouieMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With louie-micrometer and Spring Boot's metrics support present, Louie's meters are in the application's registry. */
@SpringBootTest(classes = TaskApp.class, properties = {"louie.consumer.workers=2", "spring.application.name=metrics-test"})
class MetricsStarterTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("louie-spring-metrics-");
        registry.add("louie.storage", () -> "sqlite:" + dir.resolve("louie.db"));
    }

    @Autowired
    Louie louie;
    @Autowired
    MeterRegistry registry;
    @Autowired
    LouieMetrics metrics;

    @Test
    void tasksThatRunAreTimedAndCountedInTheApplicationsRegistry() {
        assertThat(louie.enqueue(Greetings::greet, "ann").get(WAIT)).isEqualTo("hello ann");
        assertThat(louie.enqueue(Greetings::greet, "bob").get(WAIT)).isEqualTo("hello bob");
        assertThat(registry.get("louie.tasks.enqueued").tag("task", "Greetings.greet").counter().count()).isEqualTo(2.0);
        await().atMost(WAIT).untilAsserted(() -> {
            Timer success = registry.get("louie.task.duration").tag("task", "Greetings.greet").tag("outcome", "success").timer();
            assertThat(success.count()).isEqualTo(2);
        });
        assertThat(registry.find("louie.queue.pending").tag("queue", "default").gauge()).isNotNull();
    }
}
