package dev.louie.http;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.louie.core.Louie;
import java.util.Optional;

/**
 * The OpenAPI 3.1 document of one server, made once at start from its configuration: a path per
 * exposed task (its parameters by name or position, its return type), the result and health
 * endpoints, a path per model (added by the model endpoint, which knows the tensors), the problem
 * schema, and the API-key security schemes when the authenticator asks for credentials.
 */
final class OpenApiDocument {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String PROBLEM = "#/components/schemas/Problem";

    /** Adds the model paths; implemented by the model endpoint, so that this class names no ONNX type. */
    interface ModelPaths {
        void describe(OpenApiDocument doc);
    }

    final ObjectNode root = NODES.objectNode();
    final ObjectNode paths;
    final ObjectNode schemas;
    final JsonSchemas types;
    private final boolean secured;

    private OpenApiDocument(HttpConfig config, ObjectMapper mapper) {
        root.put("openapi", "3.1.0");
        ObjectNode info = root.putObject("info");
        info.put("title", config.louie().name() + " (Louie HTTP API)");
        info.put("version", Optional.ofNullable(Louie.class.getPackage().getImplementationVersion()).orElse("dev"));
        info.put("description", "Tasks and models of Louie application '" + config.louie().name() + "'. Errors are RFC 9457 problems"
                + " (application/problem+json).");
        paths = root.putObject("paths");
        ObjectNode components = root.putObject("components");
        schemas = components.putObject("schemas");
        types = new JsonSchemas(mapper, schemas);
        secured = asksForCredentials(config.authenticator());
        if (secured) {
            ObjectNode schemes = components.putObject("securitySchemes");
            schemes.putObject("bearer").put("type", "http").put("scheme", "bearer").put("description", "Authorization: Bearer KEY");
            schemes.putObject("apiKey").put("type", "apiKey").put("in", "header").put("name", "X-API-Key");
        }
        problemSchema();
    }

