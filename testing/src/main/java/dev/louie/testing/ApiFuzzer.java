package dev.louie.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The error-handling test of an API: reads its OpenAPI 3.x document and sends, per operation,
 * requests that are wrong in one way each — wrong types, missing and extra fields, nulls, huge
 * numbers and strings, deep nesting, an empty and an oversized body, malformed JSON, invalid
 * UTF-8, a wrong content type and a method the path does not declare — and checks every answer:
 *
 * <ul>
 *   <li>never a 5xx, never a hang (each request has a timeout), never a dropped connection (except
 *       for the oversized body, which a server may refuse by closing the connection unread);</li>
 *   <li>a 4xx for a request the document makes invalid (a 2xx is fine where the document allows
 *       the value, such as a long string without {@code maxLength});</li>
 *   <li>every 4xx has a problem body: {@code application/problem+json}, or a JSON object with
 *       {@code status} and {@code title};</li>
 *   <li>{@code /health/ready} still answers 200 at the end.</li>
 * </ul>
 *
 * <pre>{@code
 * ApiFuzzer.builder(URI.create("http://127.0.0.1:8080"))
 *         .openApi(URI.create("http://127.0.0.1:8080/openapi.json"))
 *         .seed(7)
 *         .build().run()
 *         .assertNoFailures();   // lists each wrong answer with the request that caused it
 * }</pre>
 *
 * <p>The same seed sends the same requests in the same order; the count is bounded per
 * operation and the whole run by a time budget.
 */
