package dev.louie.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.MemoryStorage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaskExecutionTest extends ConsumerTestBase {

    @Test
    void typeSafeSubmissionAndBlockingGet() {
        Louie louie = louie();
        consumer(louie, 2);
        Result<String> r = louie.enqueue(SampleTasks::greet, "alice");
        assertThat(r.get(WAIT)).isEqualTo("hello alice");
        assertThat(r.isDone()).isTrue();
        assertThat(louie.enqueue(SampleTasks::add, 2, 3).get(WAIT)).isEqualTo(5);
        assertThat(louie.enqueue(SampleTasks::move, new SampleTasks.Point(1, 1), 4).get(WAIT))
                .isEqualTo(new SampleTasks.Point(5, 1));
        assertThat(louie.enqueue(SampleTasks::sumPoints, List.of(new SampleTasks.Point(1, 2), new SampleTasks.Point(3, 4))).get(WAIT))
                .isEqualTo(10);
        assertThat(signalsOf(r.id())).containsExactly(Signal.ENQUEUED, Signal.EXECUTING, Signal.COMPLETE);
    }

    @Test
    void submissionByNameConvertsArguments() {
        Louie louie = louie();
        consumer(louie, 1);
        assertThat(louie.enqueue("add", 20, 22).get(WAIT)).isEqualTo(42);
        Result<Object> moved = louie.enqueue("SampleTasks.move", Map.of("x", 1, "y", 2), 1);
        assertThat(moved.get(WAIT)).isEqualTo(new SampleTasks.Point(2, 2));
        assertThat(louie.result(moved.id(), SampleTasks.Point.class).get(WAIT)).isEqualTo(new SampleTasks.Point(2, 2));
    }

    @Test
    void futureCompletesWithoutBlockingAndFailsWithTheTaskError() throws Exception {
        Louie louie = louie();
        consumer(louie, 1);
        CompletableFuture<String> ok = louie.enqueue(SampleTasks::greet, "bob").future();
        assertThat(ok.get(10, TimeUnit.SECONDS)).isEqualTo("hello bob");
        CompletableFuture<Integer> bad = louie.enqueue(SampleTasks::fail, "broken").future();
        assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TaskFailedException.class)
                .hasMessageContaining("IllegalStateException: broken");
    }

    @Test
    void failedTaskCarriesClassMessageAndStack() {
        Louie louie = louie();
        consumer(louie, 1);
        Result<Integer> r = louie.enqueue(SampleTasks::fail, "bad input");
        assertThatThrownBy(() -> r.get(WAIT))
                .isInstanceOfSatisfying(TaskFailedException.class, e -> {
                    assertThat(e.errorClass()).isEqualTo("java.lang.IllegalStateException");
                    assertThat(e.errorMessage()).isEqualTo("bad input");
                    assertThat(e.remoteStackTrace()).contains("SampleTasks.fail");
                    assertThat(e.taskId()).isEqualTo(r.id());
                });
        assertThat(signalsOf(r.id())).containsExactly(Signal.ENQUEUED, Signal.EXECUTING, Signal.ERROR);
    }

    @Test
    void getTimesOutWhenNothingRunsIt() {
        Louie louie = louie();
        Result<String> r = louie.enqueue(SampleTasks::greet, "nobody");
        assertThatThrownBy(() -> r.get(Duration.ofMillis(50)))
                .isInstanceOf(ResultTimeoutException.class).hasMessageContaining("not ready within");
        assertThat(r.isDone()).isFalse();
    }

    @Test
    void nullResultsAndTheStoreSettings() throws Exception {
        Louie louie = louie();
        consumer(louie, 1);
        assertThat(louie.enqueue(SampleTasks::nothing).get(WAIT)).isNull();
        assertThat(louie.enqueue(SampleTasks::record, "k").get(WAIT)).isNull();

        Louie noNulls = Louie.builder("n").register(new SampleTasks()).storeNulls(false).build();
        toClose.add(noNulls);
        consumer(noNulls, 1);
        Result<Void> r = noNulls.enqueue(SampleTasks::record, "k");
        assertThat(r.get(WAIT)).as("a void task without stored nulls still ends its waiters").isNull();
        assertThat(r.future().get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)).isNull();
        assertThat(noNulls.storage().getResult(r.id(), false)).hasValueSatisfying(v -> assertThat(v).isEmpty());

        Louie none = Louie.builder("x").register(new SampleTasks()).storeResults(false).build();
        toClose.add(none);
        Result<String> unread = none.enqueue(SampleTasks::greet, "x");
        assertThatThrownBy(() -> unread.get(WAIT)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("storeResults(false)");
    }

    @Test
    void takeConsumesTheStoredResult() {
        Louie louie = louie();
        consumer(louie, 1);
        Result<String> r = louie.enqueue(SampleTasks::greet, "t");
        assertThat(r.take(WAIT)).isEqualTo("hello t");
        assertThat(louie.storage().getResult(r.id(), false)).isEmpty();
        assertThat(r.get(WAIT)).isEqualTo("hello t");
    }

    @Test
    void higherPriorityRunsFirst() {
        Louie louie = louie();
        List<Result<Void>> results = new ArrayList<>();
        results.add(louie.call(SampleTasks::record, "low").priority(1).enqueue());
        results.add(louie.call(SampleTasks::record, "high").priority(9).enqueue());
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        louie.addListener(e -> {
            if (e.signal() == Signal.EXECUTING) {
                order.add(e.id());
            }
        });
        consumer(louie, 1);
        results.forEach(r -> r.get(WAIT));
        assertThat(order).containsExactly(results.get(1).id(), results.get(0).id());
    }

    @Test
    void consumerTakesOnlyItsQueues() {
        Louie louie = louie();
        start(louie.consumer().workers(1).queues("default"));
        Result<String> slow = louie.enqueue(SampleTasks::inSlowQueue, "x");
        assertThat(louie.enqueue(SampleTasks::greet, "y").get(WAIT)).isEqualTo("hello y");
        assertThat(louie.storage().queueSize("slow")).isEqualTo(1);
        start(louie.consumer().workers(1).queues("slow"));
        assertThat(slow.get(WAIT)).isEqualTo("slow x");
    }

    @Test
    void mapAndGroupReturnResultsInOrder() throws Exception {
        Louie louie = louie();
        consumer(louie, 3);
        ResultGroup<Integer> doubled = louie.map(SampleTasks::twice, List.of(1, 2, 3, 4, 5));
        assertThat(doubled.size()).isEqualTo(5);
        assertThat(doubled.get(WAIT)).containsExactly(2, 4, 6, 8, 10);
        ResultGroup<Integer> sums = louie.group(List.of(louie.call(SampleTasks::plus, 1, 1), louie.call(SampleTasks::plus, 2, 2)));
        assertThat(sums.future().get(10, TimeUnit.SECONDS)).containsExactly(2, 4);
    }

    @Test
    void pipelinePassesEachResultOn() {
        Louie louie = louie();
        consumer(louie, 2);
        Result<Integer> r = louie.call(SampleTasks::plus, 1, 2).then(SampleTasks::twice).then(SampleTasks::plus, 10).enqueue();
        assertThat(r.get(WAIT)).isEqualTo(16);
    }

    @Test
    void pipelineFailureStopsLaterStagesAndRunsTheErrorCallback() {
        Louie louie = louie();
        consumer(louie, 2);
        Result<Integer> r = louie.call(SampleTasks::fail, "stage one").then(SampleTasks::twice)
                .onError(SampleTasks::onError).enqueue();
        assertThatThrownBy(() -> r.get(WAIT)).isInstanceOfSatisfying(TaskFailedException.class,
                e -> assertThat(e.errorMessage()).isEqualTo("stage one"));
        await().atMost(WAIT).until(() -> tasks.errors.size() == 1);
        TaskError error = tasks.errors.get(0);
        assertThat(error.task()).isEqualTo("SampleTasks.fail");
        assertThat(error.errorClass()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.message()).isEqualTo("stage one");
    }

    @Test
    void chordRunsTheCallbackWithAllResults() {
        Louie louie = louie();
        consumer(louie, 3);
        Result<Integer> total = louie.chord(
                List.of(louie.call(SampleTasks::twice, 1), louie.call(SampleTasks::twice, 2), louie.call(SampleTasks::twice, 3)),
                SampleTasks::total);
        assertThat(total.get(WAIT)).isEqualTo(12);
    }

    @Test
    void chordWithAFailedMemberFailsTheCallbackResult() {
        Louie louie = louie();
        consumer(louie, 2);
        Result<Integer> total = louie.chord(
                List.of(louie.call(SampleTasks::twice, 1), louie.call(SampleTasks::fail, "member")), SampleTasks::total);
        assertThatThrownBy(() -> total.get(WAIT)).isInstanceOf(TaskFailedException.class).hasMessageContaining("member");
    }

    @Test
    void preExecuteHookCanCancelAndPostHookSeesTheOutcome() {
        List<TaskEvent> post = new java.util.concurrent.CopyOnWriteArrayList<>();
        Louie louie = Louie.builder("hooks").register(tasks).listener(events::add)
                .preExecute(e -> {
                    if (e.task().equals("add")) {
                        throw new CancelExecution("no adding today");
                    }
                })
                .postExecute(post::add)
                .build();
        toClose.add(louie);
        consumer(louie, 1);
        Result<Integer> canceled = louie.enqueue(SampleTasks::add, 1, 2);
        assertThatThrownBy(() -> canceled.get(WAIT)).isInstanceOfSatisfying(TaskFailedException.class,
                e -> assertThat(e.errorClass()).isEqualTo(CancelExecution.class.getName()));
        assertThat(signalsOf(canceled.id())).contains(Signal.CANCELED).doesNotContain(Signal.EXECUTING);
        Result<String> ok = louie.enqueue(SampleTasks::greet, "p");
        ok.get(WAIT);
        await().atMost(WAIT).until(() -> post.stream().anyMatch(e -> e.id().equals(ok.id()) && e.signal() == Signal.COMPLETE));
    }

    @Test
    void taskLockFailsASecondHolder() {
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
        Louie louie = louie();
        consumer(louie, 1);
        assertTimedOut(louie.enqueue(SampleTasks::cooperative), "PT0.1S");
    }

    @Test
    void hardTimeoutInterruptsTheWorker() {
        Louie louie = louie();
        Consumer c = consumer(louie, 1);
        Result<String> r = louie.enqueue(SampleTasks::sleeper);
        assertTimedOut(r, "PT0.2S");
        assertThat(louie.enqueue(SampleTasks::greet, "after").get(WAIT)).isEqualTo("hello after");
        assertThat(c.aliveWorkers()).isEqualTo(1);
    }

    @Test
    void revokeByHandleAndRestore() {
        Louie louie = louie();
        Result<Void> revoked = louie.enqueue(SampleTasks::record, "revoked");
        revoked.revoke();
        Result<Void> restored = louie.enqueue(SampleTasks::record, "restored");
        restored.revoke();
        assertThat(restored.restore()).isTrue();
        consumer(louie, 1);
        assertThatThrownBy(() -> revoked.get(WAIT)).isInstanceOfSatisfying(TaskFailedException.class,
                e -> assertThat(e.kind()).isEqualTo(FailureKind.REVOKED));
        restored.get(WAIT);
        assertThat(tasks.runs).containsKey("restored").doesNotContainKey("revoked");
        assertThat(signalsOf(revoked.id())).contains(Signal.REVOKED);
    }

    @Test
    void revokeByTaskTypeOnceAndUntilRestored() {
        Louie louie = louie();
        consumer(louie, 1);
        louie.revoke("SampleTasks.greet", null, true);
        assertThatThrownBy(() -> louie.enqueue(SampleTasks::greet, "a").get(WAIT)).isInstanceOf(TaskFailedException.class);
        assertThat(louie.enqueue(SampleTasks::greet, "b").get(WAIT)).isEqualTo("hello b");
        louie.revoke("add", null, false);
        assertThatThrownBy(() -> louie.enqueue(SampleTasks::add, 1, 1).get(WAIT)).isInstanceOf(TaskFailedException.class);
        assertThatThrownBy(() -> louie.enqueue(SampleTasks::add, 1, 1).get(WAIT)).isInstanceOf(TaskFailedException.class);
        assertThat(louie.restore("add")).isTrue();
        assertThat(louie.enqueue(SampleTasks::add, 1, 1).get(WAIT)).isEqualTo(2);
    }

    @Test
    void revocationFromAnotherLouieOnTheSameStorageIsSeen() {
        MemoryStorage storage = new MemoryStorage();
        Louie running = louie(storage, Clock.systemUTC());
        Louie other = louie(storage, Clock.systemUTC());
        consumer(running, 1);
        assertThat(running.enqueue(SampleTasks::greet, "before").get(WAIT)).isEqualTo("hello before");
        assertThat(running.mayHaveRevocations()).isFalse();
        other.revoke("SampleTasks.greet", null, false);
        await().atMost(WAIT).until(running::mayHaveRevocations);
        assertThatThrownBy(() -> other.enqueue(SampleTasks::greet, "during").get(WAIT)).isInstanceOf(TaskFailedException.class);
        assertThat(other.restore("SampleTasks.greet")).isTrue();
        await().atMost(WAIT).until(() -> !running.mayHaveRevocations());
        assertThat(other.enqueue(SampleTasks::greet, "after").get(WAIT)).isEqualTo("hello after");
    }

    @Test
    void undecodableMessageIsDeadLetteredAndTheConsumerKeepsRunning() {
        Louie louie = louie();
        Consumer c = consumer(louie, 1);
        louie.storage().enqueue(Louie.DEFAULT_QUEUE, Envelope.of("junk", 0, "{not json".getBytes(StandardCharsets.UTF_8)));
        louie.storage().enqueue(Louie.DEFAULT_QUEUE, Envelope.of("ghost", 0,
                "{\"id\":\"ghost\",\"task\":\"missing.task\",\"args\":[]}".getBytes(StandardCharsets.UTF_8)));
        assertThat(louie.enqueue(SampleTasks::greet, "still here").get(WAIT)).isEqualTo("hello still here");
        await().atMost(WAIT).until(() -> louie.storage().deadLetterCount(Louie.DEFAULT_QUEUE) == 2);
        assertThat(louie.storage().deadLetters(Louie.DEFAULT_QUEUE, 10))
                .anySatisfy(d -> assertThat(d.reason()).startsWith("cannot decode message"))
                .anySatisfy(d -> assertThat(d.reason()).contains("unknown task 'missing.task'"));
        assertThatThrownBy(() -> louie.result("ghost").get(WAIT)).isInstanceOf(TaskFailedException.class);
        await().atMost(WAIT).until(() -> c.stats().deadLettered() == 2);
    }

    @Test
    void argumentsThatDoNotFitAreDeadLetteredWithAFailedResult() {
        Louie louie = louie();
        consumer(louie, 1);
        Result<Object> r = louie.enqueue("add", "one", "two");
        assertThatThrownBy(() -> r.get(WAIT)).isInstanceOf(TaskFailedException.class);
        assertThat(louie.storage().deadLetters(Louie.DEFAULT_QUEUE, 10))
                .singleElement().satisfies(d -> assertThat(d.reason()).contains("arguments do not fit task add"));
    }

    @Test
    void workersAreReplacedAfterMaxTasks() {
        Louie louie = louie();
        Consumer c = start(louie.consumer().workers(2).maxTasksPerWorker(3).periodic(false).healthCheckInterval(Duration.ofMillis(20)));
        ResultGroup<Integer> all = louie.map(SampleTasks::twice, List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14));
        assertThat(all.get(WAIT)).hasSize(14);
        await().atMost(WAIT).untilAsserted(() -> assertThat(c.stats().completed()).as(c.stats() + " " + events).isEqualTo(14));
        await().atMost(WAIT).until(() -> c.stats().workersReplaced() >= 2);
    }

    @Test
    void aDeadWorkerIsReplacedAndItsMessageEndsInDeadLetterAfterTheDeliveryLimit() {
        Louie louie = louie();
        Consumer c = start(louie.consumer().workers(1).leaseTime(Duration.ofMillis(200)).maxDeliveries(2)
                .healthCheckInterval(Duration.ofMillis(20)));
        louie.enqueue(SampleTasks::crashWorker);
        await().atMost(WAIT).until(() -> louie.storage().deadLetterCount(Louie.DEFAULT_QUEUE) == 1);
        assertThat(louie.storage().deadLetters(Louie.DEFAULT_QUEUE, 1).get(0).reason()).contains("delivery limit");
        assertThat(c.stats().workersReplaced()).isGreaterThanOrEqualTo(2);
        assertThat(louie.enqueue(SampleTasks::greet, "survivor").get(WAIT)).isEqualTo("hello survivor");
        assertThat(c.aliveWorkers()).isEqualTo(1);
    }

    @Test
    void workersCanRunOnVirtualThreads() {
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
        Louie louie = louie();
        Consumer c = start(louie.consumer().workers(2).periodic(false).batchCompletions(false));
        assertThat(louie.map(SampleTasks::twice, List.of(1, 2, 3)).get(WAIT)).containsExactly(2, 4, 6);
        await().atMost(WAIT).until(() -> c.stats().completed() == 3);
    }

    @Test
    void leasesOfRunningTasksAreExtended() {
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
