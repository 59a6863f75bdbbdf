package dev.louie.http;

import static dev.louie.http.HttpFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.louie.batching.BatchPolicy;
import dev.louie.onnx.BatchedModel;
import dev.louie.onnx.OnnxModel;
import dev.louie.onnx.Tensor;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code POST /api/v1/models/{model}/predict} over real HTTP against real ONNX Runtime sessions:
 * outputs, nested arrays, batching across HTTP requests, each 400 naming its input, 503 when the
 * batcher is overloaded, 504 when the deadline passed before the request ran, 502 when the batcher
 * rejects the model's output, 404 for an unknown model. Batches are made deterministic without
 * timing: a fixed policy with a long delay dispatches exactly when its size is reached.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ModelEndpointTest {
    private static final Duration LONG = Duration.ofSeconds(20);
    static final List<AutoCloseable> closing = new ArrayList<>();
    static HttpFixture f;
    static BatchedModel linear;
    static BatchedModel fours;
    static BatchedModel full;

    @BeforeAll
    static void start() {
        OnnxModel lin = open(TestModels.linear());
        linear = batched(BatchedModel.builder(lin).name("linear"));
        fours = batched(BatchedModel.builder(open(TestModels.linear())).name("fours").policy(BatchPolicy.fixed(4, LONG)));
        // one request may wait, for LONG: a second one overloads it
        full = batched(BatchedModel.builder(open(TestModels.linear())).name("full").policy(BatchPolicy.fixed(64, LONG)).maxQueueSize(1));
        BatchedModel held = batched(BatchedModel.builder(open(TestModels.linear())).name("held").policy(BatchPolicy.fixed(64, LONG)));
        BatchedModel ids = batched(BatchedModel.builder(open(TestModels.ids())).name("ids"));
        BatchedModel total = batched(BatchedModel.builder(open(TestModels.total())).name("total").policy(BatchPolicy.fixed(2, LONG)));
        f = new HttpFixture(false, b -> b.model("linear", linear).model("fours", fours).model("full", full)
                .model("held", held).model("ids", ids).model("total", total));
    }

    private static OnnxModel open(byte[] bytes) {
        OnnxModel m = OnnxModel.load(bytes);
        closing.add(m);
        return m;
    }

    private static BatchedModel batched(BatchedModel.Builder b) {
        BatchedModel m = b.build();
        closing.add(0, m);
        return m;
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private static HttpResponse<String> predict(String model, String body) {
        return predict(model, "", body);
    }

    private static HttpResponse<String> predict(String model, String query, String body) {
        return f.post("/api/v1/models/" + model + "/predict" + query, body);
    }

    private static CompletableFuture<HttpResponse<String>> predictAsync(String model, String body) {
        return f.client.sendAsync(f.request("/api/v1/models/" + model + "/predict").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<Double> data(JsonNode tensor) {
        List<Double> out = new ArrayList<>();
        tensor.get("data").forEach(v -> out.add(v.asDouble()));
        return out;
    }

    /** Asserts a 400 problem whose errors name {@code path}; returns the problem. */
    private static JsonNode badInput(HttpResponse<String> r, String path) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode p = json(r);
        List<String> paths = new ArrayList<>();
        p.path("errors").forEach(e -> paths.add(e.get("path").asText()));
        assertThat(paths).as(r.body()).contains(path);
        return p;
    }

    @Test
    void predictAnswersTheModelsOutputs() {
        HttpResponse<String> r = predict("linear", "{\"x\":{\"shape\":[1,2],\"data\":[1,2]}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode y = json(r).get("outputs").get("y");
        assertThat(y.get("type").asText()).isEqualTo("float32");
        assertThat(y.get("shape").toString()).isEqualTo("[1,2]");
        assertThat(data(y)).containsExactly(17.0, 30.0); // [1*1 + 2*3 + 10, 1*2 + 2*4 + 20]
        assertThat(json(r).get("model").asText()).isEqualTo("linear");
    }

    @Test
    void nestedArraysAreTensorsToo() {
        HttpResponse<String> r = predict("linear", "{\"x\":[[1,2],[3,4]]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode y = json(r).get("outputs").get("y");
        assertThat(y.get("shape").toString()).isEqualTo("[2,2]");
        assertThat(data(y)).containsExactly(17.0, 30.0, 25.0, 42.0);
    }

    @Test
    void integerInputsAndOutputs() {
        HttpResponse<String> r = predict("ids", "{\"ids\":[[1,2],[30,40]]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode out = json(r).get("outputs");
        assertThat(out.get("same").get("type").asText()).isEqualTo("int64");
        assertThat(out.get("sum").get("data").toString()).isEqualTo("[3,70]");
    }

    @Test
    void concurrentHttpRequestsShareOneModelRun() throws Exception {
        long before = fours.stats().batches();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(predictAsync("fours", "{\"x\":[[" + i + ",0]]}"));
        }
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = calls.get(i).get(30, TimeUnit.SECONDS);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(data(json(r).get("outputs").get("y"))).as("request %d gets its own row", i).containsExactly(i + 10.0, 2.0 * i + 20);
        }
        assertThat(fours.stats().batches() - before).as("four HTTP requests, one model run").isEqualTo(1);
    }

    @Test
    void missingInputIs400NamingIt() {
        JsonNode p = badInput(predict("linear", "{}"), "$.x");
        assertThat(p.get("detail").asText()).contains("missing input 'x'");
    }

    @Test
    void wrongRankIs400NamingTheInput() {
        JsonNode p = badInput(predict("linear", "{\"x\":[1,2]}"), "$.x");
        assertThat(p.toString()).contains("rank 1").contains("rank 2");
    }

    @Test
    void wrongSizeIs400NamingTheInput() {
        JsonNode p = badInput(predict("linear", "{\"x\":{\"shape\":[1,3],\"data\":[1,2,3]}}"), "$.x");
        assertThat(p.get("detail").asText()).contains("size 3 on dimension 1");
    }

    @Test
    void wrongElementTypeIs400NamingTheInput() {
        assertThat(badInput(predict("linear", "{\"x\":[[\"1\",2]]}"), "$.x").toString()).contains("not a number");
        assertThat(badInput(predict("ids", "{\"ids\":[[1.5,2]]}"), "$.ids").toString()).contains("not an integer");
        assertThat(badInput(predict("linear", "{\"x\":{\"type\":\"int64\",\"data\":[[1,2]]}}"), "$.x.type").toString())
                .contains("float32");
    }

    @Test
    void shapeThatTheDataDoesNotFillIs400() {
        badInput(predict("linear", "{\"x\":{\"shape\":[2,2],\"data\":[1,2,3]}}"), "$.x.data");
        badInput(predict("linear", "{\"x\":[[1,2],[3]]}"), "$.x[1]");
    }

    @Test
    void unknownInputAndNonObjectBodiesAre400() {
        badInput(predict("linear", "{\"x\":[[1,2]],\"z\":[[1,2]]}"), "$.z");
        badInput(predict("linear", "[[1,2]]"), "$");
        badInput(predict("linear", "{\"x\":[[1,2]"), "$");
    }

    @Test
    void readinessListsTheServedModels() {
        HttpResponse<String> r = f.get("/health/ready");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode models = json(r).at("/checks/models");
        assertThat(models.get("status").asText()).isEqualTo("up");
        assertThat(models.get("names").toString()).contains("\"linear\"").contains("\"total\"");
    }

    @Test
    void unknownModelIs404() {
        HttpResponse<String> r = predict("nope", "{\"x\":[[1,2]]}");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("type").asText()).isEqualTo("urn:louie:problem:unknown-model");
    }

    @Test
    void notJsonIs415() {
        HttpResponse<String> r = f.send(f.request("/api/v1/models/linear/predict").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("1,2")));
        assertThat(r.statusCode()).isEqualTo(415);
    }

    @Test
    void overloadedBatcherIs503WithRetryAfter() throws Exception {
        // fill the one place of the queue in-process; the policy holds it for LONG
        CompletableFuture<Map<String, Tensor>> waiting = full.predict(Map.of("x", Tensor.of(new float[] {1, 2}, 1, 2)));
        assertThat(waiting).isNotDone();
        HttpResponse<String> r = predict("full", "{\"x\":[[1,2]]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json(r).get("type").asText()).isEqualTo("urn:louie:problem:model-overloaded");
    }

    @Test
    void deadlineThatPassesBeforeTheRequestRunsIs504() {
        // the held model waits LONG to fill a batch of 64: the request's deadline passes first
        HttpResponse<String> byQuery = predict("held", "?timeout=200ms", "{\"x\":[[1,2]]}");
        assertThat(byQuery.statusCode()).as(byQuery.body()).isEqualTo(504);
        assertThat(json(byQuery).get("type").asText()).isEqualTo("urn:louie:problem:deadline-exceeded");

        HttpResponse<String> byHeader = f.send(f.request("/api/v1/models/held/predict").header("Content-Type", "application/json")
                .header("X-Request-Timeout", "200ms").POST(HttpRequest.BodyPublishers.ofString("{\"x\":[[1,2]]}")));
        assertThat(byHeader.statusCode()).as(byHeader.body()).isEqualTo(504);
    }

    @Test
    void badTimeoutIs400() {
        HttpResponse<String> r = predict("linear", "?timeout=soon", "{\"x\":[[1,2]]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("detail").asText()).contains("timeout must be a duration");
    }

    @Test
    void outputTheBatcherRejectsIs502() throws Exception {
        // two requests fill a batch of 2; the scalar output cannot be split back into their rows
        var a = predictAsync("total", "{\"x\":[[1,2]]}");
        var b = predictAsync("total", "{\"x\":[[3,4]]}");
        for (HttpResponse<String> r : List.of(a.get(30, TimeUnit.SECONDS), b.get(30, TimeUnit.SECONDS))) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
            assertThat(json(r).get("type").asText()).isEqualTo("urn:louie:problem:model-failed");
            assertThat(json(r).get("detail").asText()).contains("output 'total'");
        }
    }
}
