package dev.louie.http;

import dev.louie.core.Consumer;
import dev.louie.core.storage.Storage;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /health/live} (200 while the process answers) and {@code GET /health/ready}: 200
 * when every check is up, else 503 with {@code Retry-After}; each check with its status and
 * latency. Checks: the storage answers a read within the ready timeout (on a probe thread of its
 * own, so a hanging storage cannot hold the request past the timeout), the attached consumer runs
 * with live workers, and the served models (loaded before the server started).
 */
final class Health implements AutoCloseable {
    private static final String PROBE_KEY = "louie-http:ready-probe";
    private final HttpConfig config;
    private final ThreadPoolExecutor probes;

    Health(HttpConfig config) {
        this.config = config;
        this.probes = new ThreadPoolExecutor(0, 2, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "louie-http-probe");
            t.setDaemon(true);
            return t;
        });
    }

    void live(Exchange ex, List<String> vars) throws IOException {
        ex.sendJson(200, Map.of("status", "up"));
    }

    void ready(Exchange ex, List<String> vars) throws IOException {
        Map<String, Object> checks = new LinkedHashMap<>();
        boolean up = storage(checks);
        Consumer consumer = config.consumer();
        if (consumer != null) {
            long start = System.nanoTime();
            int workers = consumer.aliveWorkers();
            boolean running = consumer.isRunning() && workers > 0;
            Map<String, Object> c = check(running, start);
            c.put("workers", workers);
            checks.put("consumer", c);
            up &= running;
        }
        if (!config.models().isEmpty()) {
            // a BatchedModel is made from a loaded OnnxModel, so a served model is a loaded one
            Map<String, Object> m = check(true, System.nanoTime());
            m.put("names", List.copyOf(config.models().keySet()));
            checks.put("models", m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "up" : "down");
        body.put("checks", checks);
        if (!up) {
            ex.responseHeader("Retry-After", Long.toString(Math.max(1, config.retryAfter().toSeconds())));
        }
        ex.sendJson(up ? 200 : 503, body);
    }

    private boolean storage(Map<String, Object> checks) {
        Storage storage = config.louie().storage();
        Duration timeout = config.readyTimeout();
        long start = System.nanoTime();
        String error = null;
        try {
            Future<?> f = probes.submit(() -> storage.getResult(PROBE_KEY, false));
            try {
                f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                error = "no answer within " + timeout.toMillis() + " ms";
            } catch (ExecutionException e) {
                error = e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = "interrupted";
            }
        } catch (RejectedExecutionException e) {
            error = "earlier probes are still waiting for the storage";
        }
        Map<String, Object> c = check(error == null, start);
        if (error != null) {
            c.put("error", error);
        }
        checks.put("storage", c);
        return error == null;
    }

    private static Map<String, Object> check(boolean up, long startNanos) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("status", up ? "up" : "down");
        c.put("latencyMs", Math.round((System.nanoTime() - startNanos) / 10_000.0) / 100.0);
        return c;
    }

    @Override
    public void close() {
        probes.shutdownNow();
    }
}
