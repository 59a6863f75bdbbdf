package dev.louie.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.Result;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real consumer on worker threads, scraped through the Prometheus registry. */
class ConsumerMetricsTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    final Jobs jobs = new Jobs();
    final Louie louie = Louie.builder("consumer-metrics").register(jobs).build();
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Consumer consumer;

    @AfterEach
    void close() {
        jobs.release.countDown();
        if (consumer != null) {
            consumer.close();
        }
        louie.close();
    }

    @Test
    void busyAndTotalWorkersFollowTheRunningTasks() throws Exception {
        LouieMetrics.bind(louie, registry);
        consumer = louie.consumer().workers(3).periodic(false).start();
        ConsumerMetrics.bind(consumer, registry);
        assertThat(registry.get("louie.consumer.workers.total").tag("consumer", "default").gauge().value()).isEqualTo(3);
        assertThat(registry.get("louie.consumer.workers.busy").tag("consumer", "default").gauge().value()).isZero();

        jobs.release = new CountDownLatch(1);
        Result<Void> a = louie.enqueue(Jobs::hold);
        Result<Void> b = louie.enqueue(Jobs::hold);
        assertThat(jobs.started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(registry.get("louie.consumer.workers.busy").gauge().value()).isEqualTo(2);
        jobs.release.countDown();
        a.get(WAIT);
        b.get(WAIT);
        await().atMost(WAIT).until(() -> registry.get("louie.consumer.workers.busy").gauge().value() == 0);
        assertThat(louie.enqueue(Jobs::greet, "prometheus").get(WAIT)).isEqualTo("hello prometheus");
        // the result is stored before the worker counts itself idle again
        await().atMost(WAIT).until(() -> registry.get("louie.consumer.workers.busy").gauge().value() == 0);

        String text = registry.scrape();
        assertThat(text)
                .contains("louie_consumer_workers_busy{consumer=\"default\"} 0")
                .contains("louie_task_duration_seconds_count{outcome=\"success\",queue=\"default\",task=\"hold\"} 2")
                .contains("louie_task_duration_seconds_count{outcome=\"success\",queue=\"default\",task=\"greet\"} 1")
                .contains("louie_task_queue_wait_seconds_count{queue=\"default\",task=\"hold\"} 2")
                .contains("louie_tasks_enqueued_total{queue=\"default\",task=\"hold\"} 2")
                .contains("louie_queue_pending{queue=\"default\"}")
                .contains("louie_queue_scheduled{queue=\"emails\"}")
                .contains("louie_queue_leased{queue=\"default\"}")
                .contains("louie_queue_dead{queue=\"default\"}")
                .contains("louie_queue_oldest_age_seconds{queue=\"default\"}");
        assertThat(text).as("the Prometheus client keeps _total for counters").contains("louie_consumer_workers{consumer=\"default\"} 3");
    }

    @Test
    void twoConsumersNeedTwoNames() {
        consumer = louie.consumer().workers(1).periodic(false).start();
        ConsumerMetrics.bind(consumer, registry);
        assertThatThrownBy(() -> ConsumerMetrics.bind(consumer, registry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a consumer named 'default' has gauges in this registry already");
        ConsumerMetrics.bind(consumer, "second", registry);
        assertThat(registry.get("louie.consumer.workers.total").gauges()).hasSize(2);
        assertThatThrownBy(() -> new ConsumerMetrics(consumer, " "))
                .hasMessage("the consumer name must not be blank, not ' '");
    }
}
