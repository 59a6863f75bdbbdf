package dev.louie.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.louie.testing.ApiFuzzer;
import dev.louie.testing.CategoricalReport;
import dev.louie.testing.DistributionCheck;
import dev.louie.testing.FuzzReport;
import dev.louie.testing.LoadReport;
import dev.louie.testing.LoadTarget;
import dev.louie.testing.LoadTest;
import dev.louie.testing.LouieClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example service tested the four ways, with {@code louie-testing}, over real HTTP against
 * {@link ServingApp} as its command line starts it (SQLite file, a consumer, the ONNX classifier of
 * {@link BlockClassifier} behind a batcher): functional, statistical, error handling and load.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServingAppApiIT {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** The class frequencies the statistical test's inputs are drawn with. */
    static final Map<String, Double> MIXTURE = Map.of("0", 0.4, "1", 0.3, "2", 0.2, "3", 0.1);

    @TempDir
    static Path dir;
    static ServingApp app;
    static LouieClient client;

    @BeforeAll
    static void start() {
        app = ServingApp.parse("--port", "0", "--host", "127.0.0.1", "--db", dir.resolve("serving.db").toString()).start();
        client = LouieClient.of(app.http().uri());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    // ---- 1. functional ------------------------------------------------------------------------

    /** The {@code predict(name)} task answers the class and probabilities the classifier's definition gives. */
    @Test
    @Order(1)
    void thePredictTaskAnswersTheKnownClass() {
        for (String name : List.of("alice", "bob", "Grace Hopper", "Ada Lovelace")) {
            JsonNode result = client.call("predict", Map.of("name", name), TIMEOUT);
            float[] features = ServingTasks.features(name);
            assertThat(result.path("name").asText()).isEqualTo(name);
            assertThat(result.path("label").asInt()).as(name).isEqualTo(BlockClassifier.label(features));
            double[] expected = BlockClassifier.probabilities(features);
            for (int k = 0; k < BlockClassifier.CLASSES; k++) {
                assertThat(result.path("probabilities").path(k).asDouble()).as(name + " class " + k).isCloseTo(expected[k], within(1e-5));
            }
        }
    }

    /**
     * An input whose block {@code k} is 0.9 and the rest 0.1 is class {@code k} with probability
     * e^7.2 / (e^7.2 + 3 e^0.8) = 0.995036 (logits 8 × the block means).
     */
    @Test
    @Order(2)
    void theModelEndpointAnswersTheKnownProbabilities() {
        for (int k = 0; k < BlockClassifier.CLASSES; k++) {
            float[] x = new float[ServingTasks.FEATURES];
            for (int i = 0; i < x.length; i++) {
                x[i] = i / BlockClassifier.BLOCK == k ? 0.9f : 0.1f;
            }
            JsonNode p = client.predict("classifier", Map.of("x", new float[][] {x})).path("outputs").path("probabilities");
            assertThat(p.path("shape").toString()).isEqualTo("[1,4]");
            assertThat(labelOf(p)).isEqualTo(k);
            assertThat(p.path("data").path(k).asDouble()).isCloseTo(0.995036, within(1e-5));
            assertThat(p.path("data").path((k + 1) % 4).asDouble()).isCloseTo((1 - 0.995036) / 3, within(1e-5));
        }
    }

    // ---- 2. statistical -----------------------------------------------------------------------

    /**
     * 1,000 inputs drawn from four clusters with weights 40/30/20/10 %: the cluster of class
     * {@code k} has the features of block {@code k} uniform in [0.6, 1) and all others uniform in
     * [0, 0.4), so its block mean is at least 0.6 and every other below 0.4: each cluster lies wholly
     * in its class, and the predicted classes must follow the mixture weights. Drawn uniformly over
     * the four clusters instead (a drifted input stream), the same check fails.
     */
    @Test
    @Order(3)
    void predictedClassesFollowTheKnownDistribution() throws Exception {
        CategoricalReport matching = DistributionCheck.categorical(predictAll(draw(1000, new double[] {0.4, 0.3, 0.2, 0.1}, 11)), MIXTURE);
        System.out.println("statistical, inputs drawn 40/30/20/10 %:\n" + matching.table());
        matching.assertMatches(0.01).assertPsiBelow(0.1);

        CategoricalReport drifted = DistributionCheck.categorical(predictAll(draw(1000, new double[] {0.25, 0.25, 0.25, 0.25}, 12)), MIXTURE);
        System.out.println("statistical, inputs drawn 25/25/25/25 %:\n" + drifted.table());
        assertThatThrownBy(() -> drifted.assertMatches(0.01)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("do not match the expected distribution");
        assertThat(drifted.pValue()).isLessThan(1e-6);
        assertThat(drifted.psi()).isGreaterThan(0.1);
    }

    /** {@code n} inputs, each from the cluster of a class drawn with {@code weights}, from {@code seed}. */
    static List<float[]> draw(int n, double[] weights, long seed) {
        Random random = new Random(seed);
        List<float[]> inputs = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            double u = random.nextDouble();
            int k = 0;
            while (k < weights.length - 1 && u >= weights[k]) {
                u -= weights[k];
                k++;
            }
            float[] x = new float[ServingTasks.FEATURES];
            for (int i = 0; i < x.length; i++) {
                x[i] = i / BlockClassifier.BLOCK == k ? 0.6f + 0.4f * random.nextFloat() : 0.4f * random.nextFloat();
            }
            inputs.add(x);
        }
        return inputs;
    }

    /** Each input through {@code POST /api/v1/models/classifier/predict}, 8 at a time; the predicted classes. */
    static List<String> predictAll(List<float[]> inputs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (float[] x : inputs) {
                answers.add(pool.submit(() -> String.valueOf(labelOf(client.predict("classifier", Map.of("x", new float[][] {x}))
                        .path("outputs").path("probabilities")))));
            }
            List<String> labels = new ArrayList<>();
            for (Future<String> a : answers) {
                labels.add(a.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            }
            return labels;
        } finally {
            pool.shutdownNow();
        }
    }

    static int labelOf(JsonNode tensor) {
        JsonNode data = tensor.path("data");
        assertThat(data.size()).as(tensor.toString()).isEqualTo(BlockClassifier.CLASSES);
        int best = 0;
        for (int k = 1; k < data.size(); k++) {
            if (data.path(k).asDouble() > data.path(best).asDouble()) {
                best = k;
            }
        }
        return best;
    }

    // ---- 3. error handling --------------------------------------------------------------------

    /**
     * The fuzzer over the service's own OpenAPI document: every bad request gets a 4xx problem, none
     * a 5xx or no answer, and readiness holds. (It once found {@code {"name": null}} accepted with
     * a 202 although the document gives {@code name} a schema without null; the task then failed on
     * its worker. {@code louie-http} now refuses it with a 400.)
     */
    @Test
    @Order(4)
    void badRequestsGetProblemsAndTheServiceStaysReady() {
        URI base = app.http().uri();
        FuzzReport report = ApiFuzzer.builder(base).openApi(URI.create(base + "/openapi.json")).seed(7)
                .maxRequestsPerOperation(60).timeBudget(Duration.ofSeconds(60)).build().run();
        System.out.println("error handling: " + report.resultLine());
        assertThat(report.operations()).as("the predict task, results and the classifier at least").isGreaterThanOrEqualTo(3);
        assertThat(report.requests()).isGreaterThan(40);
        assertThat(report.stoppedByBudget()).isFalse();
        report.assertNoFailures();
        assertThat(client.send("GET", "/health/ready", null).status()).isEqualTo(200);
        LouieClient.Response nullName = client.send("POST", "/api/v1/tasks/predict", "{\"name\":null}");
        assertThat(nullName.status()).as(nullName.body()).isEqualTo(400);
        assertThat(nullName.json().at("/errors/0/path").asText()).isEqualTo("$.name");
    }

    // ---- 4. load ------------------------------------------------------------------------------

    /** 5 s at 40 predictions a second, open loop: every answer a 200 and the offered rate achieved. */
    @Test
    @Order(5)
    void holdsAModestConstantRate() throws Exception {
        StringBuilder body = new StringBuilder("{\"x\":[[");
        float[] x = draw(1, new double[] {0, 0, 1, 0}, 3).get(0);
        for (int i = 0; i < x.length; i++) {
            body.append(i == 0 ? "" : ",").append(x[i]);
        }
        body.append("]]}");
        LoadReport report = LoadTest.builder(LoadTarget.http(URI.create(app.http().uri() + "/api/v1/models/classifier/predict"), body.toString()))
                .constantRate(40).duration(Duration.ofSeconds(5)).requestTimeout(Duration.ofSeconds(10))
                .build().run();
        Path plot = Path.of("target", "serving-app-load.png");
        Files.createDirectories(plot.getParent());
        report.writePlot(plot);
        System.out.println("load: " + report.resultLine());
        assertThat(report.errors()).as(report.toString()).isZero();
        assertThat(report.statuses()).containsOnlyKeys(200);
        assertThat(report.completed()).isEqualTo(report.sent()).isGreaterThanOrEqualTo(190);
        assertThat(report.achievedPerSecond()).isCloseTo(report.offeredPerSecond(), within(report.offeredPerSecond() * 0.1));
        assertThat(Files.size(plot)).isGreaterThan(1000);
    }
}
