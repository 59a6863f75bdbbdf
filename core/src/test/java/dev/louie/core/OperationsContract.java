package dev.louie.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.louie.core.storage.Lease;
import dev.louie.core.storage.Storage;
import dev.louie.core.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Operations} end to end on a backend: a backend's test extends it with a factory, as it
 * does the storage conformance suite. Tasks run on real consumers; time is a {@link ManualClock}
 * that the Louie and the storage share.
 */
public abstract class OperationsContract {
    /** Generous: the machine running the tests may be loaded. */
    protected static final Duration WAIT = Duration.ofSeconds(30);
    protected static final String Q = "ops";

    protected final ManualClock clock = new ManualClock(Instant.parse("2031-03-01T10:00:00Z"));
    protected final OpsTasks tasks = new OpsTasks();
    protected Louie louie;
    protected Operations ops;

    /** A storage on a clean store, on {@code clock}. */
    protected abstract Storage createStorage(Clock clock) throws Exception;

    /** The tasks of these tests. */
    public static final class OpsTasks {
        /** Opened by the test to let {@link #hold} finish. */
        public final CountDownLatch gate = new CountDownLatch(1);

        /** Returns a greeting. */
        @Task(name = "greet", queue = Q)
        public String greet(String name) {
            return "hello " + name;
        }

        /** Waits for the gate. */
        @Task(name = "hold", queue = Q)
        public String hold(String key) throws InterruptedException {
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
            return "held " + key;
        }
    }

    @BeforeEach
    void build() throws Exception {
        Storage storage = createStorage(clock);
        storage.flush();
        louie = Louie.builder("ops-test").storage(storage).clock(clock).register(tasks).build();
        ops = louie.operations();
    }

    @AfterEach
    void close() {
        tasks.gate.countDown();
        if (louie != null) {
            louie.close();
        }
    }

    private Consumer consumer() {
        return louie.consumer().workers(2).queues(Q).periodic(false).heartbeatInterval(Duration.ofHours(1))
                .pollInterval(Duration.ofMillis(20)).gracePeriod(Duration.ofSeconds(5)).start();
    }

    /** Takes the next message off the queue and dead-letters it, as a consumer does with a poison message. */
    private String deadLetterNext(String reason) {
        Lease lease = louie.storage().dequeue(Q, 1, Duration.ofSeconds(30)).get(0);
        assertThat(louie.storage().deadLetter(lease, reason)).isTrue();
        return lease.id();
    }

