package dev.louie.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.louie.core.Louie;
import dev.louie.core.Result;
import dev.louie.core.storage.StorageInspection;
import dev.louie.sqlite.SqliteStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The consumer stops with the context: a running task finishes within the grace period, or goes back to the queue after it. */
class GracefulStopTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private ConfigurableApplicationContext start(String gracePeriod) {
        return new SpringApplicationBuilder(TaskApp.class)
                .properties("louie.name=graceful", "louie.storage=sqlite:" + dir.resolve("louie.db"), "louie.consumer.workers=1",
                        "louie.consumer.grace-period=" + gracePeriod, "spring.main.banner-mode=off")
                .run();
    }

    @Test
    void closingTheContextWaitsForTheRunningTaskAndKeepsItsResult() throws Exception {
        ConfigurableApplicationContext context = start("60s");
        Greetings greetings = context.getBean(Greetings.class);
        ConsumerLifecycle consumer = context.getBean(ConsumerLifecycle.class);
        String id = context.getBean(Louie.class).enqueue(Greetings::slow, "a").id();
        assertThat(greetings.started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the task started").isTrue();

        Thread closer = new Thread(context::close, "closer");
        closer.start();
        await().atMost(WAIT).until(() -> !consumer.isRunning());
        assertThat(closer.isAlive()).as("the context is still closing while the task runs").isTrue();
        assertThat(context.isActive()).isTrue();

        greetings.release.countDown();
        closer.join(WAIT.toMillis());
        assertThat(closer.isAlive()).as("the context closed once the task finished").isFalse();
        assertThat(context.isActive()).isFalse();
        try (Louie reader = Louie.builder("graceful").storage(SqliteStorage.file(dir.resolve("louie.db"))).build()) {
            Result<String> result = reader.result(id, String.class);
            assertThat(result.get(WAIT)).isEqualTo("finished a");
        }
    }

    @Test
    void aTaskStillRunningAfterTheGracePeriodIsInterruptedAndItsMessageGoesBackToTheQueue() throws Exception {
        ConfigurableApplicationContext context = start("500ms");
        Greetings greetings = context.getBean(Greetings.class);
        context.getBean(Louie.class).enqueue(Greetings::slow, "b");
        assertThat(greetings.started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the task started").isTrue();

        context.close();

        assertThat(greetings.release.getCount()).as("never released: it was interrupted").isEqualTo(1);
        try (SqliteStorage storage = SqliteStorage.file(dir.resolve("louie.db"))) {
            storage.attach("graceful");
            StorageInspection inspection = storage;
            assertThat(inspection.leasedCount("slow")).isZero();
            assertThat(inspection.queueSize("slow")).as("the message is back in its queue").isEqualTo(1);
        }
    }
}
