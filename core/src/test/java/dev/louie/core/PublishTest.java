package dev.louie.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.louie.core.storage.MemoryStorage;
import dev.louie.core.testing.ForwardingStorage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Publishing through exchanges from the core's side: pipelines, immediate mode, consumer bindings, what is refused. */
class PublishTest {

    @Test
    void aPublishedPipelineRunsOncePerQueueWithIdsDerivedFromTheQueueCopy() {
        try (Louie louie = Louie.builder("app").register(new SampleTasks()).build()) {
            louie.exchanges().declare("numbers", ExchangeType.FANOUT);
            louie.exchanges().bind("numbers", "left");
            louie.exchanges().bind("numbers", "right");
            ResultGroup<Integer> r = louie.call(SampleTasks::twice, 3).id("n").then(SampleTasks::twice).publish("numbers");
            assertThat(r.results()).extracting(Result::id).containsExactly("n@left.2", "n@right.2");
            // the first stages wait in left and right; each one's second stage goes to the task's own queue
            assertThat(louie.consumer().queues("left", "right", Louie.DEFAULT_QUEUE).periodic(false).inline().runUntilIdle())
                    .isEqualTo(4);
            assertThat(r.get(Duration.ofSeconds(5))).containsExactly(12, 12);
        }
    }

    @Test
    void immediateModeRunsEveryCopyOnPublish() {
        try (Louie louie = Louie.builder("app").immediate(true).register(new SampleTasks()).build()) {
            louie.exchanges().declare("greetings", ExchangeType.TOPIC);
            louie.exchanges().bind("greetings", "en", "hello.#");
            louie.exchanges().bind("greetings", "all", "#");
            ResultGroup<String> r = louie.call(SampleTasks::greet, "ann").publish("greetings", "hello.world");
            assertThat(r.get(Duration.ZERO)).containsExactly("hello ann", "hello ann");
        }
    }

    @Test
    void aConsumerBindsItsFirstQueueAtStartAndNeedsOneNamed() {
        try (Louie louie = Louie.builder("app").register(new SampleTasks()).build()) {
            louie.exchanges().declare("models", ExchangeType.TOPIC);
            assertThatThrownBy(() -> louie.consumer().bind("models", "model.#").start())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name this consumer's queue with queues(...)");
            assertThatThrownBy(() -> louie.consumer().queues("gpu").bind("nowhere", "#").start())
                    .hasMessageContaining("'nowhere' does not exist");
            try (Consumer c = louie.consumer().queues("gpu", "default").bind("models", "model.*.gpu").bind("models", "gpu.#")
                    .periodic(false).start()) {
                assertThat(louie.exchanges().bindings("models")).containsExactly(
                        new Binding("models", "gpu", "gpu.#"), new Binding("models", "gpu", "model.*.gpu"));
                assertThat(louie.call(SampleTasks::greet, "gpu").publish("models", "model.a.gpu").get(Duration.ofSeconds(10)))
                        .containsExactly("hello gpu");
            }
        }
    }

    @Test
    void aStorageWithoutExchangesSaysSo() {
        try (Louie louie = Louie.builder("app").storage(new ForwardingStorage(new MemoryStorage())).register(new SampleTasks()).build()) {
            assertThatThrownBy(louie::exchanges).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("does not implement ExchangeStorage");
            assertThatThrownBy(() -> louie.call(SampleTasks::greet, "x").publish("e", "k"))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
        assertThatThrownBy(() -> Louie.builder("app").routingRefresh(Duration.ofSeconds(-1)))
                .hasMessage("routingRefresh must be zero or positive, not PT-1S");
    }
}
