package dev.louie.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.core.Louie;
import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.Lease;
import dev.louie.core.storage.MemoryStorage;
import dev.louie.core.testing.ForwardingStorage;
import dev.louie.core.testing.ManualClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The queue gauges read the storage once per queue per interval, however many gauges, scrapes and registries read them. */
class QueueGaugesCachingTest {
    final ManualClock clock = new ManualClock();
    final CountingStorage storage = new CountingStorage(new MemoryStorage(clock));
    final Louie louie = Louie.builder("gauges").storage(storage).clock(clock).register(new Jobs()).build();

    @AfterEach
    void close() {
        louie.close();
    }

    /** Counts the inspection calls per method and queue. */
    static final class CountingStorage extends ForwardingStorage {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        volatile boolean failing;

        CountingStorage(MemoryStorage delegate) {
            super(delegate);
        }

        private void count(String method, String queue) {
            calls.computeIfAbsent(method + ":" + queue, k -> new AtomicInteger()).incrementAndGet();
            if (failing) {
                throw new IllegalStateException("storage down");
            }
        }

        int calls(String method, String queue) {
            AtomicInteger n = calls.get(method + ":" + queue);
            return n == null ? 0 : n.get();
        }

        @Override public long queueSize(String queue) { count("queueSize", queue); return super.queueSize(queue); }
        @Override public long scheduleSize(String queue) { count("scheduleSize", queue); return super.scheduleSize(queue); }
        @Override public long leasedCount(String queue) { count("leasedCount", queue); return super.leasedCount(queue); }
        @Override public long deadLetterCount(String queue) { count("deadLetterCount", queue); return super.deadLetterCount(queue); }
        @Override public Optional<Instant> oldestPending(String queue) { count("oldestPending", queue); return super.oldestPending(queue); }
    }

    private static byte[] body() {
        return "x".getBytes(StandardCharsets.UTF_8);
    }

    private static double gauge(MeterRegistry registry, String name, String queue) {
        return registry.get(name).tag("queue", queue).gauge().value();
    }

    private static void scrapeAll(MeterRegistry registry) {
        registry.getMeters().forEach(m -> m.measure().forEach(ms -> ms.getValue()));
    }

    @Test
    void gaugesShowTheQueueAndReadItOncePerInterval() {
        SimpleMeterRegistry simple = new SimpleMeterRegistry();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LouieMetrics metrics = LouieMetrics.builder(louie).clock(clock).refreshInterval(Duration.ofSeconds(10)).build();
        metrics.bindTo(simple);
        metrics.bindTo(prometheus);

        Instant t0 = clock.instant();
        storage.enqueue("default", Envelope.of("a", 0, body()));
        clock.advance(Duration.ofSeconds(4));
        storage.enqueue("default", Envelope.of("b", 0, body()));
        storage.enqueue("default", Envelope.of("c", 0, body()));
        storage.enqueue("default", new Envelope("later", 0, t0.plusSeconds(600), body()));
        storage.enqueue("emails", Envelope.of("e", 0, body()));
        Lease first = storage.dequeue("default", 1, Duration.ofMinutes(1)).get(0);
        Lease second = storage.dequeue("default", 1, Duration.ofMinutes(1)).get(0);
        storage.deadLetter(second, "bad");
        clock.advance(Duration.ofSeconds(6));

        assertThat(gauge(simple, "louie.queue.pending", "default")).isEqualTo(1);
        assertThat(gauge(simple, "louie.queue.scheduled", "default")).isEqualTo(1);
        assertThat(gauge(simple, "louie.queue.leased", "default")).isEqualTo(1);
        assertThat(gauge(simple, "louie.queue.dead", "default")).isEqualTo(1);
        assertThat(simple.get("louie.queue.oldest.age").tag("queue", "default").timeGauge().value())
                .as("c, enqueued 6 s ago, is the one visible").isEqualTo(6.0);
        assertThat(simple.get("louie.queue.oldest.age").tag("queue", "emails").timeGauge().value()).isEqualTo(6.0);
        for (int i = 0; i < 3; i++) {
            scrapeAll(simple);
            prometheus.scrape();
        }
        for (String method : new String[] {"queueSize", "scheduleSize", "leasedCount", "deadLetterCount", "oldestPending"}) {
            assertThat(storage.calls(method, "default")).as(method + " within one interval").isEqualTo(1);
            assertThat(storage.calls(method, "emails")).as(method + " within one interval").isEqualTo(1);
        }

        storage.ack(first);
        clock.advance(Duration.ofSeconds(9));
        assertThat(gauge(simple, "louie.queue.leased", "default")).as("the reading is 9 s old: not read again").isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(gauge(simple, "louie.queue.leased", "default")).isZero();
        assertThat(prometheus.scrape()).contains("louie_queue_leased{queue=\"default\"} 0");
        assertThat(storage.calls("queueSize", "default")).isEqualTo(2);
        assertThat(storage.calls("oldestPending", "default")).isEqualTo(2);
    }

    @Test
    void aStorageThatFailsShowsNaNAndIsAskedOncePerIntervalStill() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LouieMetrics.builder(louie).queues("default").clock(clock).refreshInterval(Duration.ofSeconds(10)).build().bindTo(registry);
        storage.failing = true;
        assertThat(gauge(registry, "louie.queue.pending", "default")).isNaN();
        scrapeAll(registry);
        scrapeAll(registry);
        assertThat(storage.calls("queueSize", "default")).isEqualTo(1);
        storage.failing = false;
        clock.advance(Duration.ofSeconds(10));
        assertThat(gauge(registry, "louie.queue.pending", "default")).isZero();
        assertThat(registry.get("louie.queue.oldest.age").tag("queue", "default").timeGauge().value())
                .as("nothing pending: age 0").isZero();
    }
}
