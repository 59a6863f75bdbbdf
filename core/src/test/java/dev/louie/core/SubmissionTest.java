package dev.louie.core;

import dev.louie.core.storage.StorageInspection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.MemoryStorage;
import dev.louie.core.storage.Storage;
import dev.louie.core.storage.StorageException;
import dev.louie.core.testing.ForwardingStorage;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Submission as producers use it: ids of their own, retries after a failed enqueue, tasks known by name only. */
class SubmissionTest extends ConsumerTestBase {

    @Test
    void anIdOfTheCallersMakesEnqueueIdempotent() {
        Louie louie = louie();
        Result<String> first = louie.call(SampleTasks::greet, "once").id("order-42").enqueue();
        Result<String> again = louie.call(SampleTasks::greet, "once").id("order-42").enqueue();
        assertThat(first.id()).isEqualTo("order-42").isEqualTo(again.id());
        assertThat(StorageInspection.of(louie.storage()).queueSize(Louie.DEFAULT_QUEUE)).isEqualTo(1);
        consumer(louie, 1);
        assertThat(again.get(WAIT)).isEqualTo("hello once");
        assertThat(signalsOf("order-42")).filteredOn(s -> s == Signal.EXECUTING).hasSize(1);
    }

    @Test
    void aRemovedListenerHearsNoMore() {
        Louie louie = louie();
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        SignalListener listener = e -> heard.add(e.signal() + " " + e.id());
        louie.addListener(listener);
        String first = louie.call(SampleTasks::greet, "a").enqueue().id();
        assertThat(louie.removeListener(listener)).isTrue();
        louie.call(SampleTasks::greet, "b").enqueue();
        assertThat(heard).containsExactly("ENQUEUED " + first);
        assertThat(louie.removeListener(listener)).as("removed already").isFalse();
    }

