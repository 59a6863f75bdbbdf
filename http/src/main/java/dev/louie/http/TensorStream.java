package dev.louie.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.louie.onnx.ElementType;
import dev.louie.onnx.Tensor;
import dev.louie.onnx.TensorSpec;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fast path of a predict body: the common form {@code {"x": {"shape": [1, 256], "data": [...]}}}
 * with floating-point inputs, read token by token straight into the tensors, without the JSON tree
 * that {@link TensorJson} walks. It answers only for a body it fully accepts; for anything else
 * (nested data, a {@code "type"} field, an integer input, a bad element, a missing or unknown
 * input, malformed JSON) it answers null and the caller decodes the body through the tree, which
 * names what is wrong. Both paths give the same tensors for the same body.
 */
final class TensorStream {
    private TensorStream() {
    }

    /** The inputs of {@code body}, or null when the fast path does not take it. */
    static Map<String, Tensor> decode(JsonFactory json, byte[] body, List<TensorSpec> specs) {
        Map<String, TensorSpec> byName = new HashMap<>();
        for (TensorSpec s : specs) {
            if (s.type() != ElementType.FLOAT32 && s.type() != ElementType.FLOAT64) {
                return null;
            }
            byName.put(s.name(), s);
        }
        try (JsonParser p = json.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                TensorSpec spec = t == JsonToken.FIELD_NAME ? byName.get(p.currentName()) : null;
                if (spec == null || inputs.containsKey(spec.name())) {
                    return null;
                }
                Tensor tensor = tensor(p, spec);
                if (tensor == null) {
                    return null;
                }
                inputs.put(spec.name(), tensor);
            }
            if (p.nextToken() != null || inputs.size() != specs.size()) {
                return null;
            }
            return inputs;
        } catch (IOException | RuntimeException e) {
            return null; // the tree path says what is wrong
        }
    }

    /** {@code {"shape":[…],"data":[…]}} in either order, or null. */
    private static Tensor tensor(JsonParser p, TensorSpec spec) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        long[] shape = null;
        double[] data = null;
        int count = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String field = p.currentName();
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return null;
            }
            if ("shape".equals(field) && shape == null) {
                long[] dims = new long[8];
                int rank = 0;
                for (JsonToken d = p.nextToken(); d != JsonToken.END_ARRAY; d = p.nextToken()) {
                    if (d != JsonToken.VALUE_NUMBER_INT || rank == dims.length || p.getLongValue() < 0) {
                        return null;
                    }
                    dims[rank++] = p.getLongValue();
                }
                shape = Arrays.copyOf(dims, rank);
            } else if ("data".equals(field) && data == null) {
                data = new double[256];
                for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                    if (v != JsonToken.VALUE_NUMBER_FLOAT && v != JsonToken.VALUE_NUMBER_INT) {
                        return null;
                    }
                    if (count == data.length) {
                        data = Arrays.copyOf(data, count * 2);
                    }
                    data[count++] = v == JsonToken.VALUE_NUMBER_FLOAT ? decimal(p) : p.getDoubleValue();
                }
            } else {
                return null;
            }
        }
        if (shape == null || data == null || shape.length != spec.rank() || elements(shape) != count) {
            return null;
        }
        if (spec.type() == ElementType.FLOAT64) {
            return Tensor.of(Arrays.copyOf(data, count), shape);
        }
        float[] floats = new float[count];
        for (int i = 0; i < count; i++) {
            floats[i] = (float) data[i];
        }
        return Tensor.of(floats, shape);
    }

    /** Powers of ten that a double holds exactly. */
    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /**
     * A number token such as {@code 0.391} or {@code -12.5}: with at most 15 significant digits and
     * no exponent, its digits and its power of ten are both exact doubles, so one division gives
     * the correctly rounded value (Clinger's fast path), the same double a full parser gives.
     * Anything else goes to the parser.
     */
    static double decimal(JsonParser p) throws IOException {
        char[] text = p.getTextCharacters();
        int i = p.getTextOffset();
        int end = i + p.getTextLength();
        boolean negative = i < end && text[i] == '-';
        if (negative) {
            i++;
        }
        long digits = 0;
        int significant = 0;
        int fraction = -1;
        for (; i < end; i++) {
            char c = text[i];
            if (c >= '0' && c <= '9') {
                if (digits != 0 || c != '0') {
                    significant++;
                }
                digits = digits * 10 + (c - '0');
                if (fraction >= 0) {
                    fraction++;
                }
            } else if (c == '.' && fraction < 0) {
                fraction = 0;
            } else {
                return p.getDoubleValue(); // an exponent
            }
        }
        if (significant > 15 || fraction < 0 || fraction >= POW10.length) {
            return p.getDoubleValue();
        }
        double value = digits / POW10[fraction];
        return negative ? -value : value;
    }

    private static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
