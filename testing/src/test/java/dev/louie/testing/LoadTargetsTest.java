package dev.louie.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.storage.MemoryStorage;
import dev.louie.onnx.BatchedModel;
import dev.louie.onnx.OnnxFileWriter;
import dev.louie.onnx.OnnxModel;
import dev.louie.onnx.Tensor;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The in-process targets against real parts: tasks on a real consumer, a BatchedModel on ONNX Runtime, a blocking call. */
class LoadTargetsTest {

    @Test
    void aTaskTargetCompletesWhenTheResultIsStored() {
        try (Louie louie = Louie.builder("load").storage(new MemoryStorage()).register(new Calculator()).build()) {
            Consumer consumer = louie.consumer().workers(2).start();
            try {
                LoadReport r = LoadTest.builder(LoadTarget.task(louie, "add", 2, 3)).constantRate(50).duration(Duration.ofSeconds(1)).build().run();
                assertThat(r.statuses()).isEqualTo(Map.of(200, 50L));
                LoadReport failing = LoadTest.builder(LoadTarget.task(louie, "fail", "no")).constantRate(20).duration(Duration.ofMillis(500))
                        .build().run();
                assertThat(failing.errors()).isEqualTo(10);
                assertThat(failing.failures()).containsOnlyKeys("TaskFailedException");
            } finally {
                consumer.stop(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void aModelTargetCallsTheBatchedModel() {
        try (OnnxModel model = OnnxModel.load(OnnxFileWriter.mlp(7, 8, 16, 4));
             BatchedModel batched = BatchedModel.builder(model).build()) {
            Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 8);
            LoadReport r = LoadTest.builder(ModelTarget.of(batched, Map.of("x", x))).constantRate(200).connections(16)
                    .duration(Duration.ofSeconds(1)).build().run();
            assertThat(r.statuses()).isEqualTo(Map.of(200, 200L));
            assertThat(batched.stats().requests()).isEqualTo(200);
        }
    }

    @Test
    void aBlockingCallCountsWhatItThrows() {
        AtomicInteger n = new AtomicInteger();
        LoadTarget call = LoadTarget.blocking(() -> {
            if (n.incrementAndGet() % 2 == 0) {
                throw new java.io.IOException("refused");
            }
            return "ok";
        });
        LoadReport r = LoadTest.builder(call).constantRate(40).duration(Duration.ofMillis(500)).build().run();
        assertThat(r.statuses()).isEqualTo(Map.of(200, 10L));
        assertThat(r.failures()).isEqualTo(Map.of("IOException", 10L));
    }
}
