package dev.louie.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.louie.batching.BatcherOverloadedException;
import dev.louie.batching.DeadlineExceededException;
import dev.louie.http.ProblemException.FieldError;
import dev.louie.onnx.BatchedModel;
import dev.louie.onnx.Tensor;
import dev.louie.onnx.TensorSpec;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/models/{model}/predict}: decodes the JSON tensors (400 naming the input),
 * sends one request through the model's {@link BatchedModel} with the request's deadline
 * ({@code ?timeout=} or {@code X-Request-Timeout}), and answers 200 with the outputs; 503 +
 * {@code Retry-After} when the batcher is overloaded or closed, 504 when the deadline passed before
 * the request ran, 502 when the model's output was rejected or the model failed.
 *
 * <p>The only class of the module, with {@link TensorJson}, that uses ONNX types: it is loaded only
 * when models are configured, so a queue-only user needs no ONNX Runtime on the class path.
 */
final class ModelEndpoints implements OpenApiDocument.ModelPaths {
    static final String TIMEOUT_HEADER = "X-Request-Timeout";
    private static final Logger log = LoggerFactory.getLogger(ModelEndpoints.class);
    private static final Pattern INPUT_NAME = Pattern.compile("input '([^']+)'");

    private final HttpConfig config;
    private final ObjectMapper strict;
    private final Map<String, BatchedModel> models = new LinkedHashMap<>();

    ModelEndpoints(HttpConfig config, ObjectMapper strict) {
        this.config = config;
        this.strict = strict;
        config.models().forEach((name, model) -> models.put(name, (BatchedModel) model));
    }

    void predict(Exchange ex, List<String> vars) throws IOException {
        String name = vars.get(0);
        BatchedModel model = models.get(name);
        if (model == null) {
            throw ProblemException.notFound("unknown-model", "no model named '" + name + "' is served here (served: " + models.keySet() + ")");
        }
        Duration timeout = timeout(ex);
        byte[] body = JsonBody.bytes(ex, config.maxBodyBytes());
        Map<String, Tensor> inputs = TensorStream.decode(strict.getFactory(), body, model.model().inputs());
        if (inputs == null) {
            inputs = decode(model, JsonBody.parse(body, strict));
        }
        long started = ex.startNanos;
        CompletableFuture<Map<String, Tensor>> future;
        try {
            future = timeout == null ? model.predict(inputs)
                    : model.predict(inputs, Instant.now().plusNanos(timeout.toNanos() - (System.nanoTime() - started)));
        } catch (IllegalArgumentException e) {
            throw invalidInput(e.getMessage());
        }
        Map<String, Tensor> outputs = await(name, future, started);
        ObjectNode answer = strict.createObjectNode();
        answer.put("model", name);
        ObjectNode out = answer.putObject("outputs");
        outputs.forEach((k, t) -> out.set(k, TensorJson.encode(t)));
        ex.sendJson(200, answer);
    }

