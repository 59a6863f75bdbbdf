package dev.louie.core;

import dev.louie.core.storage.StorageInspection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.Lease;
import dev.louie.core.storage.MemoryStorage;
import dev.louie.core.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A waiter never waits forever for a message that has ended: each way a message ends leaves a result. */
class EveryEndLeavesAResultTest extends ConsumerTestBase {

    private static void assertDeadLettered(Result<?> r, String reason) {
        assertThatThrownBy(() -> r.get(WAIT)).isInstanceOfSatisfying(TaskFailedException.class, e -> {
            assertThat(e.kind()).isEqualTo(FailureKind.DEAD_LETTER);
            assertThat(e.errorClass()).isNull();
            assertThat(e.errorMessage()).contains(reason);
        });
        assertThatThrownBy(() -> r.future().get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .hasCauseInstanceOf(TaskFailedException.class);
    }

    @Test
    void anUndecodableMessageFailsItsWaiter() {
        Louie louie = louie();
        louie.storage().enqueue(Louie.DEFAULT_QUEUE, Envelope.of("garbage", 0, "not json".getBytes(StandardCharsets.UTF_8)));
        consumer(louie, 1);
        assertDeadLettered(louie.result("garbage"), "cannot decode message");
        assertThat(StorageInspection.of(louie.storage()).deadLetterCount(Louie.DEFAULT_QUEUE)).isEqualTo(1);
    }

    @Test
    void argumentsThatDoNotFitFailTheWaiter() {
        Louie louie = louie();
        Louie producer = Louie.builder("test").storage(louie.storage()).build(); // knows the task by name only
        Result<Object> r = producer.call("SampleTasks.greet", 1, 2).enqueue();
        consumer(louie, 1);
        assertDeadLettered(r, "arguments do not fit task SampleTasks.greet");
    }

    @Test
    void anUnknownTaskPastItsGraceFailsTheWaiter() {
        Louie louie = louie();
        Result<Object> r = louie.enqueue("Elsewhere.job", "x");
        start(louie.consumer().workers(1).periodic(false).unknownTaskGrace(Duration.ZERO));
        assertDeadLettered(r, "unknown task 'Elsewhere.job'");
    }

    @Test
    void aMessagePastTheDeliveryLimitFailsItsWaiter() throws Exception {
        ManualClock clock = new ManualClock(Instant.now());
        Louie louie = louie(new MemoryStorage(clock), clock);
        Result<String> r = louie.enqueue(SampleTasks::greet, "crashy");
        // two consumers that took the message and died: their leases expired
        for (int i = 0; i < 2; i++) {
            Lease taken = louie.storage().dequeue(Louie.DEFAULT_QUEUE, 1, Duration.ofSeconds(1)).get(0);
            assertThat(taken.deliveries()).isEqualTo(i + 1);
            clock.advance(Duration.ofSeconds(2));
        }
        start(louie.consumer().workers(1).periodic(false).maxDeliveries(2));
        assertDeadLettered(r, "delivery limit reached: delivered 2 times (limit 2)");
        assertThat(tasks.runs).doesNotContainKey("crashy");
        assertThat(StorageInspection.of(louie.storage()).deadLetters(Louie.DEFAULT_QUEUE, 10)).singleElement()
                .satisfies(d -> assertThat(d.reason()).startsWith("delivery limit reached"));
    }
}
