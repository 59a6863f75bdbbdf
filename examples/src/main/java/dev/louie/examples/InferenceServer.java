package dev.louie.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.louie.batching.BatchPolicy;
import dev.louie.batching.BatcherOverloadedException;
import dev.louie.batching.DeadlineExceededException;
import dev.louie.onnx.BatchedModel;
import dev.louie.onnx.OnnxFileWriter;
import dev.louie.onnx.OnnxModel;
import dev.louie.onnx.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP inference service: each request is one row, concurrent requests share model calls
 * through the batcher (AIMD against a 50 ms SLO), overload answers 503 and a request older than
 * its deadline 504.
 *
 * <pre>
 * java -cp examples/target/louie-examples.jar dev.louie.examples.InferenceServer [port] [model.onnx]
 * curl -s localhost:8080/predict -d '{"features":[0.1, 0.2, ...64 numbers]}'
 * </pre>
 *
 * Without a model file it serves a generated classifier with 64 inputs and 4 classes.
 */
public final class InferenceServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Request body. */
    public record PredictRequest(float[] features) {
    }

    /** Response body. */
    public record PredictResponse(int label, float[] probabilities) {
    }

    private final OnnxModel model;
    private final BatchedModel batched;
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newFixedThreadPool(64);
    private final Duration deadline;

    /** Starts serving {@code model} on {@code port} (0 picks a free one). */
    public InferenceServer(OnnxModel model, int port, Duration slo) throws IOException {
        this.model = model;
        this.deadline = slo.multipliedBy(4);
        this.batched = BatchedModel.builder(model)
                .policy(BatchPolicy.aimd(slo))
                .concurrency(2)
                .maxQueueSize(2_000)
                .build();
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.createContext("/predict", this::predict);
        server.createContext("/stats", ex -> reply(ex, 200, batched.stats()));
        server.setExecutor(handlers);
        server.start();
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void predict(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            reply(ex, 405, Map.of("error", "POST a JSON body {\"features\": [...]}"));
            return;
        }
        PredictRequest request;
        try {
            request = JSON.readValue(ex.getRequestBody(), PredictRequest.class);
        } catch (IOException e) {
            reply(ex, 400, Map.of("error", "bad JSON: " + e.getMessage()));
            return;
        }
        if (request.features() == null) {
            reply(ex, 400, Map.of("error", "missing field 'features'"));
            return;
        }
        try {
            Map<String, Tensor> out = batched.predict(
                    Map.of("x", Tensor.of(request.features(), 1, request.features().length)),
                    Instant.now().plus(deadline)).join();
            float[] p = out.get("probabilities").toFloatArray();
            int best = 0;
            for (int i = 1; i < p.length; i++) {
                if (p[i] > p[best]) {
                    best = i;
                }
            }
            reply(ex, 200, new PredictResponse(best, p));
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BatcherOverloadedException) {
                reply(ex, 503, Map.of("error", "overloaded, retry later"));
            } else if (cause instanceof DeadlineExceededException) {
                reply(ex, 504, Map.of("error", "deadline exceeded"));
            } else {
                reply(ex, 500, Map.of("error", String.valueOf(cause)));
            }
        } catch (RuntimeException e) {
            reply(ex, 400, Map.of("error", e.getMessage()));
        }
    }

    private static void reply(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops serving and frees the model. */
    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        batched.close();
        model.close();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        OnnxModel model = args.length > 1 ? OnnxModel.load(Path.of(args[1]))
                : OnnxModel.load(OnnxFileWriter.mlp(1, 64, 128, 4));
        InferenceServer server = new InferenceServer(model, port, Duration.ofMillis(50));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("serving on http://127.0.0.1:" + server.port() + "/predict (inputs: " + model.inputs() + ")");
        if (args.length > 1 && Files.notExists(Path.of(args[1]))) {
            System.err.println("no such model file: " + args[1]);
        }
    }
}
