package dev.louie.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Writes small ONNX model files in code (the bytes of a {@code .onnx} file, which
 * {@link OnnxModel#load(byte[])} reads), for tests, benchmarks and demos — no Python, no downloads.
 *
 * <p>It writes the protobuf wire format of {@code onnx.proto} directly: graph inputs and outputs,
 * initializers (weights) and nodes with attributes. It does not check the graph; ONNX Runtime does
 * that when the bytes are loaded.
 *
 * <pre>{@code
 * byte[] model = OnnxFileWriter.create()
 *         .input("x", ElementType.FLOAT32, "batch", 4)
 *         .initializer("w", Tensor.of(weights, 4, 2))
 *         .node("MatMul", List.of("x", "w"), List.of("y"))
 *         .output("y", ElementType.FLOAT32, "batch", 2)
 *         .toByteArray();
 * OnnxModel m = OnnxModel.load(model);
 * }</pre>
 *
 * <p>{@link #mlp} makes a ready multi-layer perceptron classifier with random weights.
 */
public final class OnnxFileWriter {

    // onnx.proto field numbers
    private static final int MODEL_IR_VERSION = 1;
    private static final int MODEL_PRODUCER_NAME = 2;
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET_IMPORT = 8;
    private static final int MODEL_METADATA_PROPS = 14;
    private static final int OPSET_VERSION = 2;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_NAME = 2;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int ATTR_NAME = 1;
    private static final int ATTR_F = 2;
    private static final int ATTR_I = 3;
    private static final int ATTR_S = 4;
    private static final int ATTR_T = 5;
    private static final int ATTR_FLOATS = 7;
    private static final int ATTR_INTS = 8;
    private static final int ATTR_TYPE = 20;
    private static final int ATTR_TYPE_FLOAT = 1;
    private static final int ATTR_TYPE_INT = 2;
    private static final int ATTR_TYPE_STRING = 3;
    private static final int ATTR_TYPE_TENSOR = 4;
    private static final int ATTR_TYPE_FLOATS = 6;
    private static final int ATTR_TYPE_INTS = 7;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int VALUE_INFO_NAME = 1;
    private static final int VALUE_INFO_TYPE = 2;
    private static final int TYPE_TENSOR_TYPE = 1;
    private static final int TYPE_TENSOR_ELEM_TYPE = 1;
    private static final int TYPE_TENSOR_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;
    private static final int DIM_PARAM = 2;
    private static final int STRING_ENTRY_KEY = 1;
    private static final int STRING_ENTRY_VALUE = 2;

    private final int opset;
    private final ProtoWriter graph = new ProtoWriter();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private int nodeCount;

    private OnnxFileWriter(int opset) {
        this.opset = opset;
    }

    /** A writer for the default ONNX opset, 17. */
    public static OnnxFileWriter create() {
        return create(17);
    }

    /** A writer for the given ONNX opset version (operator semantics follow that opset). */
    public static OnnxFileWriter create(int opset) {
        if (opset < 7) {
            throw new IllegalArgumentException("opset must be >= 7, got " + opset);
        }
        return new OnnxFileWriter(opset);
    }

    /**
     * Declares a graph input. Each of {@code dims} is a number (a fixed size) or a string (a dynamic
     * dimension with that symbolic name, e.g. {@code "batch"}).
     */
    public OnnxFileWriter input(String name, ElementType type, Object... dims) {
        inputs.add(valueInfo(name, type, dims));
        return this;
    }

    /** Declares a graph output; {@code dims} as in {@link #input}. */
    public OnnxFileWriter output(String name, ElementType type, Object... dims) {
        outputs.add(valueInfo(name, type, dims));
        return this;
    }

    /** Adds a constant tensor (weights) that nodes refer to by {@code name}. */
    public OnnxFileWriter initializer(String name, Tensor value) {
        graph.message(GRAPH_INITIALIZER, tensorProto(name, value));
        return this;
    }

    /** Adds a node without attributes. */
    public OnnxFileWriter node(String opType, List<String> inputs, List<String> outputs) {
        return node(opType, inputs, outputs, Map.of());
    }

    /**
     * Adds a node. Attribute values may be Integer/Long (int), Float/Double (float), String,
     * long[]/int[] (ints), float[] (floats) or {@link Tensor}.
     */
    public OnnxFileWriter node(String opType, List<String> inputs, List<String> outputs,
            Map<String, Object> attributes) {
        ProtoWriter n = new ProtoWriter();
        inputs.forEach(i -> n.string(NODE_INPUT, i));
        outputs.forEach(o -> n.string(NODE_OUTPUT, o));
        n.string(NODE_NAME, opType.toLowerCase(java.util.Locale.ROOT) + "_" + nodeCount++);
        n.string(NODE_OP_TYPE, opType);
        for (Map.Entry<String, Object> a : attributes.entrySet()) {
            n.message(NODE_ATTRIBUTE, attribute(a.getKey(), a.getValue()));
        }
        graph.message(GRAPH_NODE, n);
        return this;
    }

    /** Adds a {@code metadata_props} entry, readable through {@link OnnxModel#customMetadata()}. */
    public OnnxFileWriter metadata(String key, String value) {
        metadata.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
        return this;
    }

    /** @return the serialized model ({@code ModelProto}): the contents of a {@code .onnx} file */
    public byte[] toByteArray() {
        ProtoWriter body = new ProtoWriter();
        // graph = nodes + initializers (in the order added) + name + inputs + outputs
        byte[] nodesAndInits = graph.toByteArray();
        ProtoWriter rest = new ProtoWriter().string(GRAPH_NAME, "louie");
        inputs.forEach(i -> rest.message(GRAPH_INPUT, i));
        outputs.forEach(o -> rest.message(GRAPH_OUTPUT, o));
        byte[] restBytes = rest.toByteArray();
        byte[] graphBytes = new byte[nodesAndInits.length + restBytes.length];
        System.arraycopy(nodesAndInits, 0, graphBytes, 0, nodesAndInits.length);
        System.arraycopy(restBytes, 0, graphBytes, nodesAndInits.length, restBytes.length);
        body.varint(MODEL_IR_VERSION, 8);
        body.string(MODEL_PRODUCER_NAME, "louie");
        body.bytes(MODEL_GRAPH, graphBytes);
        body.message(MODEL_OPSET_IMPORT, new ProtoWriter().string(1, "").varint(OPSET_VERSION, opset));
        metadata.forEach((k, v) -> body.message(MODEL_METADATA_PROPS,
                new ProtoWriter().string(STRING_ENTRY_KEY, k).string(STRING_ENTRY_VALUE, v)));
        return body.toByteArray();
    }

    // ---- ready-made models -------------------------------------------------------------------

    /**
     * A multi-layer perceptron classifier: input {@code x} float32 {@code [batch, sizes[0]]}, hidden
     * layers MatMul + Add + Relu, last layer MatMul + Add + Softmax, output {@code probabilities}
     * float32 {@code [batch, sizes[last]]}. Weights are uniform in ±1/√fan-in from {@code seed}.
     *
     * @param sizes at least two layer widths, e.g. {@code 256, 1024, 1024, 10}
     */
    public static byte[] mlp(long seed, int... sizes) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("an MLP needs at least an input and an output width");
        }
        Random random = new Random(seed);
        OnnxFileWriter b = create().input("x", ElementType.FLOAT32, "batch", sizes[0]);
        String previous = "x";
        for (int layer = 0; layer + 1 < sizes.length; layer++) {
            int in = sizes[layer];
            int out = sizes[layer + 1];
            float[] w = new float[in * out];
            float scale = (float) (1 / Math.sqrt(in));
            for (int i = 0; i < w.length; i++) {
                w[i] = (random.nextFloat() * 2 - 1) * scale;
            }
            float[] bias = new float[out];
            for (int i = 0; i < out; i++) {
                bias[i] = (random.nextFloat() * 2 - 1) * scale;
            }
            String l = "l" + layer;
            b.initializer(l + "_w", Tensor.of(w, in, out)).initializer(l + "_b", Tensor.of(bias, out));
            b.node("MatMul", List.of(previous, l + "_w"), List.of(l + "_mm"));
            b.node("Add", List.of(l + "_mm", l + "_b"), List.of(l + "_z"));
            boolean last = layer + 2 == sizes.length;
            String next = last ? "probabilities" : l + "_a";
            if (last) {
                b.node("Softmax", List.of(l + "_z"), List.of(next), Map.of("axis", -1L));
            } else {
                b.node("Relu", List.of(l + "_z"), List.of(next));
            }
            previous = next;
        }
        return b.output("probabilities", ElementType.FLOAT32, "batch", sizes[sizes.length - 1]).toByteArray();
    }

    /**
     * A small convolutional image classifier: input {@code x} float32 {@code [batch, 3, height,
     * width]}; per entry of {@code channels} a 3×3 Conv (padding 1) + Relu + 2×2 MaxPool; then
     * GlobalAveragePool, Flatten, Gemm and Softmax to output {@code probabilities} float32 {@code
     * [batch, classes]}. On a CPU its throughput usually peaks at a small batch. Weights are
     * uniform in ±1/√fan-in from {@code seed}.
     *
     * @param height   input height, divisible by 2 for each conv layer
     * @param width    input width, divisible by 2 for each conv layer
     * @param classes  output classes
     * @param channels output channels of each conv layer, at least one
     */
    public static byte[] cnn(long seed, int height, int width, int classes, int... channels) {
        if (channels.length == 0 || height < 1 || width < 1 || classes < 1) {
            throw new IllegalArgumentException("a CNN needs positive height, width, classes and at least one conv layer");
        }
        Random random = new Random(seed);
        OnnxFileWriter b = create().input("x", ElementType.FLOAT32, "batch", 3, height, width);
        String previous = "x";
        int in = 3;
        for (int layer = 0; layer < channels.length; layer++) {
            int out = channels[layer];
            String l = "conv" + layer;
            b.initializer(l + "_w", Tensor.of(uniform(random, out * in * 9, in * 9), out, in, 3, 3))
                    .initializer(l + "_b", Tensor.of(uniform(random, out, in * 9), out));
            b.node("Conv", List.of(previous, l + "_w", l + "_b"), List.of(l + "_z"),
                    Map.of("kernel_shape", new long[] {3, 3}, "pads", new long[] {1, 1, 1, 1}));
            b.node("Relu", List.of(l + "_z"), List.of(l + "_a"));
            b.node("MaxPool", List.of(l + "_a"), List.of(l + "_p"),
                    Map.of("kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2}));
            previous = l + "_p";
            in = out;
        }
        b.node("GlobalAveragePool", List.of(previous), List.of("gap"));
        b.node("Flatten", List.of("gap"), List.of("features"), Map.of("axis", 1L));
        b.initializer("fc_w", Tensor.of(uniform(random, in * classes, in), in, classes))
                .initializer("fc_b", Tensor.of(uniform(random, classes, in), classes));
        b.node("Gemm", List.of("features", "fc_w", "fc_b"), List.of("logits"));
        b.node("Softmax", List.of("logits"), List.of("probabilities"), Map.of("axis", -1L));
        return b.output("probabilities", ElementType.FLOAT32, "batch", classes).toByteArray();
    }

    /**
     * One step of a small recurrent network whose state is batched on axis 1, as exported RNNs
     * often are: inputs {@code x} float32 {@code [batch, inputs]}, {@code state} float32 {@code
     * [layers, batch, hidden]} and {@code scale}, a float32 scalar shared by the whole batch;
     * outputs {@code next_state = scale · tanh(state·U + x·W)} float32 {@code [layers, batch,
     * hidden]} (batch axis 1) and {@code y}, its mean over the layers, float32 {@code [batch,
     * hidden]}.
     */
    public static byte[] recurrent(long seed, int inputs, int hidden, int layers) {
        if (inputs < 1 || hidden < 1 || layers < 1) {
            throw new IllegalArgumentException("a recurrent step needs positive inputs, hidden and layers");
        }
        Random random = new Random(seed);
        return create()
                .input("x", ElementType.FLOAT32, "batch", inputs)
                .input("state", ElementType.FLOAT32, layers, "batch", hidden)
                .input("scale", ElementType.FLOAT32)
                .initializer("w", Tensor.of(uniform(random, inputs * hidden, inputs), inputs, hidden))
                .initializer("u", Tensor.of(uniform(random, hidden * hidden, hidden), hidden, hidden))
                .node("MatMul", List.of("x", "w"), List.of("xw"))
                .node("MatMul", List.of("state", "u"), List.of("su"))
                .node("Add", List.of("su", "xw"), List.of("z"))
                .node("Tanh", List.of("z"), List.of("h"))
                .node("Mul", List.of("h", "scale"), List.of("next_state"))
                .node("ReduceMean", List.of("next_state"), List.of("y"), Map.of("axes", new long[] {0}, "keepdims", 0L))
                .output("next_state", ElementType.FLOAT32, layers, "batch", hidden)
                .output("y", ElementType.FLOAT32, "batch", hidden)
                .toByteArray();
    }

    private static float[] uniform(Random random, int n, int fanIn) {
        float scale = (float) (1 / Math.sqrt(fanIn));
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (random.nextFloat() * 2 - 1) * scale;
        }
        return v;
    }

    // ---- pieces ------------------------------------------------------------------------------

    private static ProtoWriter valueInfo(String name, ElementType type, Object[] dims) {
        ProtoWriter shape = new ProtoWriter();
        for (Object d : dims) {
            ProtoWriter dim = new ProtoWriter();
            if (d instanceof Number n) {
                dim.varint(DIM_VALUE, n.longValue());
            } else if (d instanceof String s) {
                dim.string(DIM_PARAM, s);
            } else {
                throw new IllegalArgumentException("dimension of '" + name + "' must be a number or a name, got " + d);
            }
            shape.message(SHAPE_DIM, dim);
        }
        ProtoWriter tensorType = new ProtoWriter().varint(TYPE_TENSOR_ELEM_TYPE, type.onnxDataType())
                .message(TYPE_TENSOR_SHAPE, shape);
        return new ProtoWriter().string(VALUE_INFO_NAME, name)
                .message(VALUE_INFO_TYPE, new ProtoWriter().message(TYPE_TENSOR_TYPE, tensorType));
    }

    private static ProtoWriter tensorProto(String name, Tensor value) {
        ByteBuffer src = value.buffer();
        byte[] raw = new byte[src.remaining()];
        int size = value.type().byteSize();
        if (size == 1 || ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            src.get(raw);
        } else { // raw_data is little-endian
            ByteBuffer le = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            while (src.hasRemaining()) {
                if (size == 4) {
                    le.putInt(src.getInt());
                } else {
                    le.putLong(src.getLong());
                }
            }
        }
        return new ProtoWriter().packedVarints(TENSOR_DIMS, value.shape())
                .varint(TENSOR_DATA_TYPE, value.type().onnxDataType())
                .string(TENSOR_NAME, name)
                .bytes(TENSOR_RAW_DATA, raw);
    }

    private static ProtoWriter attribute(String name, Object value) {
        ProtoWriter a = new ProtoWriter().string(ATTR_NAME, name);
        if (value instanceof Integer || value instanceof Long) {
            a.varint(ATTR_I, ((Number) value).longValue()).varint(ATTR_TYPE, ATTR_TYPE_INT);
        } else if (value instanceof Float || value instanceof Double) {
            a.float32(ATTR_F, ((Number) value).floatValue()).varint(ATTR_TYPE, ATTR_TYPE_FLOAT);
        } else if (value instanceof String s) {
            a.string(ATTR_S, s).varint(ATTR_TYPE, ATTR_TYPE_STRING);
        } else if (value instanceof long[] ints) {
            a.packedVarints(ATTR_INTS, ints).varint(ATTR_TYPE, ATTR_TYPE_INTS);
        } else if (value instanceof int[] ints) {
            a.packedVarints(ATTR_INTS, java.util.Arrays.stream(ints).asLongStream().toArray())
                    .varint(ATTR_TYPE, ATTR_TYPE_INTS);
        } else if (value instanceof float[] floats) {
            a.packedFloats(ATTR_FLOATS, floats).varint(ATTR_TYPE, ATTR_TYPE_FLOATS);
        } else if (value instanceof Tensor t) {
            a.message(ATTR_T, tensorProto(name, t)).varint(ATTR_TYPE, ATTR_TYPE_TENSOR);
        } else {
            throw new IllegalArgumentException("attribute '" + name + "' has unsupported value type "
                    + (value == null ? "null" : value.getClass().getName()));
        }
        return a;
    }
}
