package dev.louie.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.louie.onnx.OnnxModel;
import dev.louie.onnx.Tensor;
import dev.louie.onnx.TensorSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The streaming fast path gives the tree path's tensors, and steps aside for every body it does not fully accept. */
class TensorStreamTest {
    static final ObjectMapper STRICT = LouieHttp.strictMapper();
    static OnnxModel linear;
    static OnnxModel ids;

    @BeforeAll
    static void load() {
        linear = OnnxModel.load(TestModels.linear());
        ids = OnnxModel.load(TestModels.ids());
    }

    @AfterAll
    static void close() {
        linear.close();
        ids.close();
    }

    private static Map<String, Tensor> fast(String body, List<TensorSpec> specs) {
        return TensorStream.decode(STRICT.getFactory(), body.getBytes(StandardCharsets.UTF_8), specs);
    }

    @Test
    void givesTheTreePathsTensors() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        TensorSpec x = linear.inputs().get(0);
        for (int round = 0; round < 200; round++) {
            int rows = 1 + random.nextInt(4);
            StringBuilder data = new StringBuilder();
            for (int i = 0; i < rows * 2; i++) {
                data.append(i == 0 ? "" : ",");
                switch (random.nextInt(6)) {
                    case 0 -> data.append(random.nextInt(-1000, 1000));
                    case 4 -> data.append(List.of("-0.0", "0.000", "0.001", "-123.456000", "9007199254740.993", "0.1").get(random.nextInt(6)));
                    case 5 -> data.append(String.format(java.util.Locale.ROOT, "%.3f", random.nextDouble(-10, 10)));
                    case 1 -> data.append(random.nextDouble() * 1e-30);
                    case 2 -> data.append((float) random.nextGaussian());
                    default -> data.append(random.nextDouble(-1e6, 1e6));
                }
            }
            String body = round % 2 == 0 ? "{\"x\":{\"shape\":[" + rows + ",2],\"data\":[" + data + "]}}"
                    : "{\"x\":{\"data\":[" + data + "],\"shape\":[" + rows + ",2]}}";
            Tensor streamed = fast(body, linear.inputs()).get("x");
            Tensor tree = TensorJson.decode(x, STRICT.readTree(body).get("x"));
            assertThat(streamed.shape()).isEqualTo(tree.shape());
            assertThat(streamed.toFloatArray()).as(body).isEqualTo(tree.toFloatArray());
        }
    }

    /** The decimal fast path gives the double that the JDK's parser gives, digit for digit. */
    @Test
    void decimalsAreCorrectlyRounded() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        StringBuilder json = new StringBuilder("[");
        List<String> texts = new java.util.ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            int digits = 1 + random.nextInt(17);
            StringBuilder t = new StringBuilder(random.nextBoolean() ? "-" : "");
            int point = random.nextInt(digits);
            for (int d = 0; d < digits; d++) {
                t.append((char) ('0' + random.nextInt(10)));
                if (d == point) {
                    t.append('.');
                }
            }
            String text = t.toString().replaceFirst("^(-?)0+(\\d)", "$1$2");
            if (text.endsWith(".")) {
                text += "0";
            }
            texts.add(text);
            json.append(i == 0 ? "" : ",").append(text);
        }
        try (com.fasterxml.jackson.core.JsonParser p = STRICT.getFactory().createParser(json.append("]").toString())) {
            p.nextToken();
            for (String text : texts) {
                assertThat(p.nextToken()).as(text).isEqualTo(com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_FLOAT);
                assertThat(TensorStream.decimal(p)).as(text).isEqualTo(Double.parseDouble(text));
            }
        }
    }

    @Test
    void stepsAsideForWhatItDoesNotFullyAccept() {
        List<TensorSpec> specs = linear.inputs();
        assertThat(fast("{\"x\":{\"shape\":[1,2],\"data\":[1,2]}}", specs)).isNotNull();
        for (String body : List.of(
                "{\"x\":{\"shape\":[1,2],\"data\":[[1,2]]}}",          // nested data
                "{\"x\":[[1,2]]}",                                      // nested arrays without shape
                "{\"x\":{\"shape\":[1,2],\"data\":[1,\"2\"]}}",         // a string element
                "{\"x\":{\"shape\":[1,2],\"data\":[1,null]}}",          // a null element
                "{\"x\":{\"shape\":[1,2],\"data\":[1,2,3]}}",           // count against shape
                "{\"x\":{\"shape\":[2],\"data\":[1,2]}}",               // rank
                "{\"x\":{\"shape\":[1,2],\"data\":[1,2],\"type\":\"float32\"}}",
                "{\"x\":{\"shape\":[1,2],\"data\":[1,2]},\"y\":1}",     // unknown input
                "{\"x\":{\"shape\":[1,2],\"data\":[1,2]},\"x\":{\"shape\":[1,2],\"data\":[1,2]}}",
                "{\"x\":{\"shape\":[1,2],\"data\":[1,2]}} []",          // trailing data
                "{\"x\":{\"shape\":[1,2],\"data\":[1,2]",               // malformed
                "{}", "[]", "")) {
            assertThat(fast(body, specs)).as(body).isNull();
        }
        assertThat(fast("{\"ids\":{\"shape\":[1,2],\"data\":[1,2]}}", ids.inputs())).as("integer inputs take the tree path").isNull();
    }
}
