package dev.louie.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.louie.onnx.BatchedModel;
import dev.louie.onnx.OnnxFileWriter;
import dev.louie.onnx.OnnxModel;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * LouieHttp serving tasks and a model (an MLP classifier on ONNX Runtime): the typed client's
 * predict, and the fuzzer over the server's own {@code /openapi.json}.
 */
class LouieHttpModelTest {
    private static final OnnxModel MODEL = OnnxModel.load(OnnxFileWriter.mlp(7, 8, 16, 4));
    private static final BatchedModel CLASSIFIER = BatchedModel.builder(MODEL).name("classifier").build();

    @RegisterExtension
    static final LouieHttpExtension api = LouieHttpExtension.of(new Calculator()).tasks("add", "fail")
            .configure(b -> b.model("classifier", CLASSIFIER));

    @AfterAll
    static void close() {
        CLASSIFIER.close();
        MODEL.close();
    }

    @Test
    void predictAnswersTheClassProbabilities() {
        JsonNode answer = api.client().predict("classifier", Map.of("x", List.of(List.of(1, 2, 3, 4, 5, 6, 7, 8))));
        JsonNode p = answer.path("outputs").path("probabilities");
        assertThat(p.path("shape").toString()).isEqualTo("[1,4]");
        double sum = 0;
        for (JsonNode v : p.path("data")) {
            sum += v.asDouble();
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }

    /**
     * The fuzzer over the server's own document: every bad request to every documented operation
     * (tasks, results, the model's predict) gets a 4xx problem, and readiness holds.
     */
    @Test
    void everyBadRequestToTheDocumentedOperationsGetsAProblem() {
        URI base = api.http().uri();
        List<String> seen = new ArrayList<>();
        FuzzReport report = ApiFuzzer.builder(base).openApi(base.resolve("/openapi.json")).seed(11)
                .requestTimeout(Duration.ofSeconds(10)).log(seen::add).build().run();
        // the tasks, results and the model's predict at least
        assertThat(report.operations()).isGreaterThanOrEqualTo(4);
        assertThat(report.requests()).isGreaterThan(50);
        report.assertNoFailures();
        assertThat(seen).isEmpty();
    }
}
