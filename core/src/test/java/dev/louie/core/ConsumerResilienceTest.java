package dev.louie.core;

import dev.louie.core.storage.StorageInspection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.louie.core.storage.Completion;
import dev.louie.core.storage.MemoryStorage;
import dev.louie.core.storage.StorageException;
import dev.louie.core.testing.ForwardingStorage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The consumer under storage hiccups, rolling deploys, stuck tasks and typos. */
class ConsumerResilienceTest extends ConsumerTestBase {
    final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    final Logger consumerLog = (Logger) LoggerFactory.getLogger(Consumer.class);
    final Logger runnerLog = (Logger) LoggerFactory.getLogger(TaskRunner.class);

    @BeforeEach
    void capture() {
        appender.start();
        consumerLog.addAppender(appender);
        runnerLog.addAppender(appender);
    }

    @AfterEach
    void release() {
        consumerLog.detachAppender(appender);
        runnerLog.detachAppender(appender);
    }

    List<String> logged(Level level) {
        return appender.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aTaskNoConsumerKnowsWaitsForOneThatDoes() {
        MemoryStorage shared = new MemoryStorage();
        Louie oldVersion = Louie.builder("test").storage(shared).register(new OldTasks()).build();
        toClose.add(oldVersion);
        Louie newVersion = louie(shared, Clock.systemUTC());
        Result<String> r = newVersion.enqueue(SampleTasks::greet, "rolling");
        Consumer old = start(oldVersion.consumer().workers(1).periodic(false));
        await().atMost(WAIT).until(() -> old.stats().skipped() >= 1);
        assertThat(shared.deadLetterCount(Louie.DEFAULT_QUEUE)).isZero();
        assertThat(shared.scheduleSize(Louie.DEFAULT_QUEUE)).as("left in the schedule for later").isEqualTo(1);
        assertThat(logged(Level.WARN)).anyMatch(m -> m.contains("not registered on this consumer; leaving it"));
        old.close();
        consumer(newVersion, 1);
        assertThat(r.get(Duration.ofSeconds(15))).isEqualTo("hello rolling");
    }

    @Test
    void aStorageErrorBeforeTheRunReturnsTheMessageAtOnce() {
        AtomicInteger failures = new AtomicInteger(1);
        Louie louie = louie(new ForwardingStorage(new MemoryStorage()) {
            @Override
            public long counter(String name) {
                if (failures.getAndDecrement() > 0) {
                    throw new StorageException("connection reset while reading " + name);
                }
                return super.counter(name);
            }
        }, Clock.systemUTC());
        Result<String> r = louie.enqueue(SampleTasks::greet, "after a hiccup");
        start(louie.consumer().workers(1).periodic(false).leaseTime(Duration.ofMinutes(5)));
        assertThat(r.get(WAIT)).as("not a whole lease time later").isEqualTo("hello after a hiccup");
        assertThat(logged(Level.WARN)).anyMatch(m -> m.contains("went back to the queue"));
    }

    @Test
    void aLeaseEndedWhileBeingExtendedIsNotReportedLost() throws Exception {
        AtomicReference<Consumer> consumer = new AtomicReference<>();
        CountDownLatch stored = new CountDownLatch(3);
        Louie louie = louie(new ForwardingStorage(new MemoryStorage()) {
            @Override
            public boolean[] completeAll(List<Completion> completions) {
                boolean[] done = super.completeAll(completions);
                consumer.get().extendLeases(); // the lease keeper runs between the write and the bookkeeping
                stored.countDown();
                return done;
            }
        }, Clock.systemUTC());
        consumer.set(consumer(louie, 1));
        for (int i = 0; i < 3; i++) {
            assertThat(louie.enqueue(SampleTasks::greet, "x" + i).get(WAIT)).isEqualTo("hello x" + i);
        }
        assertThat(stored.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(logged(Level.WARN)).noneMatch(m -> m.contains("was lost before it could be extended"));
    }

    @Test
    void aLeaseReallyLostIsReportedOnce() throws Exception {
        dev.louie.core.testing.ManualClock clock = new dev.louie.core.testing.ManualClock(java.time.Instant.now());
        MemoryStorage storage = new MemoryStorage(clock);
        Louie louie = louie(storage, clock);
        tasks.gate = new CountDownLatch(1);
        Consumer c = start(louie.consumer().workers(1).periodic(false).leaseTime(Duration.ofMinutes(1)));
        louie.enqueue(SampleTasks::blocking, "held");
        await().atMost(WAIT).until(() -> storage.leasedCount(Louie.DEFAULT_QUEUE) == 1);
        clock.advance(Duration.ofMinutes(2));
        assertThat(storage.dequeue(Louie.DEFAULT_QUEUE, 1, Duration.ofMinutes(10))).hasSize(1); // another consumer took it
        c.extendLeases();
        assertThat(logged(Level.WARN)).noneMatch(m -> m.contains("was lost before it could be extended"));
        c.extendLeases();
        c.extendLeases();
        assertThat(logged(Level.WARN)).filteredOn(m -> m.contains("was lost before it could be extended")).hasSize(1);
    }

    @Test
    void retriesRunAtTheirDelayNotAtTheNextTick() {
        Louie louie = louie();
        Consumer c = louie.consumer().workers(1).periodic(false).schedulerInterval(Duration.ofMinutes(10))
                .pollInterval(Duration.ofMillis(20)).gracePeriod(Duration.ofSeconds(5)).start();
        toClose.add(0, c);
        Result<String> r = louie.call(SampleTasks::flaky, 2).retries(2, Duration.ofMillis(50)).enqueue();
        assertThat(r.get(WAIT)).isEqualTo("ok after 3");
        Result<String> later = louie.call(SampleTasks::greet, "soon").delay(Duration.ofMillis(100)).enqueue();
        assertThat(later.get(WAIT)).isEqualTo("hello soon");
    }

    @Test
    void aTaskThatIgnoresItsTimeoutIsAbandonedAndReplaced() throws Exception {
        StuckTasks stuck = new StuckTasks();
        Louie louie = Louie.builder("stuck").register(stuck).listener(events::add).build();
        toClose.add(louie);
        try {
            Consumer c = start(louie.consumer().workers(1).periodic(false).timeoutGrace(Duration.ofMillis(200)));
            Result<String> r = louie.enqueue(StuckTasks::ignoresInterrupts);
            assertThatThrownBy(() -> r.get(WAIT)).isInstanceOfSatisfying(TaskFailedException.class,
                    e -> assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT));
            assertThat(louie.enqueue(StuckTasks::quick).get(WAIT)).as("a new worker took the place").isEqualTo("quick");
            assertThat(c.stats().threadsAbandoned()).isEqualTo(1);
            assertThat(c.aliveWorkers()).isEqualTo(1);
            assertThat(signalsOf(r.id())).containsExactly(Signal.ENQUEUED, Signal.EXECUTING, Signal.TIMEOUT, Signal.ERROR);
            assertThat(logged(Level.ERROR)).anyMatch(m -> m.contains("is abandoned (Java cannot kill a thread)"));
            assertThat(StorageInspection.of(louie.storage()).leasedCount(Louie.DEFAULT_QUEUE)).isZero();
        } finally {
            stuck.release.countDown();
        }
        await().atMost(WAIT).until(() -> logged(Level.WARN).stream().anyMatch(m -> m.contains("after it was abandoned")));
    }

    @Test
    void aQueueNoTaskUsesIsNamedAtStart() {
        Louie louie = louie();
        start(louie.consumer().workers(1).periodic(false).queues("defualt"));
        assertThat(logged(Level.WARN)).anyMatch(m -> m.contains("serves queue 'defualt', which no registered task uses")
                && m.contains("[default, slow]"));
    }

    @Test
    void changingTheBuilderAfterStartChangesNothing() throws Exception {
        Louie louie = louie();
        tasks.gate = new CountDownLatch(1);
        Consumer.Builder builder = louie.consumer().workers(1).periodic(false).leaseTime(Duration.ofMinutes(5))
                .queues(Louie.DEFAULT_QUEUE).pollInterval(Duration.ofMillis(20));
        Consumer c = start(builder);
        builder.workers(4).leaseTime(Duration.ofMillis(1)).queues("slow").prefetch(1).maxDeliveries(1);
        louie.enqueue(SampleTasks::blocking, "sealed");
        await().atMost(WAIT).until(() -> StorageInspection.of(louie.storage()).leasedCount(Louie.DEFAULT_QUEUE) == 1);
        c.extendLeases();
        c.extendLeases();
        assertThat(louie.storage().dequeue(Louie.DEFAULT_QUEUE, 1, Duration.ofSeconds(1)))
                .as("the lease is still the 5 minutes the consumer started with").isEmpty();
        assertThat(c.aliveWorkers()).isEqualTo(1);
        tasks.gate.countDown();
        await().atMost(WAIT).until(() -> StorageInspection.of(louie.storage()).leasedCount(Louie.DEFAULT_QUEUE) == 0);
        assertThat(logged(Level.WARN)).noneMatch(m -> m.contains("was lost"));
    }

    /** The previous version of an app: it does not have SampleTasks.greet yet. */
    public static class OldTasks {
        @Task
        public String legacy() {
            return "legacy";
        }
    }

    public static class StuckTasks {
        final CountDownLatch release = new CountDownLatch(1);

        @Task(timeout = "100ms")
        public String ignoresInterrupts() {
            while (true) {
                try {
                    if (release.await(30, TimeUnit.SECONDS)) {
                        return "late";
                    }
                } catch (InterruptedException ignored) {
                    // a badly written task swallows its interrupt
                }
            }
        }

        @Task
        public String quick() {
            return "quick";
        }
    }
}