public final class ApiFuzzer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final OpenApiDocument document;
    private final long seed;
    private final int maxRequestsPerOperation;
    private final Duration requestTimeout;
    private final Duration timeBudget;
    private final long oversizedBytes;
    private final String healthPath;
    private final Map<String, String> headers;
    private final Consumer<String> log;
    private HttpClient http;

    private ApiFuzzer(Builder b, OpenApiDocument document) {
        this.base = b.base;
        this.document = document;
        this.seed = b.seed;
        this.maxRequestsPerOperation = b.maxRequestsPerOperation;
        this.requestTimeout = b.requestTimeout;
        this.timeBudget = b.timeBudget;
        this.oversizedBytes = b.oversizedBytes;
        this.healthPath = b.healthPath;
        this.headers = Map.copyOf(b.headers);
        this.log = b.log;
        this.http = newClient();
    }

    /** Starts configuring a fuzzer of the API at {@code base} (scheme, host, port). */
    public static Builder builder(URI base) {
        return new Builder(Objects.requireNonNull(base, "base"));
    }

    /** Sends the requests and checks the answers; returns when all are sent or the time budget is spent. */
    public FuzzReport run() {
        long deadline = System.nanoTime() + timeBudget.toNanos();
        FuzzCases generator = new FuzzCases(document, seed, oversizedBytes);
        List<FuzzFailure> failures = new ArrayList<>();
        int sent = 0;
        boolean stopped = false;
        outer:
        for (OpenApiDocument.Operation op : document.operations()) {
            for (FuzzCase c : generator.of(op, maxRequestsPerOperation)) {
                if (System.nanoTime() - deadline >= 0) {
                    stopped = true;
                    break outer;
                }
                sent++;
                FuzzFailure f = check(c);
                if (f != null) {
                    failures.add(f);
                    if (log != null) {
                        log.accept("FAIL " + f);
                    }
                }
            }
        }
        sent++;
        FuzzCase health = new FuzzCase("GET " + healthPath, "readiness after the fuzzing", "GET", healthPath, null, null, false);
        Answer a = send(health);
        if (a.status != 200) {
            failures.add(new FuzzFailure(health.operation(), health.kind(), health.describe(), a.status,
                    "the service is not ready after the fuzzing (" + (a.status == 0 ? "no answer" : "status " + a.status) + ")", a.body));
        }
        return new FuzzReport(document.operations().size(), sent, failures, stopped);
    }

    /** Connecting may take longer than answering on a loaded machine: at least 10 s. */
    static Duration connectTimeout(Duration requestTimeout) {
        Duration floor = Duration.ofSeconds(10);
        return requestTimeout.compareTo(floor) > 0 ? requestTimeout : floor;
    }

    private FuzzFailure check(FuzzCase c) {
        Answer a = send(c);
        String reason = null;
        if (a.status == 0 && c.kind().equals(FuzzCases.OVERSIZED) && !a.body.startsWith("timeout")) {
            reason = null;  // refused by closing the connection before reading the whole body: the readiness check shows a crash
        } else if (a.status == 0) {
            reason = a.body.startsWith("timeout") ? "no answer within " + requestTimeout : "no answer: the connection failed";
        } else if (a.status >= 500) {
            reason = a.status + ": a server error for a bad request";
        } else if (c.mustReject() && a.status < 400) {
            reason = a.status + ": the invalid request was accepted";
        } else if (a.status >= 400 && !isProblem(a)) {
            reason = a.status + " without a problem body (application/problem+json, or JSON with status and title)";
        }
        return reason == null ? null : new FuzzFailure(c.operation(), c.kind(), c.describe(), a.status, reason, FuzzCase.abbreviate(a.body, 300));
    }

    private static boolean isProblem(Answer a) {
        if (a.contentType.startsWith("application/problem+json")) {
            return true;
        }
        try {
            JsonNode n = JSON.readTree(a.body);
            return n != null && n.isObject() && n.has("status") && n.has("title");
        } catch (IOException e) {
            return false;
        }
    }

    private record Answer(int status, String contentType, String body) {
    }

    private HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout(requestTimeout)).build();
    }

    /**
     * Sends the case; when the connection fails (a server may close a kept-alive connection after
     * refusing a body it did not read), once more on a new client, whose pool has no stale connection.
     */
    private Answer send(FuzzCase c) {
        Answer a = sendOnce(c);
        if (a.status == 0 && !a.body.startsWith("timeout") && !a.body.equals("interrupted")) {
            http = newClient();
            a = sendOnce(c);
        }
        return a;
    }

    private Answer sendOnce(FuzzCase c) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(c.path())).timeout(requestTimeout);
        headers.forEach(b::header);
        if (c.contentType() != null) {
            b.header("Content-Type", c.contentType());
        }
        b.method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), new String(r.body(), StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            return new Answer(0, "", "timeout: " + e.getMessage());
        } catch (IOException e) {
            return new Answer(0, "", e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "", "interrupted");
        }
    }

    /** Options of an {@link ApiFuzzer}; {@link #build()} reads the document and checks the options. */
    public static final class Builder {
        final URI base;
        JsonNode document;
        URI documentUri;
        long seed = 1;
        int maxRequestsPerOperation = 100;
        Duration requestTimeout = Duration.ofSeconds(5);
        Duration timeBudget = Duration.ofSeconds(120);
        long oversizedBytes = 2L << 20;
        String healthPath = "/health/ready";
        final Map<String, String> headers = new LinkedHashMap<>();
        Consumer<String> log;

        private Builder(URI base) {
            this.base = base;
        }

        /** The OpenAPI document, fetched from {@code uri} at {@link #build()} (e.g. {@code …/openapi.json}). */
        public Builder openApi(URI uri) {
            this.documentUri = Objects.requireNonNull(uri, "uri");
            this.document = null;
            return this;
        }

        /** The OpenAPI document as JSON text. */
        public Builder openApi(String json) {
            try {
                this.document = JSON.readTree(Objects.requireNonNull(json, "json"));
            } catch (IOException e) {
                throw new IllegalArgumentException("the OpenAPI document must be JSON, not text that fails to parse: " + e.getMessage(), e);
            }
            this.documentUri = null;
            return this;
        }

        /** The seed of the choices (values, order, which cases when there are more than the bound); default 1. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** At most this many requests per operation; default 100. */
        public Builder maxRequestsPerOperation(int value) {
            this.maxRequestsPerOperation = value;
            return this;
        }

        /** An answer not complete within this is a failure; default 5 s. */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        /** The whole run stops sending after this; default 2 min. */
        public Builder timeBudget(Duration value) {
            this.timeBudget = value;
            return this;
        }

        /** The size of the oversized body; default 2 MiB (Louie's default limit is 1 MiB). */
        public Builder oversizedBytes(long value) {
            this.oversizedBytes = value;
            return this;
        }

        /** The readiness path checked at the end; default {@code /health/ready}. */
        public Builder healthPath(String value) {
            this.healthPath = value;
            return this;
        }

        /** A header on every request (credentials: {@code Authorization}). */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Called with each failure as it is found (a console, a log). */
        public Builder log(Consumer<String> value) {
            this.log = value;
            return this;
        }

        /**
         * Checks the options, reads the document and returns the fuzzer.
         *
         * @throws IllegalArgumentException naming every invalid option, or what is wrong with the document
         * @throws UncheckedIOException     when the document cannot be fetched
         */
        public ApiFuzzer build() {
            List<String> problems = new ArrayList<>();
            if (document == null && documentUri == null) {
                problems.add("openApi must be given (a URI or the JSON text), not none");
            }
            if (maxRequestsPerOperation < 1) {
                problems.add("maxRequestsPerOperation must be >= 1, not " + maxRequestsPerOperation);
            }
            if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
                problems.add("requestTimeout must be > 0, not " + requestTimeout);
            }
            if (timeBudget == null || timeBudget.isNegative() || timeBudget.isZero()) {
                problems.add("timeBudget must be > 0, not " + timeBudget);
            }
            if (oversizedBytes < 1 || oversizedBytes > (1L << 30)) {
                problems.add("oversizedBytes must be in [1, 1 GiB], not " + oversizedBytes);
            }
            if (healthPath == null || !healthPath.startsWith("/")) {
                problems.add("healthPath must start with /, not " + healthPath);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("ApiFuzzer: " + String.join("; ", problems));
            }
            JsonNode doc = document != null ? document : fetch(documentUri);
            return new ApiFuzzer(this, new OpenApiDocument(doc));
        }

        private JsonNode fetch(URI uri) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(connectTimeout(requestTimeout)).build();
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET();
            headers.forEach(b::header);
            try {
                HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalArgumentException("the OpenAPI document at " + uri + " must answer 200, not " + r.statusCode());
                }
                return JSON.readTree(r.body());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot fetch the OpenAPI document at " + uri + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while fetching " + uri, e);
            }
        }
    }
}
