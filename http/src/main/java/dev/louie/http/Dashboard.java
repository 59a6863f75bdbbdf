package dev.louie.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.louie.core.ConsumerStatus;
import dev.louie.core.DeadLetteredTask;
import dev.louie.core.Louie;
import dev.louie.core.Operations;
import dev.louie.core.QueueSummary;
import dev.louie.core.QueuedTask;
import dev.louie.core.storage.DeadLetter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /dashboard}: a page (HTML, script and styles from this jar, no CDN) that polls
 * {@code GET /dashboard/api/state} and shows queues, consumers, the last hour per minute, per-task
 * and per-batcher figures, with actions on pending, scheduled and dead tasks. The page and its
 * files are open (they hold no data); the JSON needs scope READ and the actions scope ALL of the
 * API's authenticator. Read-only: actions answer 403. Unless {@code dashboardRemote(true)}, only
 * loopback clients are answered (others get 403).
 */
final class Dashboard {
    static final int LIST_LIMIT = 50;
    private static final String ASSETS = "dev/louie/http/dashboard/";
    private static final Map<String, String> FILES = Map.of(
            "dashboard.js", "text/javascript; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8");

    private final Louie louie;
    private final DashboardConfig config;
    private final DashboardHistory history;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    Dashboard(Louie louie, DashboardConfig config, DashboardHistory history, Clock clock, ObjectMapper mapper) {
        this.louie = louie;
        this.config = config;
        this.history = history;
        this.clock = clock;
        this.mapper = mapper;
    }

    /** The dashboard's routes, to add to the server's. */
    List<Route> routes() {
        List<Route> r = new ArrayList<>();
        r.add(new Route("GET", "/dashboard", null, this::page));
        r.add(new Route("GET", "/dashboard/{file}", null, this::file));
        r.add(new Route("GET", "/dashboard/api/state", Scope.READ, this::state));
        r.add(new Route("GET", "/dashboard/api/dead/{queue}/{id}", Scope.READ, this::deadLetter));
        r.add(new Route("DELETE", "/dashboard/api/dead/{queue}/{id}", Scope.ALL, this::deleteDeadLetter));
        r.add(new Route("POST", "/dashboard/api/dead/{queue}/{id}/requeue", Scope.ALL, this::requeue));
        r.add(new Route("POST", "/dashboard/api/tasks/{id}/revoke", Scope.ALL, this::revoke));
        return r;
    }

    private void allowed(Exchange ex) {
        InetAddress from = ex.remoteAddress();
        if (!config.remote() && (from == null || !from.isLoopbackAddress())) {
            throw new ProblemException(403, "dashboard-loopback-only", "Forbidden",
                    "the dashboard answers loopback clients only; start the server with dashboardRemote(true) to open it to others");
        }
    }

    private void action(Exchange ex) {
        allowed(ex);
        if (config.readOnly()) {
            throw new ProblemException(403, "dashboard-read-only", "Forbidden",
                    "the dashboard is read-only: its actions are turned off (dashboardReadOnly(true))");
        }
    }

    void page(Exchange ex, List<String> vars) throws IOException {
        allowed(ex);
        if (ex.path().endsWith("/")) {
            ex.responseHeader("Location", "../dashboard");
            ex.sendEmpty(308);
            return;
        }
        ex.send(200, "text/html; charset=utf-8", cache.computeIfAbsent("index.html", Dashboard::load), "no-cache");
    }

    void file(Exchange ex, List<String> vars) throws IOException {
        allowed(ex);
        String type = FILES.get(vars.get(0));
        if (type == null) {
            throw ProblemException.notFound("no-such-path", "no file '" + vars.get(0) + "' under /dashboard");
        }
        ex.send(200, type, cache.computeIfAbsent(vars.get(0), Dashboard::load), "no-cache");
    }

