package dev.louie.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The health indicator on a real SQLite file: UP, with the storage, the consumer and each queue's counts. */
@SpringBootTest(classes = TaskApp.class, properties = "louie.consumer.workers=2")
class SqliteHealthTest {
    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("louie-spring-health-");
        registry.add("louie.storage", () -> "sqlite:" + dir.resolve("louie.db"));
    }

    @Autowired
    @Qualifier("louieHealthIndicator")
    HealthIndicator health;

    @Test
    void healthIsUpWithTheStorageTheConsumerAndTheQueues() {
        Health h = health.health();
        assertThat(h.getStatus()).isEqualTo(Status.UP);
        assertThat(h.getDetails().get("storage")).asString().contains("SqliteStorage");
        assertThat(map(h.getDetails().get("consumer"))).containsEntry("state", "running").containsEntry("workers", 2);
        Map<String, Object> queues = map(h.getDetails().get("queues"));
        assertThat(queues.keySet()).containsExactlyInAnyOrder("default", "slow");
        assertThat(map(queues.get("slow"))).containsEntry("deadLetters", 0L).containsKeys("ready", "scheduled", "leased");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object details) {
        return (Map<String, Object>) details;
    }
}
