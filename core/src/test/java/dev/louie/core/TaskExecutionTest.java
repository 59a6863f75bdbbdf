package dev.louie.core;

import dev.louie.core.storage.StorageInspection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.MemoryStorage;
import dev.louie.core.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What running a task does: results, failures, pipelines, groups, chords, hooks, locks, revocation and
 * dead letters on the step function (the test thread, a {@link ManualClock}); then what only worker threads
 * show: blocking waits, interrupts, worker death and replacement, prefetch, leases and shutdown.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaskExecutionTest extends ConsumerTestBase {
    final ManualClock clock = new ManualClock();

    // ---- on the step function --------------------------------------------------------------------

    @Test
    void typeSafeSubmissionConvertsArgumentsAndResults() {
        Louie louie = louie(clock);
        InlineConsumer consumer = inline(louie);
        Result<String> r = louie.enqueue(SampleTasks::greet, "alice");
        Result<Integer> sum = louie.enqueue(SampleTasks::add, 2, 3);
        Result<SampleTasks.Point> moved = louie.enqueue(SampleTasks::move, new SampleTasks.Point(1, 1), 4);
        Result<Integer> points = louie.enqueue(SampleTasks::sumPoints, List.of(new SampleTasks.Point(1, 2), new SampleTasks.Point(3, 4)));
        assertThat(r.isDone()).isFalse();
        assertThat(consumer.runUntilIdle()).isEqualTo(4);
        assertThat(r.get(Duration.ZERO)).isEqualTo("hello alice");
        assertThat(r.isDone()).isTrue();
        assertThat(sum.get(Duration.ZERO)).isEqualTo(5);
        assertThat(moved.get(Duration.ZERO)).isEqualTo(new SampleTasks.Point(5, 1));
        assertThat(points.get(Duration.ZERO)).isEqualTo(10);
        assertThat(signalsOf(r.id())).containsExactly(Signal.ENQUEUED, Signal.EXECUTING, Signal.COMPLETE);
    }

    @Test
    void submissionByNameConvertsArguments() {
        Louie louie = louie(clock);
        InlineConsumer consumer = inline(louie);
        Result<Object> added = louie.enqueue("add", 20, 22);
        Result<Object> moved = louie.enqueue("SampleTasks.move", Map.of("x", 1, "y", 2), 1);
        assertThat(consumer.runUntilIdle()).isEqualTo(2);
        assertThat(added.get(Duration.ZERO)).isEqualTo(42);
        assertThat(moved.get(Duration.ZERO)).isEqualTo(new SampleTasks.Point(2, 2));
        assertThat(louie.result(moved.id(), SampleTasks.Point.class).get(Duration.ZERO)).isEqualTo(new SampleTasks.Point(2, 2));
    }

    @Test
    void futureCompletesWithoutBlockingAndFailsWithTheTaskError() throws Exception {
        Louie louie = louie(clock);
        InlineConsumer consumer = inline(louie);
        CompletableFuture<String> ok = louie.enqueue(SampleTasks::greet, "bob").future();
        CompletableFuture<Integer> bad = louie.enqueue(SampleTasks::fail, "broken").future();
        assertThat(ok).isNotDone();
        assertThat(bad).isNotDone();
        assertThat(consumer.runUntilIdle()).isEqualTo(2);
        // both are complete now; only the decoding of the value hops to the common pool
        assertThat(ok.get(10, TimeUnit.SECONDS)).isEqualTo("hello bob");
        assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TaskFailedException.class)
                .hasMessageContaining("IllegalStateException: broken");
    }

    @Test
    void failedTaskCarriesClassMessageAndStack() {
        Louie louie = louie(clock);
        InlineConsumer consumer = inline(louie);
        Result<Integer> r = louie.enqueue(SampleTasks::fail, "bad input");
        assertThat(consumer.runNext()).isTrue();
        assertThatThrownBy(() -> r.get(Duration.ZERO))
                .isInstanceOfSatisfying(TaskFailedException.class, e -> {
                    assertThat(e.errorClass()).isEqualTo("java.lang.IllegalStateException");
                    assertThat(e.errorMessage()).isEqualTo("bad input");
                    assertThat(e.remoteStackTrace()).contains("SampleTasks.fail");
                    assertThat(e.taskId()).isEqualTo(r.id());
                });
        assertThat(signalsOf(r.id())).containsExactly(Signal.ENQUEUED, Signal.EXECUTING, Signal.ERROR);
        assertThat(consumer.stats().failed()).isEqualTo(1);
    }

    @Test
    void nullResultsAndTheStoreSettings() throws Exception {
        Louie louie = louie(clock);
        InlineConsumer consumer = inline(louie);
        Result<String> nothing = louie.enqueue(SampleTasks::nothing);
        Result<Void> recorded = louie.enqueue(SampleTasks::record, "k");
        assertThat(consumer.runUntilIdle()).isEqualTo(2);
        assertThat(nothing.get(Duration.ZERO)).isNull();
        assertThat(recorded.get(Duration.ZERO)).isNull();

        Louie noNulls = Louie.builder("n").storage(new MemoryStorage(clock)).clock(clock).register(new SampleTasks())
                .storeNulls(false).build();
        toClose.add(noNulls);
        Result<Void> r = noNulls.enqueue(SampleTasks::record, "k");
        assertThat(inline(noNulls).runNext()).isTrue();
        assertThat(r.get(Duration.ZERO)).as("a void task without stored nulls still ends its waiters").isNull();
        assertThat(r.future().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isNull();
        assertThat(noNulls.storage().getResult(r.id(), false)).hasValueSatisfying(v -> assertThat(v).isEmpty());

        Louie none = Louie.builder("x").storage(new MemoryStorage(clock)).clock(clock).register(new SampleTasks())
                .storeResults(false).build();
        toClose.add(none);
        Result<String> unread = none.enqueue(SampleTasks::greet, "x");
        assertThat(inline(none).runNext()).isTrue();
        assertThatThrownBy(() -> unread.get(Duration.ZERO)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("storeResults(false)");
    }

    @Test
    void takeConsumesTheStoredResult() {
        Louie louie = louie(clock);
        Result<String> r = louie.enqueue(SampleTasks::greet, "t");
        assertThat(inline(louie).runNext()).isTrue();
        assertThat(r.take(Duration.ZERO)).isEqualTo("hello t");
        assertThat(louie.storage().getResult(r.id(), false)).isEmpty();
        assertThat(r.get(Duration.ZERO)).as("the handle remembers what it took").isEqualTo("hello t");
    }

    @Test
    void higherPriorityRunsFirst() {
        Louie louie = louie(clock);
        InlineConsumer consumer = inline(louie);
        List<Result<Void>> results = new ArrayList<>();
        results.add(louie.call(SampleTasks::record, "low").priority(1).enqueue());
        results.add(louie.call(SampleTasks::record, "high").priority(9).enqueue());
        List<String> order = new ArrayList<>();
        louie.addListener(e -> {
            if (e.signal() == Signal.EXECUTING) {
                order.add(e.id());
            }
        });
        assertThat(consumer.runNext()).isTrue();
        assertThat(tasks.runs).containsOnlyKeys("high");
        assertThat(consumer.runNext()).isTrue();
        assertThat(tasks.runs).containsOnlyKeys("high", "low");
        assertThat(order).containsExactly(results.get(1).id(), results.get(0).id());
    }

    @Test
    void consumerTakesOnlyItsQueues() {
        Louie louie = louie(clock);
        Result<String> slow = louie.enqueue(SampleTasks::inSlowQueue, "x");
        Result<String> fast = louie.enqueue(SampleTasks::greet, "y");
        assertThat(louie.consumer().periodic(false).queues("default").inline().runUntilIdle()).isEqualTo(1);
        assertThat(fast.get(Duration.ZERO)).isEqualTo("hello y");
        assertThat(slow.isDone()).isFalse();
        assertThat(StorageInspection.of(louie.storage()).queueSize("slow")).isEqualTo(1);
        assertThat(louie.consumer().periodic(false).queues("slow").inline().runUntilIdle()).isEqualTo(1);
        assertThat(slow.get(Duration.ZERO)).isEqualTo("slow x");
    }

    @Test
    void mapAndGroupReturnResultsInCallOrderWhateverOrderTheyRunIn() throws Exception {
        Louie louie = louie(clock);
        InlineConsumer consumer = inline(louie);
        ResultGroup<Integer> doubled = louie.map(SampleTasks::twice, List.of(1, 2, 3, 4, 5));
        assertThat(doubled.size()).isEqualTo(5);
        assertThat(consumer.runUntilIdle()).isEqualTo(5);
        assertThat(doubled.get(Duration.ZERO)).containsExactly(2, 4, 6, 8, 10);
        ResultGroup<Integer> sums = louie.group(List.of(louie.call(SampleTasks::plus, 1, 1).priority(1),
                louie.call(SampleTasks::plus, 2, 2).priority(9)));
        assertThat(consumer.runNext()).isTrue();
        assertThat(sums.results().get(1).isDone()).as("the second call runs first").isTrue();
        assertThat(sums.results().get(0).isDone()).isFalse();
        assertThat(consumer.runNext()).isTrue();
        assertThat(sums.future().get(10, TimeUnit.SECONDS)).containsExactly(2, 4);
    }

    @Test
    void pipelinePassesEachResultOn() {
        Louie louie = louie(clock);
        InlineConsumer consumer = inline(louie);
        Result<Integer> r = louie.call(SampleTasks::plus, 1, 2).then(SampleTasks::twice).then(SampleTasks::plus, 10).enqueue();
        assertThat(consumer.runNext()).isTrue();
        assertThat(consumer.runNext()).isTrue();
        assertThat(r.isDone()).as("two of three stages ran").isFalse();
        assertThat(consumer.runNext()).isTrue();
        assertThat(consumer.runNext()).isFalse();
        assertThat(r.get(Duration.ZERO)).isEqualTo(16);
    }

    @Test
    void pipelineFailureStopsLaterStagesAndRunsTheErrorCallback() {
        Louie louie = louie(clock);
        Result<Integer> r = louie.call(SampleTasks::fail, "stage one").then(SampleTasks::twice)
                .onError(SampleTasks::onError).enqueue();
        assertThat(inline(louie).runUntilIdle()).as("the failing stage and the error callback").isEqualTo(2);
        assertThatThrownBy(() -> r.get(Duration.ZERO)).isInstanceOfSatisfying(TaskFailedException.class,
                e -> assertThat(e.errorMessage()).isEqualTo("stage one"));
        assertThat(events).noneMatch(e -> e.task().equals("SampleTasks.twice") && e.signal() == Signal.EXECUTING);
        assertThat(tasks.errors).hasSize(1);
        TaskError error = tasks.errors.get(0);
        assertThat(error.task()).isEqualTo("SampleTasks.fail");
        assertThat(error.errorClass()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.message()).isEqualTo("stage one");
    }

    @Test
    void chordRunsTheCallbackWithAllResultsOnceTheLastMemberIsDone() {
        Louie louie = louie(clock);
        InlineConsumer consumer = inline(louie);
        Result<Integer> total = louie.chord(
                List.of(louie.call(SampleTasks::twice, 1), louie.call(SampleTasks::twice, 2), louie.call(SampleTasks::twice, 3)),
                SampleTasks::total);
        assertThat(consumer.runNext()).isTrue();
        assertThat(consumer.runNext()).isTrue();
        assertThat(StorageInspection.of(louie.storage()).queueSize(Louie.DEFAULT_QUEUE)).as("the last member; no callback yet").isEqualTo(1);
        assertThat(consumer.runNext()).isTrue();
        assertThat(total.isDone()).isFalse();
        assertThat(consumer.runNext()).as("the callback").isTrue();
        assertThat(total.get(Duration.ZERO)).isEqualTo(12);
        assertThat(consumer.runNext()).isFalse();
        // the chord's check, scheduled with it, finds the callback done and ends
        assertThat(StorageInspection.of(louie.storage()).scheduleSize(Louie.DEFAULT_QUEUE)).isEqualTo(1);
        clock.advance(Chords.FIRST_CHECK);
        assertThat(consumer.runUntilIdle()).isEqualTo(1);
        assertThat(StorageInspection.of(louie.storage()).scheduleSize(Louie.DEFAULT_QUEUE)).isZero();
        assertThat(events).filteredOn(e -> e.task().equals("SampleTasks.total") && e.signal() == Signal.EXECUTING).hasSize(1);
    }

    @Test
    void chordWithAFailedMemberFailsTheCallbackResult() {
        Louie louie = louie(clock);
        Result<Integer> total = louie.chord(
                List.of(louie.call(SampleTasks::twice, 1), louie.call(SampleTasks::fail, "member")), SampleTasks::total);
        assertThat(inline(louie).runUntilIdle()).as("the members only").isEqualTo(2);
        assertThatThrownBy(() -> total.get(Duration.ZERO)).isInstanceOf(TaskFailedException.class).hasMessageContaining("member");
        assertThat(events).noneMatch(e -> e.task().equals("SampleTasks.total") && e.signal() == Signal.EXECUTING);
    }

    @Test
    void preExecuteHookCanCancelAndPostHookSeesTheOutcome() {
        List<TaskEvent> post = new ArrayList<>();
        Louie louie = Louie.builder("hooks").storage(new MemoryStorage(clock)).clock(clock).register(tasks).listener(events::add)
                .preExecute(e -> {
                    if (e.task().equals("add")) {
                        throw new CancelExecution("no adding today");
                    }
                })
                .postExecute(post::add)
                .build();
        toClose.add(louie);
        InlineConsumer consumer = inline(louie);
        Result<Integer> canceled = louie.enqueue(SampleTasks::add, 1, 2);
        assertThat(consumer.runNext()).isTrue();
        assertThatThrownBy(() -> canceled.get(Duration.ZERO)).isInstanceOfSatisfying(TaskFailedException.class,
                e -> assertThat(e.errorClass()).isEqualTo(CancelExecution.class.getName()));
        assertThat(signalsOf(canceled.id())).contains(Signal.CANCELED).doesNotContain(Signal.EXECUTING);
        Result<String> ok = louie.enqueue(SampleTasks::greet, "p");
        assertThat(consumer.runNext()).isTrue();
        assertThat(ok.get(Duration.ZERO)).isEqualTo("hello p");
        assertThat(post).extracting(TaskEvent::id, TaskEvent::signal)
                .as("a canceled task runs no post hook").containsExactly(tuple(ok.id(), Signal.COMPLETE));
    }

    @Test
    void aLockHeldByAnotherOwnerFailsTheTaskWithLocked() {
        Louie louie = louie(clock);
        InlineConsumer consumer = inline(louie);
        TaskLock held = louie.lock("single", Duration.ofMinutes(1));
        Result<String> second = louie.enqueue(SampleTasks::exclusive, "second");
        assertThat(consumer.runNext()).isTrue();
        assertThatThrownBy(() -> second.get(Duration.ZERO)).isInstanceOfSatisfying(TaskFailedException.class, e -> {
            assertThat(e.kind()).isEqualTo(FailureKind.LOCKED);
            assertThat(e.errorClass()).isEqualTo(TaskLockedException.class.getName());
        });
        assertThat(signalsOf(second.id())).contains(Signal.LOCKED).doesNotContain(Signal.EXECUTING);
        assertThat(tasks.runs).doesNotContainKey("second");
        held.close();
        Result<String> third = louie.enqueue(SampleTasks::exclusive, "third");
        assertThat(consumer.runNext()).isTrue();
        assertThat(third.get(Duration.ZERO)).isEqualTo("passed third");
        louie.lock("single", Duration.ofMinutes(1)).close(); // the task released its lock
    }

    @Test
    void lockAsTryWithResources() {
        Louie louie = louie();
        try (TaskLock lock = louie.lock("report", Duration.ofMinutes(1))) {
            assertThat(lock.name()).isEqualTo("report");
            assertThatThrownBy(() -> louie.lock("report", Duration.ofMinutes(1)))
                    .isInstanceOf(TaskLockedException.class).hasMessageContaining("lock 'report' is held");
        }
        louie.lock("report", Duration.ofMinutes(1)).close();
    }

    /** However the task notices its timeout, the outcome is one: the TIMEOUT signal, then ERROR, and the same failure. */
    private void assertTimedOut(Result<?> r, String timeout) {
        assertThatThrownBy(() -> r.get(WAIT)).isInstanceOfSatisfying(TaskFailedException.class, e -> {
            assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(e.errorClass()).isEqualTo(TaskTimeoutException.class.getName());
            assertThat(e.errorMessage()).endsWith(" [" + r.id() + "] ran past its timeout of " + timeout);
        });
        assertThat(signalsOf(r.id())).containsExactly(Signal.ENQUEUED, Signal.EXECUTING, Signal.TIMEOUT, Signal.ERROR);
    }

    @Test
    void cooperativeTimeoutFailsTheTask() {
        // each reading of the Louie's clock moves it 10 ms: the task's own checks take it past its 100 ms timeout
        Clock ticking = new Clock() {
            @Override
            public Instant instant() {
                clock.advance(Duration.ofMillis(10));
                return clock.instant();
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
        Louie louie = louie(new MemoryStorage(clock), ticking);
        Result<String> r = louie.enqueue(SampleTasks::cooperative);
        assertThat(inline(louie).runNext()).isTrue();
        assertTimedOut(r, "PT0.1S");
    }

    @Test
    void revokeByHandleAndRestore() {
        Louie louie = louie(clock);
        Result<Void> revoked = louie.enqueue(SampleTasks::record, "revoked");
        revoked.revoke();
        Result<Void> restored = louie.enqueue(SampleTasks::record, "restored");
        restored.revoke();
        assertThat(restored.restore()).isTrue();
        InlineConsumer consumer = inline(louie);
        assertThat(consumer.runUntilIdle()).isEqualTo(2);
        assertThatThrownBy(() -> revoked.get(Duration.ZERO)).isInstanceOfSatisfying(TaskFailedException.class,
                e -> assertThat(e.kind()).isEqualTo(FailureKind.REVOKED));
        restored.get(Duration.ZERO);
        assertThat(tasks.runs).containsOnlyKeys("restored");
        assertThat(signalsOf(revoked.id())).contains(Signal.REVOKED).doesNotContain(Signal.EXECUTING);
        assertThat(consumer.stats().skipped()).isEqualTo(1);
    }

    @Test
    void revokeByTaskTypeOnceAndUntilRestored() {
        Louie louie = louie(clock);
        InlineConsumer consumer = inline(louie);
        louie.revoke("SampleTasks.greet", null, true);
        Result<String> a = louie.enqueue(SampleTasks::greet, "a");
        consumer.runNext();
        assertThatThrownBy(() -> a.get(Duration.ZERO)).isInstanceOf(TaskFailedException.class);
        Result<String> b = louie.enqueue(SampleTasks::greet, "b");
        consumer.runNext();
        assertThat(b.get(Duration.ZERO)).as("a one-time revocation skips one task").isEqualTo("hello b");
        louie.revoke("add", null, false);
        for (int i = 0; i < 2; i++) {
            Result<Integer> skipped = louie.enqueue(SampleTasks::add, 1, 1);
            consumer.runNext();
            assertThatThrownBy(() -> skipped.get(Duration.ZERO)).isInstanceOf(TaskFailedException.class);
        }
        assertThat(louie.restore("add")).isTrue();
        Result<Integer> added = louie.enqueue(SampleTasks::add, 1, 1);
        consumer.runNext();
        assertThat(added.get(Duration.ZERO)).isEqualTo(2);
    }

    @Test
    void revocationFromAnotherLouieOnTheSameStorageIsSeen() {
        MemoryStorage storage = new MemoryStorage(clock);
        Louie running = louie(storage, clock);
        Louie other = louie(storage, clock);
        InlineConsumer consumer = inline(running);
        Result<String> before = running.enqueue(SampleTasks::greet, "before");
        consumer.runNext();
        assertThat(before.get(Duration.ZERO)).isEqualTo("hello before");
        assertThat(running.revocations().mayBeInForce()).isFalse();
        other.revoke("SampleTasks.greet", null, false);
        // the in-force hint is refreshed every 50 ms of System.nanoTime, not of the injected clock: a bounded wait
        await().atMost(WAIT).until(() -> running.revocations().mayBeInForce());
        Result<String> during = other.enqueue(SampleTasks::greet, "during");
        consumer.runNext();
        assertThatThrownBy(() -> during.get(Duration.ZERO)).isInstanceOf(TaskFailedException.class);
        assertThat(other.restore("SampleTasks.greet")).isTrue();
        await().atMost(WAIT).until(() -> !running.revocations().mayBeInForce());
        Result<String> after = other.enqueue(SampleTasks::greet, "after");
        consumer.runNext();
        assertThat(after.get(Duration.ZERO)).isEqualTo("hello after");
    }

    @Test
    void undecodableMessageIsDeadLetteredAndTheConsumerKeepsRunning() {
        Louie louie = louie(clock);
        InlineConsumer consumer = inline(louie);
        louie.storage().enqueue(Louie.DEFAULT_QUEUE, Envelope.of("junk", 0, "{not json".getBytes(StandardCharsets.UTF_8)));
        louie.storage().enqueue(Louie.DEFAULT_QUEUE, Envelope.of("ghost", 0,
                "{\"id\":\"ghost\",\"task\":\"missing.task\",\"args\":[]}".getBytes(StandardCharsets.UTF_8)));
        Result<String> r = louie.enqueue(SampleTasks::greet, "still here");
        assertThat(consumer.runUntilIdle()).isEqualTo(3);
        assertThat(r.get(Duration.ZERO)).isEqualTo("hello still here");
        assertThat(StorageInspection.of(louie.storage()).deadLetterCount(Louie.DEFAULT_QUEUE)).isEqualTo(2);
        assertThat(StorageInspection.of(louie.storage()).deadLetters(Louie.DEFAULT_QUEUE, 10))
                .anySatisfy(d -> assertThat(d.reason()).startsWith("cannot decode message"))
                .anySatisfy(d -> assertThat(d.reason()).contains("unknown task 'missing.task'"));
        assertThatThrownBy(() -> louie.result("ghost").get(Duration.ZERO)).isInstanceOf(TaskFailedException.class);
        assertThatThrownBy(() -> louie.result("junk").get(Duration.ZERO)).isInstanceOfSatisfying(TaskFailedException.class,
                e -> assertThat(e.kind()).isEqualTo(FailureKind.DEAD_LETTER));
        assertThat(consumer.stats().deadLettered()).isEqualTo(2);
        assertThat(consumer.stats().completed()).isEqualTo(1);
    }

    @Test
    void everyDeadLetterIsSignaledWithItsTaskWhenTheMessageSaysIt() {
        Louie louie = louie(clock);
        InlineConsumer consumer = inline(louie);
        louie.storage().enqueue(Louie.DEFAULT_QUEUE, Envelope.of("junk", 0, "{not json".getBytes(StandardCharsets.UTF_8)));
        Result<Object> misfit = louie.enqueue("add", "one", "two");
        assertThat(consumer.runUntilIdle()).isEqualTo(2);
        assertThat(events).filteredOn(e -> e.signal() == Signal.DEAD_LETTERED)
                .extracting(TaskEvent::id, TaskEvent::task, TaskEvent::queue)
                .containsExactlyInAnyOrder(tuple("junk", null, Louie.DEFAULT_QUEUE), tuple(misfit.id(), "add", Louie.DEFAULT_QUEUE));
        assertThat(signalsOf(misfit.id())).containsExactly(Signal.ENQUEUED, Signal.DEAD_LETTERED);
    }

    @Test
    void executingCarriesTheQueueWaitSinceEnqueueOrEta() {
        Louie louie = louie(clock);
        InlineConsumer consumer = inline(louie);
        Result<String> now = louie.enqueue(SampleTasks::greet, "now");
        Result<String> later = louie.call(SampleTasks::greet, "later").delay(Duration.ofSeconds(10)).enqueue();
        clock.advance(Duration.ofSeconds(3));
        assertThat(consumer.runUntilIdle()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(12));
        assertThat(consumer.runUntilIdle()).isEqualTo(1);
        assertThat(events).filteredOn(e -> e.signal() == Signal.EXECUTING)
                .extracting(TaskEvent::id, TaskEvent::queueWait)
                .containsExactly(tuple(now.id(), Duration.ofSeconds(3)), tuple(later.id(), Duration.ofSeconds(5)));
        assertThat(events).filteredOn(e -> e.signal() != Signal.EXECUTING).extracting(TaskEvent::queueWait).containsOnlyNulls();
    }

    @Test
    void argumentsThatDoNotFitAreDeadLetteredWithAFailedResult() {
        Louie louie = louie(clock);
        Result<Object> r = louie.enqueue("add", "one", "two");
        assertThat(inline(louie).runNext()).isTrue();
        assertThatThrownBy(() -> r.get(Duration.ZERO)).isInstanceOf(TaskFailedException.class);
        assertThat(StorageInspection.of(louie.storage()).deadLetters(Louie.DEFAULT_QUEUE, 10))
                .singleElement().satisfies(d -> assertThat(d.reason()).contains("arguments do not fit task add"));
    }

    @Test
    void aMessageThatKillsItsWorkerIsRedeliveredAtLeaseExpiryThenDeadLetteredAtTheDeliveryLimit() {
        Louie louie = louie(clock);
        InlineConsumer consumer = louie.consumer().periodic(false).leaseTime(Duration.ofSeconds(30)).maxDeliveries(2).inline();
        Result<Void> r = louie.enqueue(SampleTasks::crashWorker);
        // the fatal error leaves the step as it leaves a worker's loop: the lease stays unacknowledged
        assertThatThrownBy(consumer::runNext).isInstanceOf(SampleTasks.SimulatedCrash.class);
        clock.advance(Duration.ofSeconds(29));
        assertThat(consumer.runNext()).as("leased until its lease expires").isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(consumer::runNext).as("the second delivery").isInstanceOf(SampleTasks.SimulatedCrash.class);
        clock.advance(Duration.ofSeconds(30));
        assertThat(consumer.runNext()).as("the third delivery is over the limit").isTrue();
        assertThat(StorageInspection.of(louie.storage()).deadLetters(Louie.DEFAULT_QUEUE, 10)).singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("delivery limit reached: delivered 2 times (limit 2)"));
        assertThatThrownBy(() -> r.get(Duration.ZERO)).isInstanceOfSatisfying(TaskFailedException.class,
                e -> assertThat(e.kind()).isEqualTo(FailureKind.DEAD_LETTER));
        assertThat(signalsOf(r.id())).containsExactly(Signal.ENQUEUED, Signal.EXECUTING, Signal.EXECUTING, Signal.DEAD_LETTERED);
        assertThat(consumer.stats().deadLettered()).isEqualTo(1);
    }

    // ---- on worker threads ------------------------------------------------------------------------

    @Test
    void blockingGetWakesWhenAWorkerThreadStoresTheResult() {
        // threaded: get parks this thread until another thread stores the result
        Louie louie = louie();
        consumer(louie, 2);
        Result<String> r = louie.enqueue(SampleTasks::greet, "alice");
        assertThat(r.get(WAIT)).isEqualTo("hello alice");
        assertThat(r.isDone()).isTrue();
        assertThat(signalsOf(r.id())).containsExactly(Signal.ENQUEUED, Signal.EXECUTING, Signal.COMPLETE);
    }

    @Test
    void getTimesOutWhenNothingRunsIt() {
        // no consumer: the bounded wait of get itself, in real time
        Louie louie = louie();
        Result<String> r = louie.enqueue(SampleTasks::greet, "nobody");
        assertThatThrownBy(() -> r.get(Duration.ofMillis(50)))
                .isInstanceOf(ResultTimeoutException.class).hasMessageContaining("not ready within");
        assertThat(r.isDone()).isFalse();
    }

    @Test
    void aRunningTasksLockFailsTheSameTaskOnASecondWorker() {
        // threaded: two workers at once, one holding the lock while its task runs
        Louie louie = louie();
        tasks.gate = new CountDownLatch(1);
        consumer(louie, 2);
        Result<String> first = louie.enqueue(SampleTasks::exclusive, "first");
        await().atMost(WAIT).until(() -> tasks.runs.containsKey("first"));
        Result<String> second = louie.enqueue(SampleTasks::exclusive, "second");
        assertThatThrownBy(() -> second.get(WAIT)).isInstanceOfSatisfying(TaskFailedException.class,
                e -> assertThat(e.errorClass()).isEqualTo(TaskLockedException.class.getName()));
        assertThat(signalsOf(second.id())).contains(Signal.LOCKED);
        tasks.gate.countDown();
        assertThat(first.get(WAIT)).isEqualTo("passed first");
        assertThat(louie.enqueue(SampleTasks::exclusive, "third").get(WAIT)).isEqualTo("passed third");
    }

    @Test
    void hardTimeoutInterruptsTheWorker() {
        // threaded: the consumer's timer interrupts a worker blocked in sleep
        Louie louie = louie();
        Consumer c = consumer(louie, 1);
        Result<String> r = louie.enqueue(SampleTasks::sleeper);
        assertTimedOut(r, "PT0.2S");
        assertThat(louie.enqueue(SampleTasks::greet, "after").get(WAIT)).isEqualTo("hello after");
        assertThat(c.aliveWorkers()).isEqualTo(1);
    }

    @Test
    void workersAreReplacedAfterMaxTasks() {
        // threaded: worker replacement
        Louie louie = louie();
        Consumer c = start(louie.consumer().workers(2).maxTasksPerWorker(3).periodic(false).healthCheckInterval(Duration.ofMillis(20)));
        ResultGroup<Integer> all = louie.map(SampleTasks::twice, List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14));
        assertThat(all.get(WAIT)).hasSize(14);
        await().atMost(WAIT).untilAsserted(() -> assertThat(c.stats().completed()).as(c.stats() + " " + events).isEqualTo(14));
        await().atMost(WAIT).until(() -> c.stats().workersReplaced() >= 2);
    }

    @Test
    void aDeadWorkerIsReplacedAndItsMessageEndsInDeadLetterAfterTheDeliveryLimit() {
        // threaded: a worker thread dies and the health check replaces it
        Louie louie = louie();
        Consumer c = start(louie.consumer().workers(1).leaseTime(Duration.ofMillis(200)).maxDeliveries(2)
                .healthCheckInterval(Duration.ofMillis(20)));
        louie.enqueue(SampleTasks::crashWorker);
        await().atMost(WAIT).until(() -> StorageInspection.of(louie.storage()).deadLetterCount(Louie.DEFAULT_QUEUE) == 1);
        assertThat(StorageInspection.of(louie.storage()).deadLetters(Louie.DEFAULT_QUEUE, 1).get(0).reason()).contains("delivery limit");
        assertThat(c.stats().workersReplaced()).isGreaterThanOrEqualTo(2);
        assertThat(louie.enqueue(SampleTasks::greet, "survivor").get(WAIT)).isEqualTo("hello survivor");
        assertThat(c.aliveWorkers()).isEqualTo(1);
    }

    @Test
    void workersCanRunOnVirtualThreads() {
        // threaded: the kind of thread workers run on
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21+");
        Louie louie = louie();
        List<Boolean> virtual = new java.util.concurrent.CopyOnWriteArrayList<>();
        start(louie.consumer().workers(2).periodic(false).virtualThreads().onWorkerStart(() -> {
            try {
                virtual.add((Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread()));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }));
        assertThat(louie.enqueue(SampleTasks::greet, "loom").get(WAIT)).isEqualTo("hello loom");
        await().atMost(WAIT).until(() -> virtual.size() == 2);
        assertThat(virtual).containsOnly(true);
    }

    @Test
    void workerHooksRunOnEachWorkerThread() {
        // threaded: hooks of worker threads
        Louie louie = louie();
        List<String> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> stopped = new java.util.concurrent.CopyOnWriteArrayList<>();
        Consumer c = start(louie.consumer().workers(3)
                .onWorkerStart(() -> started.add(Thread.currentThread().getName()))
                .onWorkerStop(() -> stopped.add(Thread.currentThread().getName())));
        await().atMost(WAIT).until(() -> started.size() == 3);
        assertThat(started).allMatch(name -> name.startsWith("louie-worker-"));
        c.close();
        assertThat(stopped).containsExactlyInAnyOrderElementsOf(started);
    }

    @Test
    void aLongTaskDoesNotHoldTheMessagesPrefetchedWithIt() {
        // threaded: prefetched batches shared among workers while one task blocks
        MemoryStorage storage = new MemoryStorage();
        Louie louie = louie(storage, Clock.systemUTC());
        tasks.gate = new CountDownLatch(1);
        start(louie.consumer().workers(2).prefetch(16).periodic(false));
        // short tasks make the workers take bigger batches
        assertThat(louie.map(SampleTasks::twice, java.util.stream.IntStream.range(0, 200).boxed().toList()).get(WAIT)).hasSize(200);
        ResultGroup<String> batch = louie.group(List.of(
                louie.call(SampleTasks::blocking, "long"),
                louie.call(SampleTasks::greet, "a"), louie.call(SampleTasks::greet, "b"), louie.call(SampleTasks::greet, "c"),
                louie.call(SampleTasks::greet, "d"), louie.call(SampleTasks::greet, "e"), louie.call(SampleTasks::greet, "f")));
        // every short task completes while the long one still blocks, whichever worker took them
        for (Result<String> r : batch.results().subList(1, 7)) {
            assertThat(r.get(WAIT)).startsWith("hello");
        }
        assertThat(batch.results().get(0).isDone()).isFalse();
        tasks.gate.countDown();
        assertThat(batch.results().get(0).get(WAIT)).isEqualTo("passed long");
        assertThat(tasks.runs.get("long").get()).isEqualTo(1);
    }

    @Test
    void completionsCanBeStoredOneByOne() {
        // threaded: batched completion is the worker's; the step function always stores one by one
        Louie louie = louie();
        Consumer c = start(louie.consumer().workers(2).periodic(false).batchCompletions(false));
        assertThat(louie.map(SampleTasks::twice, List.of(1, 2, 3)).get(WAIT)).containsExactly(2, 4, 6);
        await().atMost(WAIT).until(() -> c.stats().completed() == 3);
    }

    @Test
    void leasesOfRunningTasksAreExtended() {
        // threaded: the lease keeper extends leases while a worker runs the task
        Louie louie = louie();
        tasks.gate = new CountDownLatch(1);
        start(louie.consumer().workers(2).leaseTime(Duration.ofMillis(150)));
        Result<String> r = louie.enqueue(SampleTasks::blocking, "long");
        await().atMost(WAIT).until(() -> tasks.runs.containsKey("long"));
        // several lease lengths pass while it runs; a lost lease would let the second worker run it again
        await().pollDelay(Duration.ofMillis(600)).atMost(WAIT).until(() -> true);
        assertThat(tasks.runs.get("long").get()).isEqualTo(1);
        tasks.gate.countDown();
        assertThat(r.get(WAIT)).isEqualTo("passed long");
        assertThat(tasks.runs.get("long").get()).isEqualTo(1);
    }

    @Test
    void shutdownReturnsUnfinishedTasksToTheQueue() {
        // threaded: shutdown interrupts a running worker after the grace period
        MemoryStorage storage = new MemoryStorage();
        Louie louie = louie(storage, Clock.systemUTC());
        tasks.gate = new CountDownLatch(1);
        Consumer c = consumer(louie, 1);
        Result<String> r = louie.enqueue(SampleTasks::blocking, "stuck");
        await().atMost(WAIT).until(() -> tasks.runs.containsKey("stuck"));
        assertThat(c.stop(Duration.ofMillis(50))).isFalse();
        assertThat(storage.leasedCount(Louie.DEFAULT_QUEUE)).isZero();
        assertThat(storage.queueSize(Louie.DEFAULT_QUEUE)).isEqualTo(1);
        assertThat(signalsOf(r.id())).contains(Signal.INTERRUPTED);
        tasks.gate.countDown();
        consumer(louie, 1);
        assertThat(r.get(WAIT)).isEqualTo("passed stuck");
    }

    @Test
    void gracefulShutdownLetsRunningTasksFinish() throws Exception {
        // threaded: stop waits for a running worker
        Louie louie = louie();
        tasks.gate = new CountDownLatch(1);
        Consumer c = consumer(louie, 1);
        Result<String> r = louie.enqueue(SampleTasks::blocking, "finish");
        await().atMost(WAIT).until(() -> tasks.runs.containsKey("finish"));
        CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> c.stop(WAIT));
        tasks.gate.countDown();
        assertThat(stopped.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(r.get(WAIT)).isEqualTo("passed finish");
    }
}
