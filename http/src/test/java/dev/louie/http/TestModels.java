package dev.louie.http;

import dev.louie.onnx.ElementType;
import dev.louie.onnx.OnnxFileWriter;
import dev.louie.onnx.Tensor;
import java.util.List;
import java.util.Map;

/** Small ONNX models the HTTP tests generate with {@link OnnxFileWriter}; ONNX Runtime runs them for real. */
final class TestModels {
    private TestModels() {
    }

    /** y = x · [[1, 2], [3, 4]] + [10, 20]; x float32[batch, 2], so outputs can be checked by hand. */
    static byte[] linear() {
        return OnnxFileWriter.create()
                .input("x", ElementType.FLOAT32, "batch", 2)
                .initializer("w", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2))
                .initializer("b", Tensor.of(new float[] {10, 20}, 2))
                .node("MatMul", List.of("x", "w"), List.of("xw"))
                .node("Add", List.of("xw", "b"), List.of("y"))
                .output("y", ElementType.FLOAT32, "batch", 2)
                .toByteArray();
    }

    /** ids int64[batch, 2] → the same ids, and their sum per row; for integer inputs. */
    static byte[] ids() {
        return OnnxFileWriter.create()
                .input("ids", ElementType.INT64, "batch", 2)
                .initializer("axis1", Tensor.of(new long[] {1}, 1))
                .node("Identity", List.of("ids"), List.of("same"))
                .node("ReduceSum", List.of("ids", "axis1"), List.of("sum"), Map.of("keepdims", 0L))
                .output("same", ElementType.INT64, "batch", 2)
                .output("sum", ElementType.INT64, "batch")
                .toByteArray();
    }

    /**
     * x float32[batch, 2] → the sum of every element, a scalar: an output with no batch axis, which
     * a batch of two requests cannot split back (the batcher rejects it).
     */
    static byte[] total() {
        return OnnxFileWriter.create()
                .input("x", ElementType.FLOAT32, "batch", 2)
                .node("ReduceSum", List.of("x"), List.of("total"), Map.of("keepdims", 0L))
                .output("total", ElementType.FLOAT32)
                .toByteArray();
    }
}