    @Test
    void aPipelineWithAnIdHasStageIdsDerivedFromIt() {
        Louie louie = louie();
        Result<Integer> last = louie.call(SampleTasks::twice, 3).id("p").then(SampleTasks::twice).then(SampleTasks::twice).enqueue();
        Result<Integer> repeated = louie.call(SampleTasks::twice, 3).id("p").then(SampleTasks::twice).then(SampleTasks::twice).enqueue();
        assertThat(last.id()).isEqualTo("p.3").isEqualTo(repeated.id());
        consumer(louie, 1);
        assertThat(repeated.get(WAIT)).isEqualTo(24);
        assertThatThrownBy(() -> louie.call(SampleTasks::twice, 1).then(SampleTasks::twice).id("x"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("first stage");
        assertThatThrownBy(() -> louie.call(SampleTasks::twice, 1).id("has space"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without whitespace");
    }

    @Test
    void aFailedEnqueueNamesTheIdToRetryWith() {
        AtomicBoolean down = new AtomicBoolean(true);
        Storage flaky = new ForwardingStorage(new MemoryStorage()) {
            @Override
            public boolean enqueue(String queue, Envelope envelope) {
                boolean stored = super.enqueue(queue, envelope);
                if (down.getAndSet(false)) {
                    throw new StorageException("connection reset after the write", null);
                }
                return stored;
            }
        };
        Louie louie = louie(flaky, java.time.Clock.systemUTC());
        assertThatThrownBy(() -> louie.call(SampleTasks::greet, "retry me").id("job-1").enqueue())
                .isInstanceOfSatisfying(EnqueueException.class, e -> {
                    assertThat(e.taskId()).isEqualTo("job-1");
                    assertThat(e.getMessage()).contains("job-1").contains("same id");
                });
        Result<String> retried = louie.call(SampleTasks::greet, "retry me").id("job-1").enqueue();
        assertThat(StorageInspection.of(louie.storage()).queueSize(Louie.DEFAULT_QUEUE)).as("stored once").isEqualTo(1);
        consumer(louie, 1);
        assertThat(retried.get(WAIT)).isEqualTo("hello retry me");

        Louie random = louie(new ForwardingStorage(new MemoryStorage()) {
            @Override
            public boolean enqueue(String queue, Envelope envelope) {
                throw new StorageException("down", null);
            }
        }, java.time.Clock.systemUTC());
        assertThatThrownBy(() -> random.enqueue(SampleTasks::greet, "x"))
                .isInstanceOfSatisfying(EnqueueException.class, e -> assertThat(e.taskId()).hasSize(32));
    }

    @Test
    void enqueueAsyncCompletesWithTheHandleOnceStored() throws Exception {
        Louie louie = louie();
        CompletableFuture<Result<Integer>> pending = louie.call(SampleTasks::twice, 4).id("a").then(SampleTasks::twice).enqueueAsync();
        Result<Integer> last = pending.get(30, TimeUnit.SECONDS);
        assertThat(last.id()).isEqualTo("a.2");
        assertThat(StorageInspection.of(louie.storage()).queueSize(Louie.DEFAULT_QUEUE)).as("stored when complete").isEqualTo(1);
        assertThat(signalsOf("a")).contains(Signal.ENQUEUED);
        consumer(louie, 1);
        assertThat(last.get(WAIT)).isEqualTo(16);
        assertThat(louie.call(SampleTasks::twice, 4).id("a").enqueueAsync().get(30, TimeUnit.SECONDS).id())
                .as("idempotent by id like enqueue()").isEqualTo("a");
    }

    @Test
    void aFailedAsyncEnqueueFailsTheFutureNamingTheId() {
        Louie louie = louie(new ForwardingStorage(new MemoryStorage()) {
            @Override
            public CompletableFuture<Boolean> enqueueAsync(String queue, Envelope envelope) {
                return CompletableFuture.failedFuture(new StorageException("down", null));
            }
        }, java.time.Clock.systemUTC());
        assertThat(louie.call(SampleTasks::greet, "x").id("job-9").enqueueAsync())
                .failsWithin(Duration.ofSeconds(30))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(EnqueueException.class, e -> {
                    assertThat(e.taskId()).isEqualTo("job-9");
                    assertThat(e.getCause()).hasMessage("down");
                });
    }

    @Test
    void inImmediateModeEnqueueAsyncHasRunTheTaskWhenItCompletes() throws Exception {
        try (Louie immediate = Louie.builder("immediate-async").immediate(true).register(new SampleTasks()).build()) {
            Result<Integer> r = immediate.call(SampleTasks::twice, 21).enqueueAsync().get(30, TimeUnit.SECONDS);
            assertThat(r.get(Duration.ZERO)).isEqualTo(42);
        }
    }

    @Test
    void aProducerWithoutTheClassEnqueuesByName() {
        MemoryStorage shared = new MemoryStorage();
        Louie producer = Louie.builder("test").storage(shared).build();
        toClose.add(producer);
        Result<Object> r = producer.enqueue("SampleTasks.greet", "remote");
        Result<Object> slow = producer.call("SampleTasks.inSlowQueue", "q").queue("slow").priority(3).enqueue();
        Louie worker = louie(shared, java.time.Clock.systemUTC());
        consumer(worker, 1);
        assertThat(r.get(WAIT)).isEqualTo("hello remote");
        assertThat(slow.get(WAIT)).isNotNull();
    }

    @Test
    void javaTimeArgumentsAndResultsSimplyWork() {
        Louie louie = Louie.builder("time").register(new TimeTasks()).build();
        toClose.add(louie);
        consumer(louie, 1);
        Instant at = Instant.parse("2030-05-06T07:08:09Z");
        assertThat(louie.enqueue(TimeTasks::dayAfter, LocalDate.of(2030, 2, 28)).get(WAIT)).isEqualTo(LocalDate.of(2030, 3, 1));
        assertThat(louie.enqueue(TimeTasks::later, at, Duration.ofMinutes(5)).get(WAIT)).isEqualTo(at.plusSeconds(300));
    }

    public static class TimeTasks {
        @Task
        public LocalDate dayAfter(LocalDate day) {
            return day.plusDays(1);
        }

        @Task
        public Instant later(Instant at, Duration by) {
            return at.plus(by);
        }
    }
}