    /** Whether {@code a} refuses a request without credentials (one that fails to tell counts as asking). */
    private static boolean asksForCredentials(Authenticator a) {
        try {
            return a.authenticate(new NoCredentials()).isEmpty();
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** The document of {@code config}'s server as JSON bytes. */
    static byte[] build(HttpConfig config, ObjectMapper mapper, ModelPaths models) {
        OpenApiDocument doc = new OpenApiDocument(config, mapper);
        for (TaskSignature t : config.tasks().values()) {
            doc.task(t);
        }
        doc.results();
        if (models != null) {
            models.describe(doc);
        }
        doc.health();
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc.root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the OpenAPI document cannot be written", e);
        }
    }

    private void task(TaskSignature t) {
        ObjectNode post = paths.putObject("/api/v1/tasks/" + t.name).putObject("post");
        post.put("operationId", "task_" + t.name.replaceAll("[^A-Za-z0-9_]", "_"));
        post.putArray("tags").add("tasks");
        post.put("summary", "Enqueue task " + t.name + "(" + t.describe() + ")");
        post.put("description", "Enqueues the task (queue '" + t.queue + "') and answers 202 with its id; with ?wait= it waits for"
                + " the result. The body is a JSON object of the parameters by name, or a JSON array of them in order.");
        waitParameter(post.putArray("parameters"));
        ObjectNode byName = NODES.objectNode().put("type", "object");
        ObjectNode props = byName.putObject("properties");
        ArrayNode required = NODES.arrayNode();
        ObjectNode byPosition = NODES.objectNode().put("type", "array");
        ArrayNode items = byPosition.putArray("prefixItems");
        for (int i = 0; i < t.names.length; i++) {
            ObjectNode s = types.of(t.types[i]);
            props.set(t.names[i], s);
            if (t.required(i)) {
                required.add(t.names[i]);
            }
            items.add(s.deepCopy());
        }
        byName.set("required", required);
        byName.put("additionalProperties", false);
        byPosition.put("minItems", t.names.length).put("maxItems", t.names.length);
        if (t.names.length > 0) {
            ObjectNode body = post.putObject("requestBody");
            body.put("required", true);
            ObjectNode schema = body.putObject("content").putObject("application/json").putObject("schema");
            schema.putArray("oneOf").add(byName).add(byPosition);
        }
        ObjectNode responses = post.putObject("responses");
        responses.set("200", json("Done (with ?wait=): the task's value", done(t.returnType)));
        responses.set("202", json("Queued, or not done within ?wait=; Location: the result", accepted()));
        problems(responses, 400, 401, 403, 404, 413, 415, 500, 502, 503);
        secure(post);
    }

    private ObjectNode done(JavaType returnType) {
        ObjectNode s = NODES.objectNode().put("type", "object");
        ObjectNode p = s.putObject("properties");
        p.putObject("id").put("type", "string");
        p.putObject("status").put("const", "done");
        Class<?> raw = returnType.getRawClass();
        if (raw != void.class && raw != Void.class) {
            p.set("result", types.of(returnType));
        }
        s.putArray("required").add("id").add("status");
        return s;
    }

    private static ObjectNode accepted() {
        ObjectNode s = NODES.objectNode().put("type", "object");
        ObjectNode p = s.putObject("properties");
        p.putObject("id").put("type", "string");
        p.putObject("status").putArray("enum").add("queued").add("pending");
        s.putArray("required").add("id").add("status");
        return s;
    }

    private void results() {
        ObjectNode item = paths.putObject("/api/v1/results/{id}");
        ArrayNode params = item.putArray("parameters");
        params.addObject().put("name", "id").put("in", "path").put("required", true).putObject("schema").put("type", "string");
        ObjectNode get = item.putObject("get");
        get.put("operationId", "getResult");
        get.putArray("tags").add("results");
        get.put("summary", "Read a task's result without consuming it");
        waitParameter(get.putArray("parameters"));
        ObjectNode result = NODES.objectNode().put("type", "object");
        ObjectNode p = result.putObject("properties");
        p.putObject("id").put("type", "string");
        p.putObject("status").putArray("enum").add("done").add("failed");
        p.putObject("result").put("description", "the task's value, when done");
        ObjectNode error = p.putObject("error").put("type", "object");
        ObjectNode ep = error.putObject("properties");
        ep.putObject("kind").put("type", "string");
        ep.putObject("class").putArray("type").add("string").add("null");
        ep.putObject("message").putArray("type").add("string").add("null");
        result.putArray("required").add("id").add("status");
        ObjectNode responses = get.putObject("responses");
        responses.set("200", json("Done or failed", result));
        responses.set("202", json("Pending", accepted()));
        problems(responses, 400, 401, 403, 404, 502, 503);
        secure(get);
        ObjectNode delete = item.putObject("delete");
        delete.put("operationId", "deleteResult");
        delete.putArray("tags").add("results");
        delete.put("summary", "Delete a stored result, or revoke a pending task");
        ObjectNode dr = delete.putObject("responses");
        dr.putObject("204").put("description", "Deleted or revoked");
        problems(dr, 401, 403, 404, 503);
        secure(delete);
    }

    private void health() {
        for (String which : new String[] {"live", "ready"}) {
            ObjectNode get = paths.putObject("/health/" + which).putObject("get");
            get.put("operationId", "health_" + which);
            get.putArray("tags").add("health");
            get.put("summary", which.equals("live") ? "The process answers" : "Storage reachable, consumer running, models loaded");
            ObjectNode responses = get.putObject("responses");
            ObjectNode s = NODES.objectNode().put("type", "object");
            s.putObject("properties").putObject("status").putArray("enum").add("up").add("down");
            responses.set("200", json("Up", s));
            if (which.equals("ready")) {
                responses.set("503", json("Down; Retry-After", s.deepCopy()));
            }
        }
    }

    private static void waitParameter(ArrayNode params) {
        params.addObject().put("name", "wait").put("in", "query").put("required", false)
                .put("description", "How long to wait for the result, e.g. 500ms, 5s, 1m (at most the server's maxWait)")
                .putObject("schema").put("type", "string");
    }

    /** A JSON response with {@code schema}. */
    static ObjectNode json(String description, ObjectNode schema) {
        ObjectNode r = NODES.objectNode().put("description", description);
        r.putObject("content").putObject("application/json").set("schema", schema);
        return r;
    }

    /** Problem responses for each status. */
    static void problems(ObjectNode responses, int... statuses) {
        for (int status : statuses) {
            ObjectNode r = responses.putObject(Integer.toString(status)).put("description", describe(status));
            r.putObject("content").putObject("application/problem+json").putObject("schema").put("$ref", PROBLEM);
        }
    }

    /** The security requirement of an operation, when the server asks for credentials. */
    void secure(ObjectNode operation) {
        if (secured) {
            ArrayNode security = operation.putArray("security");
            security.addObject().putArray("bearer");
            security.addObject().putArray("apiKey");
        }
    }

    private static String describe(int status) {
        return switch (status) {
            case 400 -> "Invalid request: each bad field in errors, with its JSON path; nothing was enqueued";
            case 401 -> "Missing or unknown credentials";
            case 403 -> "The credentials' scope does not cover this endpoint";
            case 404 -> "Unknown task, model, result or path";
            case 413 -> "Body over the size limit";
            case 415 -> "Body is not JSON";
            case 500 -> "The task failed (under ?wait=), or a bug (quote the request id)";
            case 502 -> "The stored result or the model's output is unusable";
            case 503 -> "Storage unavailable, queue full, model overloaded or server stopping; Retry-After";
            case 504 -> "The request's deadline passed before the model ran it";
            default -> "Error";
        };
    }

    private void problemSchema() {
        ObjectNode p = schemas.putObject("Problem").put("type", "object")
                .put("description", "RFC 9457 problem details");
        ObjectNode props = p.putObject("properties");
        props.putObject("type").put("type", "string").put("format", "uri");
        props.putObject("title").put("type", "string");
        props.putObject("status").put("type", "integer");
        props.putObject("detail").put("type", "string");
        props.putObject("instance").put("type", "string");
        props.putObject("requestId").put("type", "string");
        ObjectNode errors = props.putObject("errors").put("type", "array");
        ObjectNode item = errors.putObject("items").put("type", "object");
        ObjectNode ip = item.putObject("properties");
        ip.putObject("path").put("type", "string").put("description", "JSON path of the bad field, e.g. $.order.qty");
        ip.putObject("message").put("type", "string");
        p.putArray("required").add("type").add("title").add("status");
    }

    /** A request without credentials, to ask the authenticator whether it lets anyone in. */
    private static final class NoCredentials implements RequestHead {
        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String path() {
            return "/openapi.json";
        }

        @Override
        public Optional<String> header(String name) {
            return Optional.empty();
        }
    }
}