    private static byte[] load(String name) {
        try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(ASSETS + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void state(Exchange ex, List<String> vars) throws IOException {
        allowed(ex);
        ex.sendJson(200, snapshot());
    }

    /** Everything the page shows, read now. */
    Map<String, Object> snapshot() {
        Operations ops = louie.operations();
        Instant now = clock.instant();
        List<QueueSummary> queues = ops.queues();
        List<ConsumerStatus> consumers = ops.consumers();
        List<Map<String, Object>> queueRows = new ArrayList<>();
        List<QueuedTask> pending = new ArrayList<>();
        List<QueuedTask> scheduled = new ArrayList<>();
        List<DeadLetteredTask> dead = new ArrayList<>();
        long pendingTotal = 0;
        long running = 0;
        long deadTotal = 0;
        Long oldestAge = null;
        for (QueueSummary q : queues) {
            List<QueuedTask> first = ops.pending(q.queue(), 0, LIST_LIMIT);
            Long age = ops.oldestPendingAge(q.queue()).map(Duration::toMillis).orElse(null);
            if (age != null) {
                oldestAge = oldestAge == null ? age : Math.max(oldestAge, age);
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("queue", q.queue());
            row.put("pending", q.pending());
            row.put("scheduled", q.scheduled());
            row.put("running", q.running());
            row.put("dead", q.dead());
            row.put("oldestAgeMs", age);
            queueRows.add(row);
            pending.addAll(first);
            if (q.scheduled() > 0) {
                scheduled.addAll(ops.scheduled(q.queue(), 0, LIST_LIMIT));
            }
            if (q.dead() > 0) {
                dead.addAll(ops.deadLetters(q.queue(), 0, LIST_LIMIT));
            }
            pendingTotal += q.pending();
            running += q.running();
            deadTotal += q.dead();
        }
        long capacity = 0;
        long alive = 0;
        for (ConsumerStatus c : consumers) {
            if (c.alive()) {
                alive++;
                capacity += c.workers();
            }
        }
        List<DashboardHistory.Minute> minutes = history.minutes();
        long completedHour = 0;
        long failedHour = 0;
        for (DashboardHistory.Minute m : minutes) {
            completedHour += m.completed();
            failedHour += m.failed();
        }
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("pending", pendingTotal);
        header.put("running", running);
        header.put("capacity", capacity);
        header.put("oldestPendingAgeMs", oldestAge);
        header.put("completedLastHour", completedHour);
        header.put("failedLastHour", failedHour);
        header.put("dead", deadTotal);
        header.put("consumersAlive", alive);
        header.put("consumers", consumers.size());

        List<Map<String, Object>> consumerRows = new ArrayList<>();
        for (ConsumerStatus c : consumers) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", c.id());
            row.put("host", c.host());
            row.put("pid", c.pid());
            row.put("workers", c.workers());
            row.put("busy", c.running().size());
            row.put("queues", c.queues());
            row.put("lastSeen", c.lastSeen());
            row.put("lastSeenAgoMs", Math.max(0, Duration.between(c.lastSeen(), now).toMillis()));
            row.put("alive", c.alive());
            consumerRows.add(row);
        }
        List<Map<String, Object>> batchers = new ArrayList<>();
        config.batchers().forEach((name, panel) -> batchers.add(panel.view(name)));

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("app", louie.name());
        out.put("now", now);
        out.put("readOnly", config.readOnly());
        out.put("listLimit", LIST_LIMIT);
        out.put("header", header);
        out.put("queues", queueRows);
        out.put("minutes", minutes);
        out.put("tasks", history.tasks());
        out.put("pending", pending);
        out.put("scheduled", scheduled);
        out.put("deadLetters", dead);
        out.put("consumers", consumerRows);
        out.put("batchers", batchers);
        return out;
    }

    void deadLetter(Exchange ex, List<String> vars) throws IOException {
        allowed(ex);
        DeadLetter d = louie.operations().deadLetter(vars.get(0), vars.get(1)).orElseThrow(() -> noDeadLetter(vars));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("queue", d.queue());
        out.put("id", d.id());
        out.put("reason", d.reason());
        out.put("deliveries", d.deliveries());
        out.put("at", d.at());
        out.put("body", bodyText(d.body()));
        ex.sendJson(200, out);
    }

    /** The body as indented JSON, else as text, else as base64 (prefixed so). */
    private String bodyText(byte[] body) {
        try {
            JsonNode json = mapper.readTree(body);
            if (json != null) {
                return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(json);
            }
        } catch (IOException notJson) {
            // fall through
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException binary) {
            return "base64:" + Base64.getEncoder().encodeToString(body);
        }
    }

    void deleteDeadLetter(Exchange ex, List<String> vars) throws IOException {
        action(ex);
        if (!louie.operations().deleteDeadLetter(vars.get(0), vars.get(1))) {
            throw noDeadLetter(vars);
        }
        ex.sendEmpty(204);
    }

    void requeue(Exchange ex, List<String> vars) throws IOException {
        action(ex);
        if (!louie.operations().requeue(vars.get(0), vars.get(1))) {
            throw noDeadLetter(vars);
        }
        ex.sendEmpty(204);
    }

    void revoke(Exchange ex, List<String> vars) throws IOException {
        action(ex);
        louie.result(vars.get(0)).revoke();
        ex.sendEmpty(204);
    }

    private static ProblemException noDeadLetter(List<String> vars) {
        return ProblemException.notFound("no-dead-letter", "queue '" + vars.get(0) + "' has no dead letter '" + vars.get(1)
                + "' (requeued or deleted already?)");
    }
}
