package dev.louie.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.louie.core.InlineConsumer;
import dev.louie.core.Louie;
import dev.louie.core.TaskLock;
import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.MemoryStorage;
import dev.louie.core.testing.ManualClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The task meters, on the step function and a manual clock: every outcome, the queue wait, enqueues. */
class LouieMetricsTest {
    final ManualClock clock = new ManualClock();
    final MeterRegistry registry = new SimpleMeterRegistry();
    final Jobs jobs = new Jobs();
    Louie louie;
    InlineConsumer consumer;

    @BeforeEach
    void start() {
        louie = Louie.builder("metrics").storage(new MemoryStorage(clock)).clock(clock).register(jobs).build();
        LouieMetrics.builder(louie).clock(clock).build().bindTo(registry);
        consumer = louie.consumer().periodic(false).inline();
    }

    @AfterEach
    void close() {
        louie.close();
    }

    private Timer duration(String task, String outcome) {
        return registry.get("louie.task.duration").tags("task", task, "queue", "default", "outcome", outcome).timer();
    }

    @Test
    void eachOutcomeIsRecordedOnceWithItsTaskAndQueue() {
        louie.enqueue(Jobs::greet, "a");
        louie.enqueue(Jobs::boom);
        louie.enqueue(Jobs::flaky, "k");
        louie.call(Jobs::greet, "late").expires(Duration.ofSeconds(1)).enqueue();
        louie.enqueue("twice", "not a number"); // an argument that does not fit: dead-lettered
        louie.storage().enqueue(Louie.DEFAULT_QUEUE, Envelope.of("junk", 0, "{not json".getBytes(StandardCharsets.UTF_8)));
        clock.advance(Duration.ofSeconds(2));
        assertThat(consumer.runUntilIdle()).isEqualTo(7); // six messages and the retry of flaky
        louie.revoke("greet", null, true);
        louie.enqueue(Jobs::greet, "revoked");
        try (TaskLock held = louie.lock("exclusive", Duration.ofMinutes(1))) {
            louie.enqueue(Jobs::exclusive);
            assertThat(consumer.runUntilIdle()).isEqualTo(2);
        }

        assertThat(duration("greet", "success").count()).isEqualTo(1);
        assertThat(duration("boom", "failure").count()).isEqualTo(1);
        assertThat(duration("flaky", "retry").count()).isEqualTo(1);
        assertThat(duration("flaky", "success").count()).isEqualTo(1);
        assertThat(duration("greet", "expired").count()).isEqualTo(1);
        assertThat(duration("twice", "dead_letter").count()).isEqualTo(1);
        assertThat(duration("unknown", "dead_letter").count()).as("an undecodable message").isEqualTo(1);
        assertThat(duration("greet", "revoked").count()).isEqualTo(1);
        assertThat(duration("exclusive", "locked").count()).as("locked, not also failure").isEqualTo(1);
        assertThat(registry.find("louie.task.duration").tags("task", "exclusive", "outcome", "failure").timer()).isNull();
        assertThat(duration("greet", "expired").totalTime(TimeUnit.NANOSECONDS)).as("did not run").isZero();
        assertThat(registry.get("louie.task.duration").timers()).as("one timer per task, queue and outcome").hasSize(9);
    }

    @Test
    void queueWaitRunsFromEnqueueOrEtaToStart() {
        louie.enqueue(Jobs::greet, "now");
        louie.call(Jobs::greet, "later").delay(Duration.ofSeconds(10)).enqueue();
        clock.advance(Duration.ofSeconds(3));
        assertThat(consumer.runUntilIdle()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(12));
        assertThat(consumer.runUntilIdle()).isEqualTo(1);
        Timer wait = registry.get("louie.task.queue.wait").tags("task", "greet", "queue", "default").timer();
        assertThat(wait.count()).isEqualTo(2);
        assertThat(wait.totalTime(TimeUnit.SECONDS)).as("3 s after its enqueue, 5 s after its eta").isEqualTo(8.0);
        assertThat(wait.max(TimeUnit.SECONDS)).isEqualTo(5.0);
    }

    @Test
    void enqueuesAreCountedPerTaskAndQueue() {
        louie.enqueue(Jobs::email, "a@example.com");
        louie.enqueue(Jobs::email, "b@example.com");
        louie.call(Jobs::greet, "x").delay(Duration.ofMinutes(1)).enqueue();
        assertThat(registry.get("louie.tasks.enqueued").tags("task", "email", "queue", "emails").counter().count()).isEqualTo(2);
        assertThat(registry.get("louie.tasks.enqueued").tags("task", "greet", "queue", "default").counter().count())
                .as("scheduled counts as enqueued").isEqualTo(1);
    }

    @Test
    void queueGaugesCoverTheDefaultQueueAndEveryTaskQueue() {
        assertThat(LouieMetrics.builder(louie).build().queues()).containsExactly("default", "emails");
        louie.storage().enqueue("elsewhere", Envelope.of("m", 0, "{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(LouieMetrics.builder(louie).build().queues()).as("and the storage's")
                .containsExactly("default", "elsewhere", "emails");
        assertThat(registry.get("louie.queue.pending").gauges()).extracting(g -> g.getId().getTag("queue"))
                .containsExactlyInAnyOrder("default", "emails");
    }

    @Test
    void bindingTwiceToOneRegistryCountsOnce() {
        MeterRegistry other = new SimpleMeterRegistry();
        LouieMetrics metrics = LouieMetrics.builder(louie).clock(clock).build();
        metrics.bindTo(other);
        metrics.bindTo(other);
        louie.enqueue(Jobs::greet, "once");
        assertThat(consumer.runUntilIdle()).isEqualTo(1);
        assertThat(other.get("louie.task.duration").tags("task", "greet", "outcome", "success").timer().count()).isEqualTo(1);
        assertThat(other.get("louie.tasks.enqueued").counter().count()).isEqualTo(1);
    }

    @Test
    void badSettingsAreNamedAllAtOnce() {
        assertThatThrownBy(() -> LouieMetrics.builder(louie).queues("a", " ").refreshInterval(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queues must not be blank, not ' '")
                .hasMessageContaining("refreshInterval must be positive, not PT0S");
    }
}
