package dev.louie.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The fuzzer's loopback target: serves {@code fuzz/orders-openapi.json}, a correct endpoint
 * ({@code POST /api/v1/good}, {@code GET /api/v1/items/{id}}) and a deliberately buggy one
 * ({@code POST /api/v1/buggy}: reads {@code qty} without checking it, so bad input is a 500).
 */
final class OrdersServer implements AutoCloseable {
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final int LIMIT = 64 * 1024;
    private static final Set<String> FIELDS = Set.of("item", "qty", "tags");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    volatile int readyStatus = 200;
    /** Releases the requests held by {@code /api/v1/hang} (each waits at most 5 s). */
    final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

    OrdersServer() throws IOException {
        byte[] document;
        try (InputStream in = OrdersServer.class.getResourceAsStream("/fuzz/orders-openapi.json")) {
            document = in.readAllBytes();
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.createContext("/openapi.json", x -> send(x, 200, "application/json", document));
        server.createContext("/health/ready", x -> send(x, readyStatus, "application/json", "{\"status\":\"up\"}".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/api/v1/good", this::good);
        server.createContext("/api/v1/buggy", this::buggy);
        server.createContext("/api/v1/items/", this::item);
        server.createContext("/api/v1/hang", x -> {
            try {
                release.await(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            problem(x, 400, "too late");
        });
        server.createContext("/", x -> problem(x, 404, "no such path"));
        server.setExecutor(threads);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void good(HttpExchange x) throws IOException {
        if (!x.getRequestMethod().equals("POST")) {
            x.getResponseHeaders().set("Allow", "POST");
            problem(x, 405, "method not allowed");
            return;
        }
        String type = x.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.startsWith("application/json")) {
            problem(x, 415, "the body must be application/json");
            return;
        }
        byte[] body = x.getRequestBody().readNBytes(LIMIT + 1);
        if (body.length > LIMIT) {
            problem(x, 413, "the body is over " + LIMIT + " bytes");
            return;
        }
        JsonNode order;
        try {
            order = JSON.readTree(body);
        } catch (IOException e) {
            problem(x, 400, "malformed JSON");
            return;
        }
        String wrong = check(order);
        if (wrong != null) {
            problem(x, 400, wrong);
            return;
        }
        send(x, 200, "application/json", "{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
    }

    private static String check(JsonNode order) {
        if (order == null || !order.isObject()) {
            return "the body must be an object";
        }
        for (Iterator<String> it = order.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                return "unknown field " + f;
            }
        }
        JsonNode item = order.get("item");
        if (item == null || !item.isTextual() || item.asText().length() > 100) {
            return "item must be a string of at most 100 characters";
        }
        JsonNode qty = order.get("qty");
        if (qty == null || !qty.isInt() || qty.asInt() < 1) {
            return "qty must be an integer >= 1";
        }
        JsonNode tags = order.get("tags");
        if (tags != null) {
            if (!tags.isArray()) {
                return "tags must be an array";
            }
            for (JsonNode t : tags) {
                if (!t.isTextual()) {
                    return "tags must be strings";
                }
            }
        }
        return null;
    }

    private void buggy(HttpExchange x) throws IOException {
        try {
            JsonNode order = JSON.readTree(x.getRequestBody());
            int qty = Integer.parseInt(order.get("qty").asText());   // the bug: no check of presence or type
            send(x, 200, "application/json", ("{\"qty\":" + qty + "}").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            problem(x, 400, "malformed JSON");
        } catch (RuntimeException e) {
            problem(x, 500, "internal error");
        }
    }

    private void item(HttpExchange x) throws IOException {
        if (!x.getRequestMethod().equals("GET")) {
            problem(x, 405, "method not allowed");
            return;
        }
        String id = x.getRequestURI().getPath().substring("/api/v1/items/".length());
        try {
            long n = Long.parseLong(id);
            if (n == 1) {
                send(x, 200, "application/json", "{\"id\":1}".getBytes(StandardCharsets.UTF_8));
            } else {
                problem(x, 404, "no item " + n);
            }
        } catch (NumberFormatException e) {
            problem(x, 400, "id must be an integer");
        }
    }

    private static void problem(HttpExchange x, int status, String detail) throws IOException {
        String body = JSON.createObjectNode().put("type", "about:blank").put("title", detail).put("status", status).put("detail", detail).toString();
        send(x, status, "application/problem+json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            x.getResponseBody().write(body);
        }
        x.close();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
