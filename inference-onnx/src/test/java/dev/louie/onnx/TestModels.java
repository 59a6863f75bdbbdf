package dev.louie.onnx;

import java.util.List;
import java.util.Map;

/** Small ONNX models the tests generate with {@link OnnxFileWriter}. */
final class TestModels {
    private TestModels() {
    }

    /** y = x · [[1, 2], [3, 4]] + [10, 20]; x float32[batch, 2]. */
    static byte[] linear() {
        return linear("batch");
    }

    /** The linear model with its batch dimension given (a name for dynamic, a number for fixed). */
    static byte[] linear(Object batchDim) {
        return OnnxFileWriter.create()
                .input("x", ElementType.FLOAT32, batchDim, 2)
                .initializer("w", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2))
                .initializer("b", Tensor.of(new float[] {10, 20}, 2))
                .node("MatMul", List.of("x", "w"), List.of("xw"))
                .node("Add", List.of("xw", "b"), List.of("y"))
                .output("y", ElementType.FLOAT32, batchDim, 2)
                .metadata("task", "linear")
                .toByteArray();
    }

    /** MLP 8 → 16 → 4 with softmax; input x, output probabilities. */
    static byte[] mlp() {
        return OnnxFileWriter.mlp(7, 8, 16, 4);
    }

    /** MLP 8 → 16 → 4 whose batch dimension is fixed at 1. */
    static byte[] mlpBatchOne() {
        return OnnxFileWriter.create()
                .input("x", ElementType.FLOAT32, 1, 8)
                .initializer("w", Tensor.of(ramp(8 * 4, 0.05f), 8, 4))
                .node("MatMul", List.of("x", "w"), List.of("z"))
                .node("Softmax", List.of("z"), List.of("probabilities"), Map.of("axis", -1L))
                .output("probabilities", ElementType.FLOAT32, 1, 4)
                .toByteArray();
    }

    /** Inputs a, b float32[batch, 3]; outputs sum = a + b, product = a * b. */
    static byte[] twoInputs() {
        return OnnxFileWriter.create()
                .input("a", ElementType.FLOAT32, "batch", 3)
                .input("b", ElementType.FLOAT32, "batch", 3)
                .node("Add", List.of("a", "b"), List.of("sum"))
                .node("Mul", List.of("a", "b"), List.of("product"))
                .output("sum", ElementType.FLOAT32, "batch", 3)
                .output("product", ElementType.FLOAT32, "batch", 3)
                .toByteArray();
    }

    /** x float32[batch, 3] times a scalar float32 input scale: y = x * scale. */
    static byte[] scaled() {
        return OnnxFileWriter.create()
                .input("x", ElementType.FLOAT32, "batch", 3)
                .input("scale", ElementType.FLOAT32)
                .node("Mul", List.of("x", "scale"), List.of("y"))
                .output("y", ElementType.FLOAT32, "batch", 3)
                .toByteArray();
    }

    /**
     * A recurrent-style step whose state batches on axis 1: x float32[n, 3], state float32[2, b, 3]
     * (dimension names differ on purpose); y = x + sum over layers of state, next_state = state * x.
     */
    static byte[] recurrentState() {
        return OnnxFileWriter.create()
                .input("x", ElementType.FLOAT32, "n", 3)
                .input("state", ElementType.FLOAT32, 2, "b", 3)
                .initializer("axis0", Tensor.of(new long[] {0}, 1))
                .node("ReduceSum", List.of("state", "axis0"), List.of("state_sum"), Map.of("keepdims", 0L))
                .node("Add", List.of("x", "state_sum"), List.of("y"))
                .node("Mul", List.of("state", "x"), List.of("next_state"))
                .output("y", ElementType.FLOAT32, "n", 3)
                .output("next_state", ElementType.FLOAT32, 2, "m", 3)
                .toByteArray();
    }

    /**
     * Token ids int64[batch, 5] → embedding table float32[10, 3] → mean over the 5 tokens →
     * embedding float32[batch, 3] and label = argmax int64[batch].
     */
    static byte[] int64Ids() {
        return OnnxFileWriter.create()
                .input("ids", ElementType.INT64, "batch", 5)
                .initializer("table", Tensor.of(ramp(30, 0.1f), 10, 3))
                .node("Gather", List.of("table", "ids"), List.of("vectors"), Map.of("axis", 0L))
                .node("ReduceMean", List.of("vectors"), List.of("embedding"),
                        Map.of("axes", new long[] {1}, "keepdims", 0L))
                .node("ArgMax", List.of("embedding"), List.of("label"), Map.of("axis", 1L, "keepdims", 0L))
                .output("embedding", ElementType.FLOAT32, "batch", 3)
                .output("label", ElementType.INT64, "batch")
                .toByteArray();
    }

    /**
     * Variable sequence length: x float32[batch, seq, 2], lengths int64[batch]; mean = sum over seq
     * / lengths (so zero padding does not change it when lengths are the true ones), steps = relu(x).
     */
    static byte[] sequence() {
        return OnnxFileWriter.create()
                .input("x", ElementType.FLOAT32, "batch", "seq", 2)
                .input("lengths", ElementType.INT64, "batch")
                .initializer("axis1", Tensor.of(new long[] {1}, 1))
                .node("ReduceSum", List.of("x", "axis1"), List.of("total"), Map.of("keepdims", 0L))
                .node("Cast", List.of("lengths"), List.of("n"), Map.of("to", 1L))
                .node("Unsqueeze", List.of("n", "axis1"), List.of("n1"))
                .node("Div", List.of("total", "n1"), List.of("mean"))
                .node("Relu", List.of("x"), List.of("steps"))
                .output("mean", ElementType.FLOAT32, "batch", 2)
                .output("steps", ElementType.FLOAT32, "batch", "seq", 2)
                .toByteArray();
    }

    /** One Identity per element type: inputs in_TYPE, outputs out_TYPE, shape [batch, 2]. */
    static byte[] identities() {
        OnnxFileWriter b = OnnxFileWriter.create();
        for (ElementType t : ElementType.values()) {
            b.input("in_" + t, t, "batch", 2)
                    .node("Identity", List.of("in_" + t), List.of("out_" + t))
                    .output("out_" + t, t, "batch", 2);
        }
        return b.toByteArray();
    }

    static float[] ramp(int n, float step) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = ((i * 7) % 11 - 5) * step;
        }
        return v;
    }
}
