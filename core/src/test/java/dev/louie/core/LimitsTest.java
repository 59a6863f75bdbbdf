package dev.louie.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.louie.core.storage.MemoryStorage;
import dev.louie.core.storage.Storage;
import dev.louie.core.testing.ForwardingStorage;
import dev.louie.core.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rate and concurrency limits through a consumer: every limited task finishes, none fails, no retry
 * is counted, and the signals say why a start waited. Runs on a {@link MemoryStorage}; a backend
 * runs it on its own storage by overriding {@link #createStorage}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public class LimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<TaskEvent> events = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    /** A new storage on a clean store, on {@code clock}. */
    protected Storage createStorage(Clock clock) throws Exception {
        return new MemoryStorage(clock);
    }

    /** Tasks with limits; each records its start (epoch ms) and attempt, and how many run at once. */
    public static class LimitedTasks {
        final Queue<Long> starts = new ConcurrentLinkedQueue<>();
        final Queue<Integer> attempts = new ConcurrentLinkedQueue<>();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();

        /** At most 20 starts per second. */
        @Task(rateLimit = "20/s")
        public int rated(int i) {
            starts.add(System.currentTimeMillis());
            attempts.add(TaskContext.current().attempt());
            return i;
        }

        /** At most 2 at once; each takes about 30 ms. */
        @Task(concurrency = 2)
        public int exclusive(int i) throws InterruptedException {
            int now = running.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(30);
            } finally {
                running.decrementAndGet();
            }
            attempts.add(TaskContext.current().attempt());
            return i;
        }

        /** No limit of its own; tests give it one at runtime or through its queue. */
        @Task(queue = "slow")
        public int plain(int i) {
            starts.add(System.currentTimeMillis());
            return i;
        }
    }

    final LimitedTasks tasks = new LimitedTasks();

    private Louie louie(Storage storage, Clock clock) {
        Louie louie = Louie.builder("limits").storage(storage).clock(clock).register(tasks).listener(events::add).build();
        toClose.add(louie);
        return louie;
    }

    private Consumer consumer(Louie louie, int workers) {
        Consumer c = louie.consumer().workers(workers).periodic(false).schedulerInterval(Duration.ofMillis(10))
                .pollInterval(Duration.ofMillis(10)).gracePeriod(Duration.ofSeconds(5)).start();
        toClose.add(0, c);
        return c;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private long count(Signal s) {
        return events.stream().filter(e -> e.signal() == s).count();
    }

    @Test
    void rateLimitedTasksAllFinishAtTheRateWithoutARetry() throws Exception {
        Louie louie = louie(createStorage(Clock.systemUTC()), Clock.systemUTC());
        Consumer consumer = consumer(louie, 4);
        List<Result<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            results.add(louie.enqueue(LimitedTasks::rated, i));
        }
        for (int i = 0; i < 30; i++) {
            assertThat(results.get(i).get(WAIT)).isEqualTo(i);
        }
        List<Long> starts = tasks.starts.stream().sorted().toList();
        assertThat(starts).hasSize(30);
        assertThat(starts.get(29) - starts.get(0)).as("20 at once, then 10 more 50 ms apart").isGreaterThanOrEqualTo(400);
        assertThat(tasks.attempts).containsOnly(0);
        assertThat(count(Signal.RATE_LIMITED)).isPositive();
        assertThat(count(Signal.RETRYING)).isZero();
        assertThat(count(Signal.ERROR)).isZero();
        assertThat(consumer.stats().failed()).isZero();
        assertThat(consumer.stats().retried()).isZero();
        // a result is visible before the consumer has counted its completion
        await().atMost(WAIT).until(() -> consumer.stats().completed() == 30);
    }

    @Test
    void concurrencyLimitedTasksNeverRunMoreThanTheirSlots() throws Exception {
        Louie louie = louie(createStorage(Clock.systemUTC()), Clock.systemUTC());
        Consumer consumer = consumer(louie, 4);
        List<Result<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            results.add(louie.enqueue(LimitedTasks::exclusive, i));
        }
        for (int i = 0; i < 12; i++) {
            assertThat(results.get(i).get(WAIT)).isEqualTo(i);
        }
        assertThat(tasks.mostAtOnce.get()).isBetween(1, 2);
        assertThat(tasks.attempts).hasSize(12).containsOnly(0);
        assertThat(count(Signal.CONCURRENCY_LIMITED)).isPositive();
        assertThat(count(Signal.RETRYING)).isZero();
        assertThat(consumer.stats().failed()).isZero();
        assertThat(consumer.stats().retried()).isZero();
    }

    @Test
    void aRefusedStartGoesBackToTheScheduleUntilTheLimitAdmitsIt() throws Exception {
        ManualClock clock = new ManualClock();
        Louie louie = louie(createStorage(clock), clock);
        louie.limits().rate("LimitedTasks.plain", "2/s");
        InlineConsumer consumer = louie.consumer().periodic(false).inline();
        List<Result<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            results.add(louie.enqueue(LimitedTasks::plain, i));
        }
        assertThat(consumer.runUntilIdle()).isEqualTo(3);
        assertThat(tasks.starts).hasSize(2);
        assertThat(count(Signal.RATE_LIMITED)).isEqualTo(1);
        assertThat(results.get(2).isDone()).isFalse();
        clock.advance(Duration.ofMillis(499));
        assertThat(consumer.runUntilIdle()).as("not due before the limit admits it").isZero();
        clock.advance(Duration.ofMillis(300));
        assertThat(consumer.runUntilIdle()).isEqualTo(1);
        assertThat(results.get(2).get(Duration.ZERO)).isEqualTo(2);
        assertThat(consumer.stats().retried()).isZero();
    }

    @Test
    void aQueueLimitAppliesToEveryTaskOfTheQueueAndCanBeRemoved() throws Exception {
        ManualClock clock = new ManualClock();
        Louie louie = louie(createStorage(clock), clock);
        louie.limits().rate("slow", "1/m");
        assertThat(louie.limits().rateOf("slow")).contains("1/m");
        InlineConsumer consumer = louie.consumer().periodic(false).inline();
        louie.enqueue(LimitedTasks::plain, 1);
        louie.enqueue(LimitedTasks::plain, 2);
        consumer.runUntilIdle();
        assertThat(tasks.starts).hasSize(1);
        assertThat(count(Signal.RATE_LIMITED)).isEqualTo(1);

        louie.limits().rate("slow", null);
        assertThat(louie.limits().rateOf("slow")).isEmpty();
        clock.advance(Duration.ofSeconds(91));
        consumer.runUntilIdle();
        assertThat(tasks.starts).as("without the limit the rescheduled one runs when due").hasSize(2);
    }

    @Test
    void runtimeConcurrencyOverridesTheAnnotation() throws Exception {
        Louie louie = louie(createStorage(Clock.systemUTC()), Clock.systemUTC());
        assertThat(louie.limits().concurrencyOf("LimitedTasks.exclusive")).isEqualTo(2);
        assertThat(louie.limits().rateOf("LimitedTasks.rated")).contains("20/s");
        louie.limits().concurrency("LimitedTasks.exclusive", 1);
        consumer(louie, 4);
        List<Result<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            results.add(louie.enqueue(LimitedTasks::exclusive, i));
        }
        for (Result<Integer> r : results) {
            r.get(WAIT);
        }
        assertThat(tasks.mostAtOnce.get()).isEqualTo(1);
        louie.limits().concurrency("LimitedTasks.exclusive", 0);
        assertThat(louie.limits().concurrencyOf("LimitedTasks.exclusive")).isZero();
    }

    @Test
    void badLimitsAreRefusedWithTheAcceptedForm() throws Exception {
        assertThatThrownBy(() -> Louie.builder("bad").register(new BadRate()).build())
                .isInstanceOf(TaskDefinitionException.class)
                .hasMessageContaining("BadRate#work").hasMessageContaining("rateLimit")
                .hasMessageContaining("N/s, N/m or N/h").hasMessageContaining("'100 per second'");
        assertThatThrownBy(() -> Louie.builder("bad").register(new BadConcurrency()).build())
                .isInstanceOf(TaskDefinitionException.class).hasMessageContaining("concurrency must be 0");
        Louie louie = louie(createStorage(Clock.systemUTC()), Clock.systemUTC());
        assertThatThrownBy(() -> louie.limits().rate("x", "0/s")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate limit of 'x'").hasMessageContaining("N/s, N/m or N/h");
        assertThatThrownBy(() -> louie.limits().concurrency("x", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> louie.limits().rate("a{b}", "1/s")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStorageWithoutLimitsRefusesThem() {
        assertThatThrownBy(() -> Louie.builder("nolimits").storage(new ForwardingStorage(new MemoryStorage()))
                .register(new LimitedTasks()).build())
                .isInstanceOf(TaskDefinitionException.class).hasMessageContaining("does not support global limits")
                .hasMessageContaining("LimitedTasks.");
        Louie plain = Louie.builder("nolimits").storage(new ForwardingStorage(new MemoryStorage())).register(new Unlimited()).build();
        toClose.add(plain);
        assertThatThrownBy(() -> plain.limits().rate("Unlimited.work", "1/s"))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("does not support global limits");
    }

    /** A task with a malformed rate limit. */
    public static class BadRate {
        /** Never registered. */
        @Task(rateLimit = "100 per second")
        public void work() {
        }
    }

    /** A task with a negative concurrency. */
    public static class BadConcurrency {
        /** Never registered. */
        @Task(concurrency = -1)
        public void work() {
        }
    }

    /** A task without limits. */
    public static class Unlimited {
        /** Runs anywhere. */
        @Task
        public void work() {
        }
    }
}
