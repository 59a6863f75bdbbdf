package dev.louie.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OnnxModelTest {

    private static Map<String, Tensor> x(float... values) {
        return Map.of("x", Tensor.of(values, values.length / 2, 2));
    }

    @Test
    void runsTheModelAndComputesExactValues() {
        try (OnnxModel m = OnnxModel.load(TestModels.linear())) {
            Map<String, Tensor> out = m.run(x(1, 1, 2, 0));
            assertThat(out).containsOnlyKeys("y");
            assertThat(out.get("y").shape()).containsExactly(2, 2);
            assertThat(out.get("y").toFloatArray()).containsExactly(14, 26, 12, 24);
        }
    }

    @Test
    void loadsFromPathBytesAndStream(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("linear.onnx");
        Files.write(file, TestModels.linear());
        List<OnnxModel> models = List.of(OnnxModel.load(file), OnnxModel.load(file, OnnxOptions.defaults()),
                OnnxModel.load(new ByteArrayInputStream(TestModels.linear()), OnnxOptions.defaults()));
        for (OnnxModel m : models) {
            try (m) {
                assertThat(m.run(x(0, 0)).get("y").toFloatArray()).containsExactly(10, 20);
            }
        }
        assertThatThrownBy(() -> OnnxModel.load(dir.resolve("missing.onnx")))
                .isInstanceOf(OnnxException.class).hasMessageContaining("missing.onnx");
        assertThatThrownBy(() -> OnnxModel.load(new byte[] {1, 2, 3}))
                .isInstanceOf(OnnxException.class).hasMessageContaining("cannot load");
    }

    @Test
    void exposesInputOutputAndModelMetadata() {
        try (OnnxModel m = OnnxModel.load(TestModels.recurrentState())) {
            assertThat(m.inputs()).extracting(TensorSpec::name).containsExactly("x", "state");
            TensorSpec state = m.input("state");
            assertThat(state.type()).isEqualTo(ElementType.FLOAT32);
            assertThat(state.shape()).containsExactly(2, -1, 3);
            assertThat(state.dimensionNames()).containsExactly("", "b", "");
            assertThat(state.isDynamic(1)).isTrue();
            assertThat(state.batchAxis()).isEmpty(); // dim 0 fixed, no "batch" name: set it explicitly
            assertThat(m.input("x").batchAxis()).hasValue(0);
            assertThat(m.outputs()).extracting(TensorSpec::toString)
                    .containsExactly("y: float32[n, 3]", "next_state: float32[2, m, 3]");
            assertThatThrownBy(() -> m.input("nope")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'nope'").hasMessageContaining("x: float32[n, 3]");
        }
        try (OnnxModel m = OnnxModel.load(TestModels.linear())) {
            assertThat(m.customMetadata()).containsEntry("task", "linear");
            assertThat(m.producerName()).isEqualTo("louie");
            assertThat(m.output("y").batchAxis()).hasValue(0);
        }
        try (OnnxModel m = OnnxModel.load(TestModels.sequence())) {
            assertThat(m.input("x").batchAxis()).hasValue(0);
            assertThat(m.input("x").dimensionNames()).containsExactly("batch", "seq", "");
        }
    }

    @Test
    void everyElementTypeGoesThroughTheModel() {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("in_" + ElementType.FLOAT32, Tensor.of(new float[] {1.5f, 2, 3, 4}, 2, 2));
        in.put("in_" + ElementType.FLOAT64, Tensor.of(new double[] {1.5, 2, 3, 4}, 2, 2));
        in.put("in_" + ElementType.INT32, Tensor.of(new int[] {-1, 2, 3, 4}, 2, 2));
        in.put("in_" + ElementType.INT64, Tensor.of(new long[] {1L << 40, 2, 3, 4}, 2, 2));
        in.put("in_" + ElementType.INT8, Tensor.ofInt8(new byte[] {-1, 2, 3, 4}, 2, 2));
        in.put("in_" + ElementType.UINT8, Tensor.ofUint8(new byte[] {(byte) 255, 2, 3, 4}, 2, 2));
        in.put("in_" + ElementType.BOOL, Tensor.of(new boolean[] {true, false, false, true}, 2, 2));
        try (OnnxModel m = OnnxModel.load(TestModels.identities())) {
            Map<String, Tensor> out = m.run(in);
            for (ElementType t : ElementType.values()) {
                assertThat(out.get("out_" + t)).as(t.toString()).isEqualTo(in.get("in_" + t));
            }
        }
    }

    @Test
    void int64InputsAndOutputs() {
        try (OnnxModel m = OnnxModel.load(TestModels.int64Ids())) {
            Map<String, Tensor> out = m.run(Map.of("ids", Tensor.of(new long[] {0, 1, 2, 3, 4, 9, 9, 9, 9, 9}, 2, 5)));
            assertThat(out.get("label").type()).isEqualTo(ElementType.INT64);
            assertThat(out.get("label").shape()).containsExactly(2);
            assertThat(out.get("embedding").shape()).containsExactly(2, 3);
            float[] table = TestModels.ramp(30, 0.1f);
            float[] row1 = out.get("embedding").toFloatArray();
            assertThat(row1[3]).isCloseTo(table[27], within(1e-6f)); // id 9, column 0, mean of five equal rows
        }
    }

    @Test
    void rejectsBadInputsNamingTheInput() {
        try (OnnxModel m = OnnxModel.load(TestModels.twoInputs())) {
            Tensor ok = Tensor.of(new float[3], 1, 3);
            assertThatThrownBy(() -> m.run(Map.of("a", ok)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing input 'b'");
            assertThatThrownBy(() -> m.run(Map.of("a", ok, "b", ok, "c", ok)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown input 'c'");
            assertThatThrownBy(() -> m.run(Map.of("a", ok, "b", Tensor.of(new double[3], 1, 3))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("input 'b' is float64 but the model expects float32");
            assertThatThrownBy(() -> m.run(Map.of("a", Tensor.of(new float[3], 3), "b", ok)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input 'a' has rank 1");
            assertThatThrownBy(() -> m.run(Map.of("a", ok, "b", Tensor.of(new float[4], 1, 4))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("input 'b' has size 4 on dimension 1");
        }
    }

    @Test
    void concurrentRunsGiveTheSameResultsAsSequentialOnes() throws Exception {
        try (OnnxModel m = OnnxModel.load(TestModels.mlp())) {
            List<Tensor> inputs = new ArrayList<>();
            List<Tensor> expected = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                Tensor in = Tensor.of(TestModels.ramp(8 * (1 + i % 3), 0.01f * (i + 1)), 1 + i % 3, 8);
                inputs.add(in);
                expected.add(m.run(Map.of("x", in)).get("probabilities"));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Tensor>> got = new ArrayList<>();
                for (Tensor in : inputs) {
                    got.add(pool.submit(() -> m.run(Map.of("x", in)).get("probabilities")));
                }
                for (int i = 0; i < got.size(); i++) {
                    assertThat(got.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(expected.get(i));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void softmaxRowsSumToOne() {
        try (OnnxModel m = OnnxModel.load(TestModels.mlp())) {
            float[] p = m.run(Map.of("x", Tensor.of(TestModels.ramp(16, 0.3f), 2, 8))).get("probabilities").toFloatArray();
            assertThat(p[0] + p[1] + p[2] + p[3]).isCloseTo(1f, within(1e-5f));
            assertThat(p[4] + p[5] + p[6] + p[7]).isCloseTo(1f, within(1e-5f));
        }
    }

    @Test
    void closeFreesTheSessionAndLaterRunsFail() {
        OnnxModel m = OnnxModel.load(TestModels.linear());
        m.close();
        m.close(); // idempotent
        assertThatThrownBy(() -> m.run(x(1, 2))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void optionsAreAppliedAndValidated() {
        OnnxOptions options = OnnxOptions.builder().intraOpThreads(1).interOpThreads(1)
                .optimization(OnnxOptions.Optimization.NONE).warmUp(true)
                .sessionConfig("session.intra_op.allow_spinning", "0").build();
        try (OnnxModel m = OnnxModel.load(TestModels.sequence(), options)) {
            assertThat(m.device()).isEqualTo(Device.cpu());
            assertThat(m.deviceFallbackReason()).isEmpty();
        }
        assertThatThrownBy(() -> OnnxOptions.builder().intraOpThreads(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("intraOpThreads must be >= 0 (0 = ONNX Runtime's default), not -1");
    }

    @Test
    void defaultsAreOneIntraOpThreadWithoutSpinningAndAnExplicitEntryWins() {
        OnnxOptions defaults = OnnxOptions.defaults();
        assertThat(defaults.intraOpThreads()).isEqualTo(1);
        assertThat(defaults.spinning()).isFalse();
        assertThat(defaults.sessionConfig()).containsEntry("session.intra_op.allow_spinning", "0");
        assertThat(OnnxOptions.builder().spinning(true).build().sessionConfig())
                .containsEntry("session.intra_op.allow_spinning", "1");
        assertThat(OnnxOptions.builder().spinning(true).sessionConfig("session.intra_op.allow_spinning", "0")
                .build().sessionConfig()).containsEntry("session.intra_op.allow_spinning", "0");
        try (OnnxModel m = OnnxModel.load(TestModels.sequence(), OnnxOptions.builder().intraOpThreads(0).spinning(true)
                .build())) {
            assertThat(m.inputs()).isNotEmpty(); // ONNX Runtime accepts both settings
        }
    }
}
