package dev.louie.onnx;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * What a model declares about one of its inputs or outputs: name, element type and shape, where a
 * dynamic dimension is {@code -1} and may carry a symbolic name such as {@code "batch"}.
 */
public final class TensorSpec {

    private final String name;
    private final ElementType type;
    private final long[] shape;
    private final List<String> dimensionNames;

    TensorSpec(String name, ElementType type, long[] shape, List<String> dimensionNames) {
        this.name = name;
        this.type = type;
        this.shape = shape.clone();
        this.dimensionNames = List.copyOf(dimensionNames);
    }

    /** The input or output name. */
    public String name() {
        return name;
    }

    /** The element type. */
    public ElementType type() {
        return type;
    }

    /** The declared shape; {@code -1} marks a dynamic dimension. */
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Whether dimension {@code axis} is dynamic. */
    public boolean isDynamic(int axis) {
        return shape[axis] < 0;
    }

    /** Symbolic dimension names, one per dimension; empty strings where there is none. */
    public List<String> dimensionNames() {
        return dimensionNames;
    }

    /**
     * The best guess for the dynamic batch axis: a dynamic dimension whose symbolic name contains
     * "batch", else dimension 0 when it is dynamic, else empty (no dynamic batch axis; a model whose
     * dimension 0 is fixed at 1 is a batch-1 model). Guesses can be wrong — {@link BatchedModel.Builder#batchAxis}
     * sets the axis explicitly.
     */
    public OptionalInt batchAxis() {
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0 && dimensionNames.get(d).toLowerCase(Locale.ROOT).contains("batch")) {
                return OptionalInt.of(d);
            }
        }
        return shape.length > 0 && shape[0] < 0 ? OptionalInt.of(0) : OptionalInt.empty();
    }

    /** E.g. {@code x: float32[batch, 64]}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(name).append(": ").append(type).append('[');
        for (int d = 0; d < shape.length; d++) {
            if (d > 0) {
                s.append(", ");
            }
            if (shape[d] >= 0) {
                s.append(shape[d]);
            } else {
                s.append(dimensionNames.get(d).isEmpty() ? "?" : dimensionNames.get(d));
            }
        }
        return s.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && t.name.equals(name) && t.type == type && Arrays.equals(t.shape, shape)
                && t.dimensionNames.equals(dimensionNames);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }
}