    /** Every input of the body decoded against the model's specs; every bad or unknown input named. */
    private static Map<String, Tensor> decode(BatchedModel model, JsonNode body) {
        List<TensorSpec> specs = model.model().inputs();
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest("the body must be a JSON object of the model's inputs by name: " + specs,
                    List.of(new FieldError("$", "expected an object such as {\"" + specs.get(0).name() + "\": {\"shape\": […], \"data\": […]}}")));
        }
        Map<String, TensorSpec> byName = new LinkedHashMap<>();
        specs.forEach(s -> byName.put(s.name(), s));
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            TensorSpec spec = byName.get(e.getKey());
            if (spec == null) {
                errors.add(new FieldError("$." + e.getKey(), "unknown input; the model takes " + specs));
                continue;
            }
            try {
                inputs.put(e.getKey(), TensorJson.decode(spec, e.getValue()));
            } catch (ProblemException p) {
                errors.addAll(p.errors);
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("the inputs do not fit the model (" + specs + ")", errors);
        }
        return inputs;
    }

    /** A request the model refused before batching (missing input, wrong size, rows that differ): 400 naming the input. */
    private static ProblemException invalidInput(String message) {
        Matcher m = INPUT_NAME.matcher(message == null ? "" : message);
        String path = m.find() ? "$." + m.group(1) : "$";
        return ProblemException.badRequest(message, List.of(new FieldError(path, message)));
    }

    private Map<String, Tensor> await(String name, CompletableFuture<Map<String, Tensor>> future, long startedNanos) {
        long left = config.maxWait().toNanos() - (System.nanoTime() - startedNanos);
        try {
            return future.get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new ProblemException(504, "model-timeout", "Gateway timeout",
                    "model '" + name + "' did not answer within " + config.maxWait().toMillis() + " ms (maxWait)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(false);
            throw ProblemException.unavailable("shutting-down", "the server is shutting down", config.retryAfter().toSeconds());
        } catch (CancellationException e) {
            throw ProblemException.unavailable("model-unavailable", "model '" + name + "' dropped the request", config.retryAfter().toSeconds());
        } catch (ExecutionException e) {
            throw failure(name, e.getCause());
        }
    }

    private ProblemException failure(String name, Throwable cause) {
        Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof BatcherOverloadedException) {
            return ProblemException.unavailable("model-overloaded", "model '" + name + "' is overloaded: its batcher's queue is full;"
                    + " retry later", config.retryAfter().toSeconds());
        }
        if (c instanceof DeadlineExceededException) {
            return new ProblemException(504, "deadline-exceeded", "Gateway timeout",
                    "the request's deadline passed before model '" + name + "' ran it (" + c.getMessage() + ")");
        }
        if (c instanceof RejectedExecutionException) {
            return ProblemException.unavailable("model-unavailable", "model '" + name + "' is not accepting requests (closed)",
                    config.retryAfter().toSeconds());
        }
        if (c instanceof IllegalArgumentException) {
            return invalidInput(c.getMessage());
        }
        log.warn("model {}: the batch failed: {}", name, c.toString());
        return new ProblemException(502, "model-failed", "Bad gateway",
                "model '" + name + "' gave no usable output: " + c.getMessage());
    }

    /** The request's timeout: {@code ?timeout=} or the {@code X-Request-Timeout} header (capped at maxWait); null for none. */
    private Duration timeout(Exchange ex) {
        String q = ex.query("timeout");
        if (q != null) {
            return Waits.parse("timeout", q, config.maxWait());
        }
        return ex.header(TIMEOUT_HEADER).map(h -> Waits.parse(TIMEOUT_HEADER, h.trim(), config.maxWait())).orElse(null);
    }

    /** A path per model: its inputs and outputs as tensors, with their element types and shapes. */
    @Override
    public void describe(OpenApiDocument doc) {
        models.forEach((name, model) -> {
            ObjectNode post = doc.paths.putObject("/api/v1/models/" + name + "/predict").putObject("post");
            post.put("operationId", "predict_" + name.replaceAll("[^A-Za-z0-9_]", "_"));
            post.putArray("tags").add("models");
            post.put("summary", "Run model " + name + " on one request (batched with concurrent ones)");
            post.put("description", "Inputs " + model.model().inputs() + "; outputs " + model.model().outputs()
                    + ". A dimension of -1 (null in x-louie-shape) is dynamic; the batch axis takes any number of rows.");
            var params = post.putArray("parameters");
            params.addObject().put("name", "timeout").put("in", "query").put("required", false)
                    .put("description", "The request's deadline from its arrival, e.g. 200ms: 504 if it has not run by then")
                    .putObject("schema").put("type", "string");
            params.addObject().put("name", TIMEOUT_HEADER).put("in", "header").put("required", false)
                    .put("description", "Like ?timeout=").putObject("schema").put("type", "string");
            ObjectNode in = strict.createObjectNode().put("type", "object");
            ObjectNode inProps = in.putObject("properties");
            var required = in.putArray("required");
            for (TensorSpec spec : model.model().inputs()) {
                inProps.set(spec.name(), tensorIn(spec));
                required.add(spec.name());
            }
            in.put("additionalProperties", false);
            ObjectNode body = post.putObject("requestBody").put("required", true);
            body.putObject("content").putObject("application/json").set("schema", in);
            ObjectNode out = strict.createObjectNode().put("type", "object");
            ObjectNode outProps = out.putObject("properties");
            outProps.putObject("model").put("const", name);
            ObjectNode outputs = outProps.putObject("outputs").put("type", "object");
            ObjectNode each = outputs.putObject("properties");
            for (TensorSpec spec : model.model().outputs()) {
                each.set(spec.name(), tensorOut(spec));
            }
            ObjectNode responses = post.putObject("responses");
            responses.set("200", OpenApiDocument.json("The model's outputs for the request's rows", out));
            OpenApiDocument.problems(responses, 400, 401, 403, 404, 413, 415, 502, 503, 504);
            doc.secure(post);
        });
    }

    private ObjectNode tensorIn(TensorSpec spec) {
        ObjectNode s = strict.createObjectNode().put("description", spec.toString());
        ObjectNode element = element(spec);
        ObjectNode object = strict.createObjectNode().put("type", "object");
        ObjectNode props = object.putObject("properties");
        ObjectNode shape = props.putObject("shape").put("type", "array").put("minItems", spec.rank()).put("maxItems", spec.rank());
        shape.putObject("items").put("type", "integer").put("minimum", 0);
        props.putObject("data").put("description", "the elements, flat in row-major order or nested");
        props.putObject("type").put("const", spec.type().toString());
        object.putArray("required").add("data");
        object.put("additionalProperties", false);
        ObjectNode nested = element;
        for (int d = 0; d < spec.rank(); d++) {
            ObjectNode a = strict.createObjectNode().put("type", "array");
            a.set("items", nested);
            nested = a;
        }
        s.putArray("oneOf").add(object).add(nested);
        shapeExtension(s, spec);
        return s;
    }

    private ObjectNode tensorOut(TensorSpec spec) {
        ObjectNode s = strict.createObjectNode().put("type", "object").put("description", spec.toString());
        ObjectNode props = s.putObject("properties");
        props.putObject("type").put("const", spec.type().toString());
        props.putObject("shape").put("type", "array").putObject("items").put("type", "integer");
        props.putObject("data").put("type", "array").set("items", element(spec));
        shapeExtension(s, spec);
        return s;
    }

    private void shapeExtension(ObjectNode s, TensorSpec spec) {
        var shape = s.putArray("x-louie-shape");
        for (long d : spec.shape()) {
            if (d < 0) {
                shape.addNull();
            } else {
                shape.add(d);
            }
        }
    }

    private ObjectNode element(TensorSpec spec) {
        ObjectNode e = strict.createObjectNode();
        switch (spec.type()) {
            case FLOAT32 -> e.put("type", "number").put("format", "float");
            case FLOAT64 -> e.put("type", "number").put("format", "double");
            case INT32 -> e.put("type", "integer").put("format", "int32");
            case INT64 -> e.put("type", "integer").put("format", "int64");
            case INT8 -> e.put("type", "integer").put("minimum", -128).put("maximum", 127);
            case UINT8 -> e.put("type", "integer").put("minimum", 0).put("maximum", 255);
            case BOOL -> e.put("type", "boolean");
        }
        return e;
    }
}
