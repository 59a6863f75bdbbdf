package dev.louie.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.louie.core.storage.MemoryStorage;
import dev.louie.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The step function: tasks run on the test thread, time moves only when the test moves it. */
class InlineConsumerTest {
    final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
    final SampleTasks tasks = new SampleTasks();
    final Louie louie = Louie.builder("inline").storage(new MemoryStorage(clock)).clock(clock).register(tasks).build();
    final InlineConsumer consumer = louie.consumer().periodic(false).inline();

    @Test
    void retriesWaitForTheirDelayOnTheInjectedClock() {
        Result<String> r = louie.enqueue(SampleTasks::flaky, 2);   // retries = 2, retryDelay = 10s, backoff 2.0
        assertThat(consumer.runNext()).isTrue();
        assertThat(consumer.runNext()).as("the retry is scheduled, not ready").isFalse();
        clock.advance(Duration.ofSeconds(10));
        assertThat(consumer.runNext()).isTrue();
        clock.advance(Duration.ofSeconds(19));
        assertThat(consumer.runNext()).as("the second delay is 20 s").isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(consumer.runNext()).isTrue();
        assertThat(r.get(Duration.ZERO)).isEqualTo("ok after 3");
        assertThat(consumer.stats().retried()).isEqualTo(2);
        assertThat(consumer.stats().completed()).isEqualTo(1);
    }

    @Test
    void runUntilIdleRunsPipelinesToTheEnd() {
        Result<Integer> r = louie.call(SampleTasks::twice, 1).then(SampleTasks::twice).then(SampleTasks::twice).enqueue();
        assertThat(consumer.runUntilIdle()).isEqualTo(3);
        assertThat(r.get(Duration.ZERO)).isEqualTo(8);
    }

    @Test
    void periodicTasksRunAtTheirMinute() {
        InlineConsumer periodic = louie.consumer().inline();
        clock.advance(Duration.ofMinutes(4)); // 00:04
        assertThat(periodic.runUntilIdle()).isZero();
        clock.advance(Duration.ofMinutes(1)); // 00:05 matches */5
        assertThat(periodic.runUntilIdle()).isEqualTo(1);
        assertThat(tasks.ticks.get()).isEqualTo(1);
    }

    @Test
    void settingsAreValidatedAsForAThreadedConsumer() {
        assertThatThrownBy(() -> louie.consumer().maxDeliveries(0).inline())
                .hasMessageContaining("maxDeliveries must be at least 1, not 0");
    }
}
