package dev.louie.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.louie.core.storage.MemoryStorage;
import dev.louie.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Delays, etas, retries, expiry and periodic tasks, on a clock the test moves. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SchedulingTest extends ConsumerTestBase {
    final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T12:04:30Z"));
    final MemoryStorage storage = new MemoryStorage(clock);

    @Test
    void delayedTaskRunsOnlyAfterItsDelay() {
        Louie louie = louie(storage, clock);
        consumer(louie, 1);
        Result<String> r = louie.call(SampleTasks::greet, "later").delay(Duration.ofMinutes(5)).enqueue();
        assertThat(signalsOf(r.id())).containsExactly(Signal.SCHEDULED);
        assertThat(storage.scheduleSize(Louie.DEFAULT_QUEUE)).isEqualTo(1);
        assertThatThrownBy(() -> r.get(Duration.ofMillis(100))).isInstanceOf(ResultTimeoutException.class);
        clock.advance(Duration.ofMinutes(5));
        assertThat(r.get(WAIT)).isEqualTo("hello later");
    }

    @Test
    void etaInThePastRunsAtOnce() {
        Louie louie = louie(storage, clock);
        consumer(louie, 1);
        Result<String> r = louie.call(SampleTasks::greet, "now").eta(clock.instant().minusSeconds(1)).enqueue();
        assertThat(r.get(WAIT)).isEqualTo("hello now");
    }

    @Test
    void retriesWaitTheirDelayWithBackoff() {
        Louie louie = louie(storage, clock);
        consumer(louie, 1);
        Result<String> r = louie.enqueue(SampleTasks::flaky, 2);
        await().atMost(WAIT).until(() -> storage.scheduleSize(Louie.DEFAULT_QUEUE) == 1);
        assertThat(tasks.flakyCalls.get()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(9));
        assertThatThrownBy(() -> r.get(Duration.ofMillis(100))).isInstanceOf(ResultTimeoutException.class);
        clock.advance(Duration.ofSeconds(1));
        await().atMost(WAIT).until(() -> tasks.flakyCalls.get() == 2 && storage.scheduleSize(Louie.DEFAULT_QUEUE) == 1);
        clock.advance(Duration.ofSeconds(19));
        assertThatThrownBy(() -> r.get(Duration.ofMillis(100))).isInstanceOf(ResultTimeoutException.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(r.get(WAIT)).isEqualTo("ok after 3");
        assertThat(tasks.attempts).containsExactly(0, 1, 2);
        await().atMost(WAIT).until(() -> signalsOf(r.id()).contains(Signal.COMPLETE));
        assertThat(signalsOf(r.id())).containsSubsequence(Signal.RETRYING, Signal.RETRYING, Signal.COMPLETE);
    }

    @Test
    void retriesRunOutIntoAnError() {
        Louie louie = louie(storage, clock);
        consumer(louie, 1);
        Result<String> r = louie.call(SampleTasks::flaky, 5).retries(1, Duration.ofSeconds(1)).enqueue();
        await().atMost(WAIT).until(() -> storage.scheduleSize(Louie.DEFAULT_QUEUE) == 1);
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> r.get(WAIT)).isInstanceOf(TaskFailedException.class).hasMessageContaining("failure 2");
        assertThat(tasks.flakyCalls.get()).isEqualTo(2);
    }

    @Test
    void expiredTaskIsNotRun() {
        Louie louie = louie(storage, clock);
        Result<Void> r = louie.call(SampleTasks::record, "stale").expires(Duration.ofMinutes(1)).enqueue();
        clock.advance(Duration.ofMinutes(2));
        consumer(louie, 1);
        assertThatThrownBy(() -> r.get(WAIT)).isInstanceOfSatisfying(TaskFailedException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(FailureKind.EXPIRED);
                    assertThat(e.errorClass()).isNull();
                });
        assertThat(tasks.runs).doesNotContainKey("stale");
        assertThat(signalsOf(r.id())).contains(Signal.EXPIRED);
    }

    @Test
    void rescheduleRevokesTheOriginalAndRunsACopyLater() {
        Louie louie = louie(storage, clock);
        Result<String> original = louie.call(SampleTasks::greet, "moved").delay(Duration.ofMinutes(1)).enqueue();
        Result<String> copy = original.reschedule(Duration.ofMinutes(10));
        assertThat(copy.id()).isNotEqualTo(original.id());
        consumer(louie, 1);
        clock.advance(Duration.ofMinutes(2));
        assertThatThrownBy(() -> original.get(WAIT)).isInstanceOf(TaskFailedException.class);
        assertThatThrownBy(() -> copy.get(Duration.ofMillis(100))).isInstanceOf(ResultTimeoutException.class);
        clock.advance(Duration.ofMinutes(8));
        assertThat(copy.get(WAIT)).isEqualTo("hello moved");
    }

    @Test
    void periodicTaskRunsOncePerMatchingMinuteAcrossConsumers() {
        Louie a = louie(storage, clock);
        Louie b = louie(storage, clock);
        Consumer ca = start(a.consumer().workers(1));
        Consumer cb = start(b.consumer().workers(1));
        // 12:04:30 — the cron */5 does not match
        ca.runSchedulerOnce();
        cb.runSchedulerOnce();
        clock.set(Instant.parse("2030-01-01T12:05:10Z"));
        ca.runSchedulerOnce();
        cb.runSchedulerOnce();
        await().atMost(WAIT).until(() -> tasks.ticks.get() == 1);
        clock.set(Instant.parse("2030-01-01T12:06:00Z"));
        ca.runSchedulerOnce();
        cb.runSchedulerOnce();
        clock.set(Instant.parse("2030-01-01T12:10:00Z"));
        ca.runSchedulerOnce();
        cb.runSchedulerOnce();
        await().atMost(WAIT).until(() -> tasks.ticks.get() == 2);
        await().pollDelay(Duration.ofMillis(200)).atMost(WAIT).until(() -> storage.queueSize(Louie.DEFAULT_QUEUE) == 0);
        assertThat(tasks.ticks.get()).isEqualTo(2);
    }

    @Test
    void periodicCatchesUpOnMinutesTheSchedulerMissed() {
        Louie louie = louie(storage, clock);
        Consumer c = start(louie.consumer().workers(1));
        c.runSchedulerOnce();
        clock.set(Instant.parse("2030-01-01T12:16:00Z")); // 12:05, 12:10 and 12:15 passed unseen
        c.runSchedulerOnce();
        await().atMost(WAIT).untilAsserted(() -> assertThat(tasks.ticks.get()).as(events.toString()).isEqualTo(3));
    }

    @Test
    void periodicCanBeTurnedOff() {
        Louie louie = louie(storage, clock);
        Consumer c = start(louie.consumer().workers(1).periodic(false));
        clock.set(Instant.parse("2030-01-01T12:05:00Z"));
        c.runSchedulerOnce();
        assertThat(storage.queueSize(Louie.DEFAULT_QUEUE) + storage.leasedCount(Louie.DEFAULT_QUEUE)).isZero();
        assertThat(tasks.ticks.get()).isZero();
    }
}
