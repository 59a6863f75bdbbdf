package dev.louie.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * A typed client of a Louie HTTP API for tests: post a task, await its result, predict with a
 * model. Each method checks the status it expects and otherwise fails with an
 * {@link AssertionError} that shows the answer (the problem body).
 *
 * <pre>{@code
 * LouieClient api = LouieClient.of(URI.create("http://127.0.0.1:8080"));
 * String id = api.post("add", Map.of("a", 2, "b", 3));
 * assertEquals(5, api.awaitResult(id, Integer.class, Duration.ofSeconds(5)));
 * }</pre>
 */
public final class LouieClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LONGEST_POLL = Duration.ofSeconds(5);

    private final URI base;
    private final String apiKey;
    private final HttpClient http;

    private LouieClient(URI base, String apiKey) {
        String s = Objects.requireNonNull(base, "base").toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.apiKey = apiKey;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A client of the API at {@code base} (scheme, host, port), without credentials. */
    public static LouieClient of(URI base) {
        return new LouieClient(base, null);
    }

    /** A client that sends {@code Authorization: Bearer apiKey}. */
    public static LouieClient of(URI base, String apiKey) {
        return new LouieClient(base, Objects.requireNonNull(apiKey, "apiKey"));
    }

    /** The API's base address. */
    public URI base() {
        return base;
    }

    /**
     * An answer of the API.
     *
     * @param status the HTTP status
     * @param body   the body as text
     */
    public record Response(int status, String body) {
        /** The body as JSON. */
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("the answer is not JSON (status " + status + "): " + body, e);
            }
        }
    }

    /** Sends {@code method path} with a JSON body (or none when null) and returns the answer as it is. */
    public Response send(String method, String path, String jsonBody) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + base.resolve(path) + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + method + " " + path, e);
        }
    }

    /**
     * Enqueues {@code task} with {@code args} (an object of parameters by name, or a list of
     * positional ones, turned into JSON) and returns the task's id.
     *
     * @throws AssertionError unless the API answers 202
     */
    public String post(String task, Object args) {
        Response r = send("POST", "/api/v1/tasks/" + encode(task), json(args));
        expect(r, 202, "POST /api/v1/tasks/" + task);
        return r.json().path("id").asText();
    }

    /**
     * Enqueues {@code task}, waits for it and returns its result.
     *
     * @throws AssertionError when the task is refused, fails or is not done within {@code timeout}
     */
    public JsonNode call(String task, Object args, Duration timeout) {
        Response r = send("POST", "/api/v1/tasks/" + encode(task) + "?wait=" + millis(timeout), json(args));
        if (r.status() == 202) {
            return awaitResult(r.json().path("id").asText(), timeout);
        }
        expect(r, 200, "POST /api/v1/tasks/" + task);
        return r.json().path("result");
    }

    /**
     * Waits until the task {@code id} is done and returns its result.
     *
     * @throws AssertionError when it failed, is unknown, or is not done within {@code timeout}
     */
    public JsonNode awaitResult(String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Duration poll = Duration.ofNanos(Math.max(0, Math.min(left, LONGEST_POLL.toNanos())));
            Response r = send("GET", "/api/v1/results/" + encode(id) + "?wait=" + millis(poll), null);
            if (r.status() == 200) {
                JsonNode body = r.json();
                if ("failed".equals(body.path("status").asText())) {
                    throw new AssertionError("task " + id + " failed: " + body.path("error"));
                }
                return body.path("result");
            }
            if (r.status() != 202) {
                expect(r, 200, "GET /api/v1/results/" + id);
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("task " + id + " was not done within " + timeout + ": " + r.body());
            }
        }
    }

    /** {@link #awaitResult(String, Duration)}, converted to {@code type}. */
    public <T> T awaitResult(String id, Class<T> type, Duration timeout) {
        return JSON.convertValue(awaitResult(id, timeout), type);
    }

    /**
     * Calls {@code POST /api/v1/models/{model}/predict} with {@code input} as JSON and returns the
     * answer's body.
     *
     * @throws AssertionError unless the API answers 200
     */
    public JsonNode predict(String model, Object input) {
        Response r = send("POST", "/api/v1/models/" + encode(model) + "/predict", json(input));
        expect(r, 200, "POST /api/v1/models/" + model + "/predict");
        return r.json();
    }

    private static void expect(Response r, int status, String what) {
        if (r.status() != status) {
            throw new AssertionError(what + " answered " + r.status() + ", not " + status + ": " + r.body());
        }
    }

    private static String json(Object value) {
        if (value instanceof String s) {
            return s;  // JSON text already
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the arguments cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String millis(Duration d) {
        return Math.max(0, d.toMillis()) + "ms";
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return "LouieClient[" + base + "]";
    }
}
