package dev.louie.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.Result;
import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.Storage;
import dev.louie.core.testing.ManualClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The queue gauges and task meters over a real backend and a real consumer on worker threads;
 * time is a manual clock shared by the Louie, its storage and the metrics.
 */
abstract class QueueGaugesContract {
    static final Duration WAIT = Duration.ofSeconds(30);

    final ManualClock clock = new ManualClock();
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Louie louie;

    /** A clean storage on {@code clock}. */
    abstract Storage createStorage(Clock clock) throws Exception;

    @BeforeEach
    void open() throws Exception {
        Storage storage = createStorage(clock);
        storage.flush();
        louie = Louie.builder("gauges").storage(storage).clock(clock).register(new Jobs()).build();
        LouieMetrics.builder(louie).clock(clock).refreshInterval(Duration.ofSeconds(1)).build().bindTo(registry);
    }

    @AfterEach
    void close() {
        louie.close();
    }

    private double gauge(String name, String queue) {
        return registry.get(name).tag("queue", queue).gauge().value();
    }

    private double oldestAge(String queue) {
        return registry.get("louie.queue.oldest.age").tag("queue", queue).timeGauge().value();
    }

    @Test
    void gaugesFollowTheStorageWhileARealConsumerDrainsIt() {
        louie.enqueue(Jobs::greet, "a");
        clock.advance(Duration.ofSeconds(5));
        Result<String> b = louie.enqueue(Jobs::greet, "b");
        louie.call(Jobs::greet, "later").delay(Duration.ofHours(1)).enqueue();
        louie.storage().enqueue(Louie.DEFAULT_QUEUE, Envelope.of("junk", 0, "{not json".getBytes(StandardCharsets.UTF_8)));
        louie.enqueue(Jobs::email, "x@example.com");

        assertThat(gauge("louie.queue.pending", "default")).isEqualTo(3);
        assertThat(gauge("louie.queue.scheduled", "default")).isEqualTo(1);
        assertThat(gauge("louie.queue.leased", "default")).isZero();
        assertThat(gauge("louie.queue.dead", "default")).isZero();
        assertThat(oldestAge("default")).as("a has waited 5 s").isEqualTo(5.0);
        assertThat(gauge("louie.queue.pending", "emails")).isEqualTo(1);
        assertThat(oldestAge("emails")).isZero();

        try (Consumer consumer = louie.consumer().workers(2).periodic(false).pollInterval(Duration.ofMillis(20)).start()) {
            assertThat(b.get(WAIT)).isEqualTo("hello b");
            await().atMost(WAIT).until(() -> {
                clock.advance(Duration.ofSeconds(1)); // each poll gets a fresh reading
                return gauge("louie.queue.pending", "default") == 0 && gauge("louie.queue.dead", "default") == 1
                        && gauge("louie.queue.pending", "emails") == 0 && gauge("louie.queue.leased", "default") == 0;
            });
        }
        assertThat(gauge("louie.queue.scheduled", "default")).isEqualTo(1);
        assertThat(oldestAge("default")).as("nothing pending").isZero();
        assertThat(registry.scrape())
                .contains("louie_queue_dead{queue=\"default\"} 1")
                .contains("louie_queue_scheduled{queue=\"default\"} 1")
                .contains("louie_task_duration_seconds_count{outcome=\"success\",queue=\"default\",task=\"greet\"} 2")
                .contains("louie_task_duration_seconds_count{outcome=\"success\",queue=\"emails\",task=\"email\"} 1")
                .contains("louie_task_duration_seconds_count{outcome=\"dead_letter\",queue=\"default\",task=\"unknown\"} 1")
                .contains("louie_task_queue_wait_seconds_max{queue=\"default\",task=\"greet\"} 5")
                .contains("louie_tasks_enqueued_total{queue=\"default\",task=\"greet\"} 3");
    }
}
