package dev.louie.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.louie.http.ProblemException.FieldError;
import dev.louie.onnx.ElementType;
import dev.louie.onnx.Tensor;
import dev.louie.onnx.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Tensors as JSON, for the model endpoint: in, {@code {"shape":[1,64],"data":[…]}} (flat or nested
 * data, an optional {@code "type"} that must match the model's) or a bare nested array
 * ({@code [[0.1, 0.2, …]]}) or a scalar; out, {@code {"type":"float32","shape":[1,4],"data":[…]}}
 * with flat data in row-major order. Decoding checks the element type (numbers for floats,
 * integers in range for integer types, booleans for bool), the rank against the model's input, and
 * that the data fills the shape; each failure names the input by its JSON path.
 */
final class TensorJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TensorJson() {
    }

    /**
     * The tensor for input {@code spec} given as {@code node}.
     *
     * @throws ProblemException 400 naming {@code $.<input>} and what is wrong
     */
    static Tensor decode(TensorSpec spec, JsonNode node) {
        String path = "$." + spec.name();
        long[] shape;
        JsonNode data;
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("shape") && !f.equals("data") && !f.equals("type")) {
                    throw bad(path + "." + f, "unknown field; a tensor is {\"shape\":[…],\"data\":[…]} (\"type\" optional)", spec);
                }
            }
            JsonNode type = node.get("type");
            if (type != null && !type.asText().toLowerCase(Locale.ROOT).equals(spec.type().toString())) {
                throw bad(path + ".type", "is " + type + " but the model expects " + spec.type(), spec);
            }
            data = node.get("data");
            if (data == null) {
                throw bad(path + ".data", "missing: the tensor's elements, flat in row-major order or nested", spec);
            }
            long[] nested = nestedShape(data, path + ".data", spec);
            JsonNode s = node.get("shape");
            if (s == null) {
                shape = nested;
            } else {
                shape = readShape(s, path + ".shape", spec);
                long count = count(shape);
                if (nested.length > 1 && !Arrays.equals(nested, shape)) {
                    throw bad(path + ".data", "nested as " + Arrays.toString(nested) + " but the shape is " + Arrays.toString(shape), spec);
                }
                long given = count(nested);
                if (given != count) {
                    throw bad(path + ".data", "has " + given + " elements but shape " + Arrays.toString(shape) + " needs " + count, spec);
                }
            }
        } else if (node.isArray() || node.isValueNode() && !node.isNull()) {
            data = node;
            shape = nestedShape(node, path, spec);
        } else {
            throw bad(path, "expected a tensor: {\"shape\":[…],\"data\":[…]}, a nested array or a number, not "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT), spec);
        }
        if (shape.length != spec.rank()) {
            throw bad(path, "has rank " + shape.length + " (shape " + Arrays.toString(shape) + ") but the model expects rank "
                    + spec.rank(), spec);
        }
        return fill(spec, shape, data, path);
    }

    /** The shape that the nesting of {@code data} gives; a flat array is rank 1, a number rank 0. */
    private static long[] nestedShape(JsonNode data, String path, TensorSpec spec) {
        List<Long> dims = new ArrayList<>();
        JsonNode n = data;
        while (n.isArray()) {
            dims.add((long) n.size());
            if (n.isEmpty()) {
                break;
            }
            n = n.get(0);
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        checkRegular(data, shape, 0, path, spec);
        return shape;
    }

    private static void checkRegular(JsonNode n, long[] shape, int depth, String path, TensorSpec spec) {
        if (depth == shape.length) {
            if (n.isArray()) {
                throw bad(path, "is nested deeper here than elsewhere; a tensor's nested arrays must be regular", spec);
            }
            return;
        }
        if (!n.isArray() || n.size() != shape[depth]) {
            throw bad(path, "is ragged: expected " + (n.isArray() ? "an array of " + shape[depth] + ", not " + n.size() : "an array")
                    + "; a tensor's nested arrays must be regular (shape " + Arrays.toString(shape) + ")", spec);
        }
        for (int i = 0; i < n.size(); i++) {
            checkRegular(n.get(i), shape, depth + 1, path + "[" + i + "]", spec);
        }
    }

    private static long[] readShape(JsonNode s, String path, TensorSpec spec) {
        if (!s.isArray()) {
            throw bad(path, "expected an array of dimension sizes, e.g. [1, 64]", spec);
        }
        long[] shape = new long[s.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = s.get(i);
            if (!d.isIntegralNumber() || d.asLong() < 0) {
                throw bad(path + "[" + i + "]", "expected a dimension size of 0 or more, not " + d, spec);
            }
            shape[i] = d.asLong();
        }
        return shape;
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The elements of {@code data} (flat or nested), checked against the element type, in a tensor of {@code shape}. */
    private static Tensor fill(TensorSpec spec, long[] shape, JsonNode data, String path) {
        ElementType type = spec.type();
        long count = count(shape);
        if (count > Integer.MAX_VALUE / type.byteSize()) {
            throw bad(path, "is too large: " + count + " elements", spec);
        }
        ByteBuffer b = ByteBuffer.allocate((int) count * type.byteSize()).order(ByteOrder.nativeOrder());
        int[] index = {0};
        visit(data, path, spec, b, index);
        b.flip();
        return Tensor.wrap(type, b, shape);
    }

    private static void visit(JsonNode n, String path, TensorSpec spec, ByteBuffer b, int[] index) {
        if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                visit(n.get(i), path, spec, b, index);
            }
            return;
        }
        int i = index[0]++;
        switch (spec.type()) {
            case FLOAT32 -> b.putFloat((float) number(n, path, i, spec));
            case FLOAT64 -> b.putDouble(number(n, path, i, spec));
            case INT32 -> b.putInt((int) integer(n, path, i, spec, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case INT64 -> b.putLong(integer(n, path, i, spec, Long.MIN_VALUE, Long.MAX_VALUE));
            case INT8 -> b.put((byte) integer(n, path, i, spec, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case UINT8 -> b.put((byte) integer(n, path, i, spec, 0, 255));
            case BOOL -> {
                if (!n.isBoolean()) {
                    throw element(path, i, n, "true or false", spec);
                }
                b.put(n.booleanValue() ? (byte) 1 : (byte) 0);
            }
        }
    }

    private static double number(JsonNode n, String path, int i, TensorSpec spec) {
        if (!n.isNumber()) {
            throw element(path, i, n, "a number", spec);
        }
        return n.doubleValue();
    }

    private static long integer(JsonNode n, String path, int i, TensorSpec spec, long min, long max) {
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < min || n.longValue() > max) {
            throw element(path, i, n, "an integer from " + min + " to " + max, spec);
        }
        return n.longValue();
    }

    private static ProblemException element(String path, int i, JsonNode n, String expected, TensorSpec spec) {
        return bad(path, "element " + i + " is " + (n.isTextual() ? "the string " : "") + n + ", not " + expected
                + " (the input is " + spec.type() + ")", spec);
    }

    private static ProblemException bad(String path, String message, TensorSpec spec) {
        String input = spec.name();
        return ProblemException.badRequest("input '" + input + "' does not fit the model's " + spec, List.of(new FieldError(path, message)));
    }

    /** {@code {"type":"float32","shape":[…],"data":[…]}} with the elements flat in row-major order. */
    static ObjectNode encode(Tensor t) {
        ObjectNode out = NODES.objectNode();
        out.put("type", t.type().toString());
        ArrayNode shape = out.putArray("shape");
        for (long d : t.shape()) {
            shape.add(d);
        }
        ArrayNode data = out.putArray("data");
        switch (t.type()) {
            case FLOAT32 -> {
                for (float v : t.toFloatArray()) {
                    data.add(v);
                }
            }
            case FLOAT64 -> {
                for (double v : t.toDoubleArray()) {
                    data.add(v);
                }
            }
            case INT32 -> {
                for (int v : t.toIntArray()) {
                    data.add(v);
                }
            }
            case INT64 -> {
                for (long v : t.toLongArray()) {
                    data.add(v);
                }
            }
            case INT8 -> {
                for (byte v : t.toByteArray()) {
                    data.add(v);
                }
            }
            case UINT8 -> {
                for (byte v : t.toByteArray()) {
                    data.add(v & 0xff);
                }
            }
            case BOOL -> {
                for (boolean v : t.toBooleanArray()) {
                    data.add(v);
                }
            }
        }
        return out;
    }
}
