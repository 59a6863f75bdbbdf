package dev.louie.core;

import dev.louie.core.storage.StorageInspection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.louie.core.storage.Lease;
import dev.louie.core.storage.MemoryStorage;
import dev.louie.core.storage.StorageException;
import dev.louie.core.testing.ForwardingStorage;
import dev.louie.core.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Continuations under at-least-once delivery: a storage wrapper fails (as a crash would) between
 * two steps that cannot be one, and the pipeline or chord still runs each stage once and fires
 * its callback once.
 */
class CrashHolesTest extends ConsumerTestBase {

    @Test
    void aStageWhoseCompletionFailsDoesNotRunTheNextStageTwice() {
        AtomicBoolean failed = new AtomicBoolean();
        Louie[] louie = new Louie[1];
        louie[0] = louie(new ForwardingStorage(new MemoryStorage()) {
            @Override
            public boolean complete(Lease lease, String resultKey, byte[] result, java.time.Duration ttl) {
                if (lease.id().equals("p") && failed.compareAndSet(false, true)) {
                    // the next stage was enqueued and has finished; this stage dies before its completion is stored
                    await().atMost(WAIT).until(() -> delegate.getResult("p.2", false).isPresent());
                    throw new StorageException("the consumer died here");
                }
                return super.complete(lease, resultKey, result, ttl);
            }
        }, Clock.systemUTC());
        start(louie[0].consumer().workers(2).periodic(false).batchCompletions(false));
        Result<Integer> last = louie[0].call(SampleTasks::twice, 3).id("p").then(SampleTasks::twice).enqueue();
        assertThat(last.get(WAIT)).isEqualTo(12);
        await().atMost(WAIT).until(() -> signalsOf("p").stream().filter(s -> s == Signal.COMPLETE).count() == 2);
        assertThat(signalsOf("p.2")).as("the next stage ran once").filteredOn(s -> s == Signal.EXECUTING).hasSize(1);
        assertThat(StorageInspection.of(louie[0].storage()).queueSize(Louie.DEFAULT_QUEUE)).isZero();
    }

    @Test
    void aMemberCountedTwiceDoesNotFireTheCallbackEarly() throws Exception {
        GatedTasks gated = new GatedTasks();
        AtomicBoolean doubled = new AtomicBoolean();
        Louie louie = Louie.builder("chords").register(gated).storage(new ForwardingStorage(new MemoryStorage()) {
            @Override
            public long increment(String name, long delta, Duration ttl) {
                if (name.startsWith("chord:") && delta == 1 && doubled.compareAndSet(false, true)) {
                    super.increment(name, delta, ttl); // the member ran twice (its first lease was lost) and counts again
                }
                return super.increment(name, delta, ttl);
            }
        }).build();
        toClose.add(louie);
        start(louie.consumer().workers(2).periodic(false));
        Result<Integer> total = louie.chord(List.of(louie.call(GatedTasks::now, 1), louie.call(GatedTasks::later, 2)), GatedTasks::sum);
        await().atMost(WAIT).until(() -> gated.nowRan.getCount() == 0);
        assertThat(total.isDone()).as("the second member is still running").isFalse();
        gated.gate.countDown();
        assertThat(total.get(WAIT)).isEqualTo(3);
    }

    @Test
    void aChordWhoseLastMemberDiedBeforeCountingIsFiredByItsCheck() {
        ManualClock clock = new ManualClock(Instant.now());
        AtomicBoolean lost = new AtomicBoolean();
        Louie louie = louie(new ForwardingStorage(new MemoryStorage(clock)) {
            @Override
            public long increment(String name, long delta, Duration ttl) {
                if (name.startsWith("chord:") && delta == 1 && lost.compareAndSet(false, true)) {
                    throw new StorageException("the consumer died after storing the member's result");
                }
                return super.increment(name, delta, ttl);
            }
        }, clock);
        consumer(louie, 1);
        Result<Integer> total = louie.chord(List.of(louie.call(SampleTasks::twice, 1), louie.call(SampleTasks::twice, 2)),
                SampleTasks::total);
        await().atMost(WAIT).until(() -> lost.get() && StorageInspection.of(louie.storage()).queueSize(Louie.DEFAULT_QUEUE) == 0
                && StorageInspection.of(louie.storage()).leasedCount(Louie.DEFAULT_QUEUE) == 0);
        assertThat(total.isDone()).isFalse();
        clock.advance(Chords.FIRST_CHECK.plusSeconds(1));
        assertThat(total.get(WAIT)).isEqualTo(6);
        await().atMost(WAIT).until(() -> StorageInspection.of(louie.storage()).scheduleSize(Louie.DEFAULT_QUEUE) == 0
                && StorageInspection.of(louie.storage()).queueSize(Louie.DEFAULT_QUEUE) == 0);
    }

    @Test
    void aChordCheckAfterTheCallbackFiredEndsQuietly() {
        ManualClock clock = new ManualClock(Instant.now());
        Louie louie = louie(new MemoryStorage(clock), clock);
        consumer(louie, 1);
        Result<Integer> total = louie.chord(List.of(louie.call(SampleTasks::twice, 5)), SampleTasks::total);
        assertThat(total.get(WAIT)).isEqualTo(10);
        assertThat(StorageInspection.of(louie.storage()).scheduleSize(Louie.DEFAULT_QUEUE)).as("the check waits").isEqualTo(1);
        clock.advance(Chords.FIRST_CHECK.plusSeconds(1));
        await().atMost(WAIT).until(() -> StorageInspection.of(louie.storage()).scheduleSize(Louie.DEFAULT_QUEUE) == 0
                && StorageInspection.of(louie.storage()).queueSize(Louie.DEFAULT_QUEUE) == 0 && StorageInspection.of(louie.storage()).leasedCount(Louie.DEFAULT_QUEUE) == 0);
        assertThat(signalsOf(total.id())).filteredOn(s -> s == Signal.EXECUTING).hasSize(1);
    }

    public static class GatedTasks {
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch nowRan = new CountDownLatch(1);

        @Task
        public int now(int x) {
            nowRan.countDown();
            return x;
        }

        @Task
        public int later(int x) throws InterruptedException {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
            return x;
        }

        @Task
        public int sum(List<Integer> values) {
            return values.stream().mapToInt(Integer::intValue).sum();
        }
    }
}
