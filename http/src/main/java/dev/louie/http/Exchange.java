package dev.louie.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * One request and its response, over the JDK server's exchange (which stays inside this class
 * and {@link Dispatcher}): the request id, the query, the body read up to a limit, and the three
 * kinds of answers (JSON, problem, empty). Every answer carries {@code X-Request-Id}.
 */
final class Exchange implements RequestHead {
    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";
    private static final Pattern GOOD_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final HttpExchange http;
    private final ObjectMapper mapper;
    final String requestId;
    final long startNanos = System.nanoTime();
    /** The matched route's path template, for the access log. */
    String template = "(none)";
    int status;
    private Map<String, String> query;

    Exchange(HttpExchange http, ObjectMapper mapper) {
        this.http = http;
        this.mapper = mapper;
        String given = http.getRequestHeaders().getFirst("X-Request-Id");
        this.requestId = given != null && GOOD_REQUEST_ID.matcher(given).matches() ? given : newRequestId();
    }

    /** A random (version 4) UUID from the thread's own generator: unique, cheap, and needs no secret randomness. */
    private static String newRequestId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    @Override
    public String method() {
        return http.getRequestMethod();
    }

    @Override
    public String path() {
        String p = http.getRequestURI().getRawPath();
        return p == null || p.isEmpty() ? "/" : p;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(http.getRequestHeaders().getFirst(name));
    }

    /** The client's address (null when the server does not know it). */
    java.net.InetAddress remoteAddress() {
        java.net.InetSocketAddress a = http.getRemoteAddress();
        return a == null ? null : a.getAddress();
    }

    /** A query parameter, percent-decoded; null when absent. */
    String query(String name) {
        if (query == null) {
            query = new LinkedHashMap<>();
            String raw = http.getRequestURI().getRawQuery();
            if (raw != null) {
                for (String pair : raw.split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    query.putIfAbsent(k, v);
                }
            }
        }
        return query.get(name);
    }

    /** The request body, at most {@code limit} bytes; longer (by header or by counting): 413. */
    byte[] body(long limit) throws IOException {
        String length = http.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > limit) {
                    throw tooLarge(limit);
                }
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("Content-Length is not a number", java.util.List.of());
            }
        }
        InputStream in = http.getRequestBody();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            if (total > limit) {
                throw tooLarge(limit);
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static ProblemException tooLarge(long limit) {
        return new ProblemException(413, "body-too-large", "Request body too large",
                "the request body is larger than the limit of " + limit + " bytes");
    }

    /** Sets a response header (before the answer is sent). */
    void responseHeader(String name, String value) {
        http.getResponseHeaders().set(name, value);
    }

    void sendJson(int code, Object body) throws IOException {
        send(code, JSON, mapper.writeValueAsBytes(body));
    }

    void sendProblem(ProblemException p) throws IOException {
        ObjectNode body = mapper.createObjectNode();
        body.put("type", "urn:louie:problem:" + p.slug);
        body.put("title", p.title);
        body.put("status", p.status);
        if (p.getMessage() != null) {
            body.put("detail", p.getMessage());
        }
        body.put("instance", path());
        body.put("requestId", requestId);
        p.extensions.forEach((k, v) -> body.set(k, mapper.valueToTree(v)));
        if (!p.errors.isEmpty()) {
            body.set("errors", mapper.valueToTree(p.errors));
        }
        p.headers.forEach(this::responseHeader);
        send(p.status, PROBLEM_JSON, mapper.writeValueAsBytes(body));
    }

    void sendEmpty(int code) throws IOException {
        status = code;
        http.getResponseHeaders().set("X-Request-Id", requestId);
        http.sendResponseHeaders(code, -1);
        http.close();
    }

    private void send(int code, String contentType, byte[] bytes) throws IOException {
        send(code, contentType, bytes, "no-store");
    }

    /** Any body: a page, a script, a document. */
    void send(int code, String contentType, byte[] bytes, String cacheControl) throws IOException {
        status = code;
        http.getResponseHeaders().set("X-Request-Id", requestId);
        http.getResponseHeaders().set("Content-Type", contentType);
        http.getResponseHeaders().set("Cache-Control", cacheControl);
        boolean head = "HEAD".equals(method());
        http.sendResponseHeaders(code, head ? -1 : bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            try (OutputStream out = http.getResponseBody()) {
                out.write(bytes);
            }
        }
        http.close();
    }

    /** Whether an answer went out already. */
    boolean answered() {
        return status != 0;
    }
}
