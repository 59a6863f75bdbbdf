package dev.louie.core;

import dev.louie.core.storage.StorageInspection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImmediateModeTest {
    final SampleTasks tasks = new SampleTasks();
    final Louie louie = Louie.builder("immediate").immediate(true).register(tasks).build();

    @Test
    void tasksRunOnEnqueue() {
        Result<String> r = louie.enqueue(SampleTasks::greet, "now");
        assertThat(r.isDone()).isTrue();
        assertThat(r.get(Duration.ZERO)).isEqualTo("hello now");
        assertThat(louie.isImmediate()).isTrue();
    }

    @Test
    void optionalParametersCarryAValueOrNone() {
        assertThat(louie.enqueue(SampleTasks::greetMaybe, java.util.Optional.of("ann")).get(Duration.ZERO)).isEqualTo("hello ann");
        assertThat(louie.enqueue(SampleTasks::greetMaybe, java.util.Optional.<String>empty()).get(Duration.ZERO)).isEqualTo("hello stranger");
    }

    @Test
    void pipelinesGroupsAndChordsCompleteSynchronously() {
        assertThat(louie.call(SampleTasks::plus, 1, 2).then(SampleTasks::twice).enqueue().get(Duration.ZERO)).isEqualTo(6);
        assertThat(louie.map(SampleTasks::twice, List.of(1, 2)).get(Duration.ZERO)).containsExactly(2, 4);
        assertThat(louie.chord(List.of(louie.call(SampleTasks::twice, 5)), SampleTasks::total).get(Duration.ZERO)).isEqualTo(10);
    }

    @Test
    void failuresAreStoredAndDelayedRetriesWait() {
        assertThatThrownBy(() -> louie.enqueue(SampleTasks::fail, "x").get(Duration.ZERO)).isInstanceOf(TaskFailedException.class);
        Result<String> flaky = louie.enqueue(SampleTasks::flaky, 1);
        assertThat(flaky.isDone()).isFalse();
        assertThat(StorageInspection.of(louie.storage()).scheduleSize(Louie.DEFAULT_QUEUE)).isEqualTo(1);
    }

    @Test
    void theConfiguredStorageIsKept() {
        dev.louie.core.storage.MemoryStorage mine = new dev.louie.core.storage.MemoryStorage();
        try (Louie l = Louie.builder("immediate").immediate(true).storage(mine).register(new SampleTasks()).build()) {
            assertThat(l.storage()).isSameAs(mine);
            Result<String> r = l.enqueue(SampleTasks::greet, "kept");
            assertThat(mine.getResult(r.id(), false)).as("the result is in the storage the user gave").isPresent();
        }
    }

    @Test
    void aTaskKnownByNameOnlyIsRefusedBecauseItCannotRunHere() {
        assertThatThrownBy(() -> louie.enqueue("Elsewhere.job"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no task named 'Elsewhere.job'");
    }

    @Test
    void aConsumerIsRefused() {
        assertThatThrownBy(louie::consumer).isInstanceOf(IllegalStateException.class).hasMessageContaining("immediate mode");
    }
}
