package dev.louie.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.louie.core.Result;
import dev.louie.core.TaskFailedException;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The in-memory Louie with a step function: tasks run on the test thread, when the test says. */
class LouieExtensionTest {
    final Calculator calculator = new Calculator();

    @RegisterExtension
    final LouieExtension louie = LouieExtension.of(calculator);

    @Test
    void aTaskRunsAtTheStepOnTheTestThread() {
        Result<Integer> r = louie.louie().enqueue(Calculator::add, 2, 3);
        assertThat(r.isDone()).isFalse();
        assertThat(louie.runNext()).isTrue();
        assertThat(r.get(Duration.ZERO)).isEqualTo(5);
        assertThat(louie.runNext()).isFalse();
    }

    @Test
    void aRetryWaitsForTheClock() {
        Result<String> r = louie.louie().enqueue(Calculator::flaky, "x");
        assertThat(louie.runUntilIdle()).isEqualTo(1);
        assertThat(r.isDone()).isFalse();
        louie.advance(Duration.ofSeconds(9));
        assertThat(louie.runUntilIdle()).isZero();
        louie.advance(Duration.ofSeconds(1));
        assertThat(louie.runUntilIdle()).isEqualTo(1);
        assertThat(r.get(Duration.ZERO)).isEqualTo("x");
        assertThat(calculator.flakyCalls.get()).isEqualTo(2);
    }

    @Test
    void aFailureIsTheResult() {
        Result<String> r = louie.louie().enqueue(Calculator::fail, "no");
        louie.runNext();
        assertThatThrownBy(() -> r.get(Duration.ZERO)).isInstanceOf(TaskFailedException.class).hasMessageContaining("no");
    }

    @Test
    void eachTestHasItsOwnLouie() {
        assertThat(louie.louie().name()).isEqualTo("LouieExtensionTest");
        assertThat(louie.runNext()).isFalse();
        assertThat(louie.clock().instant()).isEqualTo(LouieExtension.START);
    }

    @Nested
    class Immediate {
        @RegisterExtension
        final LouieExtension now = LouieExtension.of(new Calculator()).immediate();

        @Test
        void tasksRunWhileEnqueued() {
            assertThat(now.louie().enqueue(Calculator::add, 1, 1).get(Duration.ZERO)).isEqualTo(2);
            assertThatThrownBy(now::runNext).hasMessageContaining("immediate");
        }
    }
}
