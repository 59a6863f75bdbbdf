package dev.louie.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.louie.batching.BatchPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Batched results must equal per-request results. Batches are made deterministic without timing:
 * a fixed policy with a long delay dispatches exactly when the queued rows reach its size.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BatchedModelTest {

    private static final Duration LONG = Duration.ofSeconds(20);

    private static Map<String, Tensor> get(CompletableFuture<Map<String, Tensor>> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    private static void assertClose(Tensor actual, Tensor expected) {
        assertThat(actual.shape()).isEqualTo(expected.shape());
        assertThat(actual.type()).isEqualTo(expected.type());
        for (long i = 0; i < expected.elementCount(); i++) {
            assertThat(actual.getDouble(i)).as("element %d", i).isCloseTo(expected.getDouble(i), within(1e-5));
        }
    }

    private static void assertSameOutputs(Map<String, Tensor> actual, Map<String, Tensor> expected) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((name, t) -> assertClose(actual.get(name), t));
    }

    @Test
    void concurrentRequestsShareOneRunAndGetTheirOwnRows() throws Exception {
        try (OnnxModel model = OnnxModel.load(TestModels.mlp());
                BatchedModel batched = BatchedModel.builder(model).policy(BatchPolicy.fixed(24, LONG)).build()) {
            List<Map<String, Tensor>> requests = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int rows = 1 + i % 3; // 12 requests, 24 rows
                requests.add(Map.of("x", Tensor.of(TestModels.ramp(rows * 8, 0.1f * (i + 1)), rows, 8)));
            }
            List<CompletableFuture<Map<String, Tensor>>> futures = new ArrayList<>();
            requests.forEach(r -> futures.add(batched.predict(r)));
            for (int i = 0; i < requests.size(); i++) {
                assertSameOutputs(get(futures.get(i)), model.run(requests.get(i)));
            }
            assertThat(batched.stats()).isEqualTo(new BatchedModel.Stats(1, 12, 24));
            assertThat(batched.stats().meanBatchRows()).isEqualTo(24.0);
        }
    }

    /** Closed-loop clients without threads: each completion submits that client's next request. */
    private static void closedLoop(BatchedModel batched, OnnxModel model, int clients, int perClient,
                                   java.util.function.IntFunction<Map<String, Tensor>> request) throws Exception {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            CompletableFuture<Void> all = new CompletableFuture<>();
            Runnable[] next = new Runnable[1];
            int[] sent = new int[1];
            next[0] = () -> {
                if (sent[0] == perClient) {
                    all.complete(null);
                    return;
                }
                Map<String, Tensor> in = request.apply(client * perClient + sent[0]++);
                batched.predict(in).whenComplete((out, err) -> {
                    try {
                        if (err != null) {
                            throw err;
                        }
                        assertSameOutputs(out, model.run(in));
                        next[0].run();
                    } catch (Throwable t) {
                        all.completeExceptionally(t);
                    }
                });
            };
            chain.thenRun(next[0]);
            done.add(all);
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(25, TimeUnit.SECONDS);
    }

    @Test
    void theDefaultPolicyBatchesTheGeneratedCnnAndEveryCallerGetsItsOwnResult() throws Exception {
        try (OnnxModel model = OnnxModel.load(OnnxFileWriter.cnn(3, 16, 32, 10, 8, 16),
                OnnxOptions.builder().intraOpThreads(1).build());
                BatchedModel batched = BatchedModel.builder(model).concurrency(2).build()) {
            assertThat(model.input("x").shape()).containsExactly(-1, 3, 16, 32);
            closedLoop(batched, model, 16, 25,
                    i -> Map.of("x", Tensor.of(TestModels.ramp(3 * 16 * 32, 0.001f * (i + 1)), 1, 3, 16, 32)));
            assertThat(batched.stats().requests()).isEqualTo(400);
            // 16 callers and 2 batches in flight leave requests queued, so the policy grows batches past 1
            assertThat(batched.stats().batches()).isLessThan(400);
        }
    }

    @Test
    void theGeneratedRecurrentStepBatchesItsStateOnAxisOneWithASharedScale() throws Exception {
        try (OnnxModel model = OnnxModel.load(OnnxFileWriter.recurrent(5, 4, 6, 2));
                BatchedModel batched = BatchedModel.builder(model).batchAxis("state", 1).batchAxis("next_state", 1)
                        .shared("scale").build()) {
            Tensor scale = Tensor.full(ElementType.FLOAT32, 0.5);
            closedLoop(batched, model, 8, 20, i -> Map.of(
                    "x", Tensor.of(TestModels.ramp(4, 0.01f * (i + 1)), 1, 4),
                    "state", Tensor.of(TestModels.ramp(2 * 6, 0.02f * (i + 1)), 2, 1, 6),
                    "scale", scale));
            assertThat(batched.stats().requests()).isEqualTo(160);
        }
    }

    /**
     * A batch's outputs are split while ONNX Runtime still owns their memory, which later runs
     * reuse: what a request got must be its own copy or a view of memory that Louie owns.
     */
    @Test
    void outputsKeepTheirValuesAfterLaterBatchesReuseOnnxRuntimesMemory() throws Exception {
        try (OnnxModel model = OnnxModel.load(OnnxFileWriter.recurrent(5, 4, 6, 2));
                BatchedModel batched = BatchedModel.builder(model).batchAxis("state", 1).batchAxis("next_state", 1)
                        .shared("scale").policy(BatchPolicy.fixed(2, LONG)).concurrency(1).build()) {
            Tensor scale = Tensor.full(ElementType.FLOAT32, 0.5);
            java.util.function.IntFunction<Map<String, Tensor>> request = i -> Map.of(
                    "x", Tensor.of(TestModels.ramp(4, 0.1f * (i + 1)), 1, 4),
                    "state", Tensor.of(TestModels.ramp(12, 0.2f * (i + 1)), 2, 1, 6), "scale", scale);
            CompletableFuture<Map<String, Tensor>> a = batched.predict(request.apply(0));
            CompletableFuture<Map<String, Tensor>> b = batched.predict(request.apply(1)); // a batch of 2
            Map<String, Tensor> first = get(a);
            Map<String, Tensor> second = get(b);
            for (int i = 2; i < 60; i += 2) { // later batches of 2, with other values
                CompletableFuture<Map<String, Tensor>> c = batched.predict(request.apply(i));
                get(batched.predict(request.apply(i + 1)));
                get(c);
            }
            assertThat(batched.stats().batches()).isEqualTo(30);
            assertSameOutputs(first, model.run(request.apply(0)));
            assertSameOutputs(second, model.run(request.apply(1)));
        }
    }

    @Test
    void batchedOutputsAreImmutableMapsInTheModelsOutputOrder() throws Exception {
        try (OnnxModel model = OnnxModel.load(OnnxFileWriter.recurrent(5, 4, 6, 2));
                BatchedModel batched = BatchedModel.builder(model).batchAxis("state", 1).batchAxis("next_state", 1)
                        .shared("scale").policy(BatchPolicy.fixed(2, LONG)).build()) {
            Tensor scale = Tensor.full(ElementType.FLOAT32, 0.5);
            List<CompletableFuture<Map<String, Tensor>>> futures = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                futures.add(batched.predict(Map.of("x", Tensor.of(TestModels.ramp(4, 0.1f * (i + 1)), 1, 4),
                        "state", Tensor.of(TestModels.ramp(12, 0.2f * (i + 1)), 2, 1, 6), "scale", scale)));
            }
            Map<String, Tensor> out = get(futures.get(1));
            assertThat(out.keySet()).containsExactly("next_state", "y");
            assertThat(out.get("next_state").shape()).containsExactly(2, 1, 6);
            assertThat(out.get("y").shape()).containsExactly(1, 6);
            assertThat(out.get("missing")).isNull();
            assertThatThrownBy(() -> out.put("y", scale)).isInstanceOf(UnsupportedOperationException.class);
            assertThat(batched.stats().batches()).isEqualTo(1);
        }
    }

    @Test
    void manyClientThreadsGetCorrectResultsUnderAimd() throws Exception {
        try (OnnxModel model = OnnxModel.load(TestModels.mlp());
                BatchedModel batched = BatchedModel.builder(model).policy(BatchPolicy.aimd(Duration.ofMillis(50)))
                        .concurrency(2).build()) {
            ExecutorService clients = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < 8; c++) {
                    int client = c;
                    done.add(clients.submit(() -> {
                        for (int i = 0; i < 25; i++) {
                            Map<String, Tensor> in = Map.of("x", Tensor.of(TestModels.ramp(8, 0.01f * (client * 25 + i)), 1, 8));
                            assertSameOutputs(get(batched.predict(in)), model.run(in));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(25, TimeUnit.SECONDS);
                }
            } finally {
                clients.shutdownNow();
            }
            assertThat(batched.stats().requests()).isEqualTo(200);
            assertThat(batched.stats().rows()).isEqualTo(200);
        }
    }

    @Test
    void twoInputsAndInt64Inputs() throws Exception {
        try (OnnxModel model = OnnxModel.load(TestModels.twoInputs());
                BatchedModel batched = BatchedModel.builder(model).policy(BatchPolicy.fixed(3, LONG)).build()) {
            List<Map<String, Tensor>> requests = List.of(
                    Map.of("a", Tensor.of(new float[] {1, 2, 3}, 1, 3), "b", Tensor.of(new float[] {4, 5, 6}, 1, 3)),
                    Map.of("a", Tensor.of(new float[] {1, 1, 1, 2, 2, 2}, 2, 3),
                            "b", Tensor.of(new float[] {3, 3, 3, 4, 4, 4}, 2, 3)));
            var futures = requests.stream().map(batched::predict).toList();
            assertSameOutputs(get(futures.get(0)), model.run(requests.get(0)));
            assertSameOutputs(get(futures.get(1)), model.run(requests.get(1)));
            assertThat(get(futures.get(1)).get("product").toFloatArray()).containsExactly(3, 3, 3, 8, 8, 8);
            assertThat(batched.stats().batches()).isEqualTo(1);
        }
        try (OnnxModel model = OnnxModel.load(TestModels.int64Ids());
                BatchedModel batched = BatchedModel.builder(model).policy(BatchPolicy.fixed(4, LONG)).build()) {
            List<Map<String, Tensor>> requests = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                requests.add(Map.of("ids", Tensor.of(new long[] {i, 2 * i, 9 - i, 3, 7}, 1, 5)));
            }
            var futures = requests.stream().map(batched::predict).toList();
            for (int i = 0; i < 4; i++) {
                Map<String, Tensor> got = get(futures.get(i));
                assertSameOutputs(got, model.run(requests.get(i)));
                assertThat(got.get("label").type()).isEqualTo(ElementType.INT64);
            }
            assertThat(batched.stats().batches()).isEqualTo(1);
        }
    }

    @Test
    void sharedInputsSplitBatchesByValue() throws Exception {
        try (OnnxModel model = OnnxModel.load(TestModels.scaled());
                BatchedModel batched = BatchedModel.builder(model).shared("scale")
                        .policy(BatchPolicy.fixed(3, LONG)).build()) {
            List<CompletableFuture<Map<String, Tensor>>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                float scale = i % 2 == 0 ? 2 : 3;
                futures.add(batched.predict(Map.of("x", Tensor.of(new float[] {i, i, i}, 1, 3),
                        "scale", Tensor.of(new float[] {scale}))));
            }
            for (int i = 0; i < 6; i++) {
                float y = i * (i % 2 == 0 ? 2 : 3);
                assertThat(get(futures.get(i)).get("y").toFloatArray()).containsExactly(y, y, y);
            }
            assertThat(batched.stats()).isEqualTo(new BatchedModel.Stats(2, 6, 6));
        }
    }

    @Test
    void batchAxisIsConfigurablePerInputAndOutput() throws Exception {
        try (OnnxModel model = OnnxModel.load(TestModels.recurrentState());
                BatchedModel batched = BatchedModel.builder(model)
                        .batchAxis("state", 1).batchAxis("next_state", 1)
                        .policy(BatchPolicy.fixed(4, LONG)).build()) {
            List<Map<String, Tensor>> requests = new ArrayList<>();
            int[] rows = {1, 2, 1};
            for (int i = 0; i < rows.length; i++) {
                requests.add(Map.of("x", Tensor.of(TestModels.ramp(rows[i] * 3, i + 1), rows[i], 3),
                        "state", Tensor.of(TestModels.ramp(2 * rows[i] * 3, 0.5f * (i + 2)), 2, rows[i], 3)));
            }
            var futures = requests.stream().map(batched::predict).toList();
            for (int i = 0; i < rows.length; i++) {
                Map<String, Tensor> got = get(futures.get(i));
                assertThat(got.get("next_state").shape()).containsExactly(2, rows[i], 3);
                assertSameOutputs(got, model.run(requests.get(i)));
            }
            assertThat(batched.stats().batches()).isEqualTo(1);
        }
    }

    @Test
    void padsToTheLongestAndHandsTheModelTheOriginalLengths() throws Exception {
        try (OnnxModel model = OnnxModel.load(TestModels.sequence());
                BatchedModel batched = BatchedModel.builder(model).pad("x", 0).lengths("lengths", "x", 1)
                        .policy(BatchPolicy.fixed(4, LONG)).build()) {
            int[] seq = {2, 5, 3, 1};
            List<Tensor> xs = new ArrayList<>();
            List<CompletableFuture<Map<String, Tensor>>> futures = new ArrayList<>();
            for (int i = 0; i < seq.length; i++) {
                Tensor x = Tensor.of(TestModels.ramp(seq[i] * 2, 0.25f * (i + 1)), 1, seq[i], 2);
                xs.add(x);
                futures.add(batched.predict(Map.of("x", x))); // lengths omitted: filled in
            }
            for (int i = 0; i < seq.length; i++) {
                Map<String, Tensor> alone = model.run(Map.of("x", xs.get(i), "lengths", Tensor.of(new long[] {seq[i]}, 1)));
                Map<String, Tensor> got = get(futures.get(i));
                assertClose(got.get("mean"), alone.get("mean"));
                Tensor steps = got.get("steps");
                assertThat(steps.shape()).containsExactly(1, 5, 2); // outputs keep the padded length
                assertClose(steps.split(1, seq[i], 5 - seq[i]).get(0), alone.get("steps"));
            }
            assertThat(batched.stats().batches()).isEqualTo(1);
        }
    }

    @Test
    void withoutPaddingDifferentShapesNeverShareABatch() throws Exception {
        try (OnnxModel model = OnnxModel.load(TestModels.sequence());
                BatchedModel batched = BatchedModel.builder(model).policy(BatchPolicy.fixed(2, LONG)).build()) {
            int[] seq = {2, 3, 2, 3};
            List<Map<String, Tensor>> requests = new ArrayList<>();
            for (int i = 0; i < seq.length; i++) {
                requests.add(Map.of("x", Tensor.of(TestModels.ramp(seq[i] * 2, i + 1), 1, seq[i], 2),
                        "lengths", Tensor.of(new long[] {seq[i]}, 1)));
            }
            var futures = requests.stream().map(batched::predict).toList();
            for (int i = 0; i < seq.length; i++) {
                assertSameOutputs(get(futures.get(i)), model.run(requests.get(i)));
            }
            assertThat(batched.stats()).isEqualTo(new BatchedModel.Stats(2, 4, 4));
        }
    }

    @Test
    void batchOfOneModelRunsRowByRowAndWarnsOnce() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(BatchedModel.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (OnnxModel model = OnnxModel.load(TestModels.mlpBatchOne())) {
            try (BatchedModel first = BatchedModel.builder(model).build();
                    BatchedModel second = BatchedModel.builder(model).policy(BatchPolicy.fixed(8, LONG)).build()) {
                Tensor three = Tensor.of(TestModels.ramp(24, 0.2f), 3, 8);
                Map<String, Tensor> got = get(second.predict(Map.of("x", three)));
                List<Tensor> rows = three.split(0, 1, 1, 1);
                List<Tensor> expected = new ArrayList<>();
                for (Tensor row : rows) {
                    expected.add(model.run(Map.of("x", row)).get("probabilities"));
                }
                assertClose(got.get("probabilities"), Tensor.concat(expected, 0));
                assertThat(second.stats()).isEqualTo(new BatchedModel.Stats(3, 1, 3));
                assertSameOutputs(get(first.predict(Map.of("x", rows.get(0)))), model.run(Map.of("x", rows.get(0))));
            }
            assertThat(appender.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
                    .satisfies(e -> assertThat(e.getFormattedMessage()).contains("batch dimension fixed at 1"));
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void badRequestsAreRejectedAtPredictNamingTheInput() {
        try (OnnxModel model = OnnxModel.load(TestModels.twoInputs());
                BatchedModel batched = BatchedModel.builder(model).build()) {
            Tensor one = Tensor.of(new float[3], 1, 3);
            Tensor two = Tensor.of(new float[6], 2, 3);
            assertThatThrownBy(() -> batched.predict(Map.of("a", one)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing input 'b'");
            assertThatThrownBy(() -> batched.predict(Map.of("a", one, "b", one, "z", one)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no input 'z'");
            assertThatThrownBy(() -> batched.predict(Map.of("a", one, "b", Tensor.of(new long[3], 1, 3))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input 'b' is int64");
            assertThatThrownBy(() -> batched.predict(Map.of("a", Tensor.of(new float[3], 3), "b", one)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input 'a' has rank 1");
            assertThatThrownBy(() -> batched.predict(Map.of("a", one, "b", Tensor.of(new float[2], 1, 2))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input 'b' has size 2 on dimension 1");
            assertThatThrownBy(() -> batched.predict(Map.of("a", one, "b", two)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("input 'b' has 2 rows on axis 0 but input 'a' has 1");
            assertThatThrownBy(() -> batched.predict(Map.of("a", Tensor.of(new float[0], 0, 3), "b", Tensor.of(new float[0], 0, 3))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input 'a' has no rows");
            assertThat(batched.stats().batches()).isZero();
        }
    }

    @Test
    void builderChecksNamesAndAxes() {
        try (OnnxModel model = OnnxModel.load(TestModels.scaled())) {
            assertThatThrownBy(() -> BatchedModel.builder(model).build()) // scalar 'scale' cannot batch
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input 'scale' has rank 0");
            assertThatThrownBy(() -> BatchedModel.builder(model).shared("rate").build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'rate'");
            assertThatThrownBy(() -> BatchedModel.builder(model).shared("scale").batchAxis("y", 5).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output 'y'");
            assertThatThrownBy(() -> BatchedModel.builder(model).shared("scale").lengths("x", "x", 1).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be int64 or int32");
        }
    }

    @Test
    void anOutputWithoutBatchAxisFailsTheBatchWithAClearMessage() {
        byte[] bytes = OnnxFileWriter.create()
                .input("x", ElementType.FLOAT32, "batch", 3)
                .node("ReduceSum", List.of("x"), List.of("total"), Map.of("keepdims", 0L))
                .output("total", ElementType.FLOAT32)
                .toByteArray();
        try (OnnxModel model = OnnxModel.load(bytes);
                BatchedModel batched = BatchedModel.builder(model).policy(BatchPolicy.fixed(2, LONG)).build()) {
            var f1 = batched.predict(Map.of("x", Tensor.of(new float[] {1, 2, 3}, 1, 3)));
            var f2 = batched.predict(Map.of("x", Tensor.of(new float[] {1, 2, 3}, 1, 3)));
            assertThatThrownBy(() -> f1.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasRootCauseInstanceOf(IllegalStateException.class)
                    .rootCause().hasMessageContaining("output 'total'").hasMessageContaining("batchAxis");
            assertThat(f2).failsWithin(Duration.ofSeconds(20));
        }
    }
}