    @Test
    void pendingAndScheduledTasksAreListedWithTheirTaskAndTimes() {
        Instant enqueued = clock.instant();
        Result<String> now = louie.enqueue(OpsTasks::greet, "ann");
        clock.advance(Duration.ofSeconds(1));
        Result<String> later = louie.call(OpsTasks::greet, "ben").delay(Duration.ofMinutes(10)).enqueue();

        List<QueuedTask> pending = ops.pending(Q, 0, 10);
        assertThat(pending).extracting(QueuedTask::id).containsExactly(now.id());
        assertThat(pending.get(0).task()).isEqualTo("greet");
        assertThat(pending.get(0).state()).isEqualTo(TaskState.PENDING);
        assertThat(pending.get(0).enqueuedAt().toEpochMilli()).isEqualTo(enqueued.toEpochMilli());
        assertThat(pending.get(0).deliveries()).isZero();

        List<QueuedTask> scheduled = ops.scheduled(Q, 0, 10);
        assertThat(scheduled).extracting(QueuedTask::id).containsExactly(later.id());
        assertThat(scheduled.get(0).eta().toEpochMilli()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)).toEpochMilli());

        assertThat(ops.state(now.id())).isEqualTo(TaskState.PENDING);
        assertThat(ops.state(later.id())).isEqualTo(TaskState.SCHEDULED);
        assertThat(ops.state("no-such-id")).isEqualTo(TaskState.UNKNOWN);
        assertThat(ops.queues()).containsExactly(new QueueSummary(Q, 1, 1, 0, 0));

        later.revoke();
        assertThat(ops.state(later.id())).isEqualTo(TaskState.REVOKED);
        assertThat(ops.delete(now.id())).isTrue();
        assertThat(ops.delete(now.id())).isFalse();
        assertThat(ops.state(now.id())).isEqualTo(TaskState.UNKNOWN);
        assertThat(ops.pending(Q, 0, 10)).isEmpty();
    }

    @Test
    void aRequeuedDeadLetterRunsToItsResult() {
        Result<String> r = louie.enqueue(OpsTasks::greet, "bob");
        deadLetterNext("poison: the deploy broke it");
        assertThat(ops.state(r.id())).isEqualTo(TaskState.DEAD);
        List<DeadLetteredTask> dead = ops.deadLetters(Q, 0, 10);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).id()).isEqualTo(r.id());
        assertThat(dead.get(0).task()).isEqualTo("greet");
        assertThat(dead.get(0).reason()).isEqualTo("poison: the deploy broke it");
        assertThat(dead.get(0).deliveries()).isEqualTo(1);

        assertThat(ops.requeue(Q, r.id())).isTrue();
        assertThat(ops.requeue(Q, r.id())).as("requeued once only").isFalse();
        assertThat(ops.deadLetters(Q, 0, 10)).isEmpty();
        assertThat(ops.state(r.id())).isEqualTo(TaskState.PENDING);
        try (Consumer consumer = consumer()) {
            assertThat(r.get(WAIT)).isEqualTo("hello bob");
        }
        assertThat(ops.state(r.id())).isEqualTo(TaskState.DONE);
    }

    @Test
    void requeueAllMovesEveryDeadLetterAndPurgeDeletesThem() {
        for (int i = 0; i < 5; i++) {
            louie.enqueue(OpsTasks::greet, "n" + i);
            deadLetterNext("bad " + i);
        }
        assertThat(ops.queues()).containsExactly(new QueueSummary(Q, 0, 0, 0, 5));
        assertThat(ops.requeue(Q, List.of(ops.deadLetters(Q, 0, 1).get(0).id(), "not-dead"))).isEqualTo(1);
        assertThat(ops.requeueAll(Q)).isEqualTo(4);
        assertThat(ops.queues()).containsExactly(new QueueSummary(Q, 5, 0, 0, 0));

        String id = deadLetterNext("again");
        deadLetterNext("again");
        assertThat(ops.deleteDeadLetter(Q, id)).isTrue();
        assertThat(ops.deleteDeadLetter(Q, id)).isFalse();
        assertThat(ops.purgeDeadLetters(Q)).isEqualTo(1);
        assertThat(ops.deadLetters(Q, 0, 10)).isEmpty();
        assertThat(ops.state(id)).isEqualTo(TaskState.UNKNOWN);
    }

    @Test
    void heartbeatsShowWhoRunsWhatAndWhoWentSilent() {
        Result<String> held = louie.enqueue(OpsTasks::hold, "k");
        Consumer consumer = consumer();
        try {
            await().atMost(WAIT).untilAsserted(() -> {
                consumer.recordHeartbeat();
                List<QueuedTask> running = ops.running(Q, 0, 10);
                assertThat(running).extracting(QueuedTask::id).containsExactly(held.id());
                assertThat(running.get(0).consumer()).isEqualTo(consumer.id());
                assertThat(running.get(0).leasedSince()).isNotNull();
                assertThat(running.get(0).deadline()).isAfter(clock.instant());
            });
            assertThat(ops.state(held.id())).isEqualTo(TaskState.RUNNING);
            List<ConsumerStatus> consumers = ops.consumers();
            assertThat(consumers).hasSize(1);
            ConsumerStatus me = consumers.get(0);
            assertThat(me.id()).isEqualTo(consumer.id());
            assertThat(me.alive()).isTrue();
            assertThat(me.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(me.workers()).isEqualTo(2);
            assertThat(me.queues()).containsExactly(Q);
            assertThat(me.running()).containsKey(held.id());

            tasks.gate.countDown();
            assertThat(held.get(WAIT)).isEqualTo("held k");
            clock.advance(Duration.ofHours(3).plusSeconds(1));
            assertThat(ops.consumers()).singleElement().satisfies(c -> assertThat(c.alive()).as("silent").isFalse());
        } finally {
            consumer.close();
        }
        assertThat(ops.consumers()).as("a stopped consumer removes its heartbeat").isEmpty();
    }
}
