package dev.louie.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.louie.core.storage.MemoryStorage;
import dev.louie.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Delays, etas, retries, expiry and periodic tasks, on the step function and a clock the test moves. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SchedulingTest extends ConsumerTestBase {
    final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T12:04:30Z"));
    final MemoryStorage storage = new MemoryStorage(clock);
    final Louie louie = louie(storage, clock);
    final InlineConsumer consumer = inline(louie);

    @Test
    void delayedTaskRunsOnlyAfterItsDelay() {
        Result<String> r = louie.call(SampleTasks::greet, "later").delay(Duration.ofMinutes(5)).enqueue();
        assertThat(signalsOf(r.id())).containsExactly(Signal.SCHEDULED);
        assertThat(storage.scheduleSize(Louie.DEFAULT_QUEUE)).isEqualTo(1);
        assertThat(consumer.runNext()).isFalse();
        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertThat(consumer.runNext()).as("a millisecond early").isFalse();
        assertThat(r.isDone()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(consumer.runNext()).as("at its eta").isTrue();
        assertThat(r.get(Duration.ZERO)).isEqualTo("hello later");
        assertThat(storage.scheduleSize(Louie.DEFAULT_QUEUE)).isZero();
    }

    @Test
    void etaInThePastRunsAtOnce() {
        Result<String> r = louie.call(SampleTasks::greet, "now").eta(clock.instant().minusSeconds(1)).enqueue();
        assertThat(consumer.runNext()).isTrue();
        assertThat(r.get(Duration.ZERO)).isEqualTo("hello now");
    }

    @Test
    void retriesWaitTheirDelayWithBackoff() {
        Result<String> r = louie.enqueue(SampleTasks::flaky, 2); // retries = 2, retryDelay = 10s, backoff 2.0
        assertThat(consumer.runNext()).isTrue();
        assertThat(tasks.flakyCalls.get()).isEqualTo(1);
        assertThat(storage.scheduleSize(Louie.DEFAULT_QUEUE)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(9));
        assertThat(consumer.runNext()).as("9 s into the first 10 s delay").isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(consumer.runNext()).as("right at 10 s").isTrue();
        assertThat(tasks.flakyCalls.get()).isEqualTo(2);
        assertThat(storage.scheduleSize(Louie.DEFAULT_QUEUE)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(19));
        assertThat(consumer.runNext()).as("19 s into the second delay, 20 s with backoff 2").isFalse();
        assertThat(r.isDone()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(consumer.runNext()).as("right at 20 s").isTrue();
        assertThat(r.get(Duration.ZERO)).isEqualTo("ok after 3");
        assertThat(tasks.attempts).containsExactly(0, 1, 2);
        assertThat(signalsOf(r.id())).containsExactly(Signal.ENQUEUED, Signal.EXECUTING, Signal.RETRYING,
                Signal.EXECUTING, Signal.RETRYING, Signal.EXECUTING, Signal.COMPLETE);
        assertThat(consumer.stats().retried()).isEqualTo(2);
    }

    @Test
    void retriesRunOutIntoAnError() {
        Result<String> r = louie.call(SampleTasks::flaky, 5).retries(1, Duration.ofSeconds(1)).enqueue();
        assertThat(consumer.runNext()).isTrue();
        assertThat(storage.scheduleSize(Louie.DEFAULT_QUEUE)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(consumer.runNext()).isTrue();
        assertThatThrownBy(() -> r.get(Duration.ZERO)).isInstanceOf(TaskFailedException.class).hasMessageContaining("failure 2");
        assertThat(tasks.flakyCalls.get()).isEqualTo(2);
        assertThat(storage.scheduleSize(Louie.DEFAULT_QUEUE)).as("no retry is left").isZero();
    }

    @Test
    void expiredTaskIsNotRun() {
        Result<Void> r = louie.call(SampleTasks::record, "stale").expires(Duration.ofMinutes(1)).enqueue();
        clock.advance(Duration.ofMinutes(2));
        assertThat(consumer.runNext()).isTrue();
        assertThatThrownBy(() -> r.get(Duration.ZERO)).isInstanceOfSatisfying(TaskFailedException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(FailureKind.EXPIRED);
                    assertThat(e.errorClass()).isNull();
                });
        assertThat(tasks.runs).doesNotContainKey("stale");
        assertThat(signalsOf(r.id())).contains(Signal.EXPIRED).doesNotContain(Signal.EXECUTING);
    }

    @Test
    void aTaskStartedRightAtItsExpiryStillRuns() {
        Result<Void> r = louie.call(SampleTasks::record, "just in time").expires(Duration.ofMinutes(1)).enqueue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(consumer.runNext()).isTrue();
        assertThat(r.get(Duration.ZERO)).isNull();
        assertThat(tasks.runs).containsKey("just in time");
    }

    @Test
    void rescheduleRevokesTheOriginalAndRunsACopyLater() {
        Result<String> original = louie.call(SampleTasks::greet, "moved").delay(Duration.ofMinutes(1)).enqueue();
        Result<String> copy = original.reschedule(Duration.ofMinutes(10));
        assertThat(copy.id()).isNotEqualTo(original.id());
        clock.advance(Duration.ofMinutes(2));
        assertThat(consumer.runUntilIdle()).as("the original, skipped").isEqualTo(1);
        assertThatThrownBy(() -> original.get(Duration.ZERO)).isInstanceOfSatisfying(TaskFailedException.class,
                e -> assertThat(e.kind()).isEqualTo(FailureKind.REVOKED));
        clock.advance(Duration.ofMinutes(8).minusMillis(1));
        assertThat(consumer.runNext()).isFalse();
        assertThat(copy.isDone()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(consumer.runNext()).isTrue();
        assertThat(copy.get(Duration.ZERO)).isEqualTo("hello moved");
        assertThat(signalsOf(original.id())).doesNotContain(Signal.EXECUTING);
    }

    @Test
    void periodicTaskRunsOncePerMatchingMinuteAcrossConsumers() {
        Louie b = louie(storage, clock);
        InlineConsumer ca = louie.consumer().inline();
        InlineConsumer cb = b.consumer().inline();
        // 12:04:30 — the cron */5 does not match
        assertThat(ca.runUntilIdle() + cb.runUntilIdle()).isZero();
        clock.set(Instant.parse("2030-01-01T12:05:10Z"));
        assertThat(ca.runUntilIdle()).isEqualTo(1);
        assertThat(cb.runUntilIdle()).as("the other consumer's tick finds 12:05 taken").isZero();
        assertThat(tasks.ticks.get()).isEqualTo(1);
        clock.set(Instant.parse("2030-01-01T12:06:00Z"));
        assertThat(ca.runUntilIdle() + cb.runUntilIdle()).isZero();
        clock.set(Instant.parse("2030-01-01T12:10:00Z"));
        assertThat(cb.runUntilIdle()).isEqualTo(1);
        assertThat(ca.runUntilIdle()).isZero();
        assertThat(tasks.ticks.get()).isEqualTo(2);
        assertThat(storage.queueSize(Louie.DEFAULT_QUEUE)).isZero();
    }

    @Test
    void periodicCatchesUpOnMinutesTheSchedulerMissed() {
        InlineConsumer c = louie.consumer().inline();
        assertThat(c.runUntilIdle()).isZero();
        clock.set(Instant.parse("2030-01-01T12:16:00Z")); // 12:05, 12:10 and 12:15 passed unseen
        assertThat(c.runUntilIdle()).as(events.toString()).isEqualTo(3);
        assertThat(tasks.ticks.get()).isEqualTo(3);
    }

    @Test
    void periodicCanBeTurnedOff() {
        InlineConsumer c = louie.consumer().periodic(false).inline();
        clock.set(Instant.parse("2030-01-01T12:05:00Z"));
        assertThat(c.runUntilIdle()).isZero();
        assertThat(storage.queueSize(Louie.DEFAULT_QUEUE) + storage.leasedCount(Louie.DEFAULT_QUEUE)).isZero();
        assertThat(tasks.ticks.get()).isZero();
    }
}
