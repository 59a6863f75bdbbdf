package dev.louie.http;

import static dev.louie.http.HttpFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.louie.core.Louie;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What every request gets (request id, access log line, 404 for unknown paths, 500 for bugs), configuration checks, and graceful stop. */
class ServerTest {
    @Test
    void everyResponseCarriesARequestIdTakenFromTheRequestOrMade() {
        try (HttpFixture f = new HttpFixture(false, b -> b)) {
            HttpResponse<String> given = f.send(f.request("/health/live").header("X-Request-Id", "abc-123").GET());
            assertThat(given.headers().firstValue("X-Request-Id")).hasValue("abc-123");
            for (HttpResponse<String> r : new HttpResponse[] {f.get("/health/live"), f.get("/nowhere"), f.delete("/api/v1/results/x"),
                    f.post("/api/v1/tasks/add", "{")}) {
                assertThat(r.headers().firstValue("X-Request-Id")).as(r.uri().toString()).hasValueSatisfying(v -> assertThat(v).hasSize(36));
            }
            HttpResponse<String> bad = f.send(f.request("/health/live").header("X-Request-Id", "no spaces allowed").GET());
            assertThat(bad.headers().firstValue("X-Request-Id").orElseThrow()).isNotEqualTo("no spaces allowed");
        }
    }

    @Test
    void unknownPathIs404Problem() {
        try (HttpFixture f = new HttpFixture(false, b -> b)) {
            HttpResponse<String> r = f.get("/api/v2/anything");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json(r).get("type").asText()).isEqualTo("urn:louie:problem:no-such-path");
            assertThat(json(r).get("requestId").asText()).isEqualTo(r.headers().firstValue("X-Request-Id").orElseThrow());
        }
    }

    @Test
    void aBugIs500WithTheRequestIdAndNoInternals() {
        Authenticator broken = request -> {
            throw new IllegalStateException("secret internal detail");
        };
        try (HttpFixture f = new HttpFixture(false, b -> b.authenticator(broken))) {
            HttpResponse<String> r = f.post("/api/v1/tasks/add", "{\"a\":1,\"b\":2}");
            assertThat(r.statusCode()).isEqualTo(500);
            String id = r.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(json(r).get("requestId").asText()).isEqualTo(id);
            assertThat(json(r).get("detail").asText()).contains(id);
            assertThat(r.body()).doesNotContain("secret internal detail").doesNotContain("IllegalStateException");
        }
    }

    @Test
    void oneAccessLogLinePerRequestWithTemplateStatusAndIdButNoKey() throws InterruptedException {
        BlockingQueue<ILoggingEvent> lines = new LinkedBlockingQueue<>();
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                lines.add(e);
            }
        };
        Logger access = (Logger) LoggerFactory.getLogger("dev.louie.http.access");
        Level level = access.getLevel();
        appender.start();
        access.addAppender(appender);
        access.setLevel(Level.INFO);
        String key = "access-log-key-0123456789";
        try (HttpFixture f = new HttpFixture(false, b -> b.authenticator(ApiKeys.of(key)))) {
            HttpResponse<String> r = f.send(f.request("/api/v1/results/some-id-42").header("X-API-Key", key).GET());
            assertThat(r.statusCode()).isEqualTo(404);
            ILoggingEvent line = lines.poll(5, TimeUnit.SECONDS);
            assertThat(line).isNotNull();
            String text = line.getFormattedMessage();
            assertThat(text).startsWith("GET /api/v1/results/{id} 404 ").contains(r.headers().firstValue("X-Request-Id").orElseThrow())
                    .doesNotContain("some-id-42").doesNotContain(key);
            assertThat(lines.poll(200, TimeUnit.MILLISECONDS)).as("one line per request").isNull();
        } finally {
            access.detachAppender(appender);
            access.setLevel(level);
        }
    }

    @Test
    void gracefulStopLetsAnInFlightWaitFinishAndRefusesNewRequests() throws Exception {
        ShopTasks.blockStarted = new CountDownLatch(1);
        ShopTasks.blockRelease = new CountDownLatch(1);
        try (HttpFixture f = new HttpFixture(true, b -> b.retryAfter(Duration.ofSeconds(3)))) {
            CompletableFuture<HttpResponse<String>> waiting = f.client.sendAsync(f.request("/api/v1/tasks/block?wait=10s")
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"what\":\"finished\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ShopTasks.blockStarted.await(10, TimeUnit.SECONDS)).as("the task runs, so its request waits").isTrue();

            f.http.beginStop();
            HttpResponse<String> refused = f.get("/health/live");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("3");
            assertThat(json(refused).get("type").asText()).isEqualTo("urn:louie:problem:shutting-down");

            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> f.http.stop(Duration.ofSeconds(10)));
            assertThat(stopped).isNotDone();
            ShopTasks.blockRelease.countDown();
            HttpResponse<String> done = waiting.get(10, TimeUnit.SECONDS);
            assertThat(done.statusCode()).isEqualTo(200);
            assertThat(json(done).get("result").asText()).isEqualTo("finished");
            assertThat(stopped.get(10, TimeUnit.SECONDS)).as("every request finished within the grace").isTrue();
        } finally {
            ShopTasks.blockRelease.countDown();
        }
    }

    @Test
    void configurationIsCheckedAtStartWithEveryProblemInOneMessage() {
        try (Louie louie = Louie.builder("cfg").register(new ShopTasks()).build()) {
            assertThatThrownBy(() -> LouieHttp.builder(louie).tasks("nope", "add").port(-1).threads(0)
                    .maxWait(Duration.ZERO).authenticator(null).start())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("invalid LouieHttp configuration: ")
                    .hasMessageContaining("tasks: 'nope' is not a task registered")
                    .hasMessageContaining("port: must be 0")
                    .hasMessageContaining("threads: must be 1")
                    .hasMessageContaining("maxWait: must be more than zero")
                    .hasMessageContaining("authenticator: must be set");
        }
    }

    @Test
    void builderChangesAfterStartDoNotReachTheServer() {
        try (Louie louie = Louie.builder("cfg2").register(new ShopTasks()).build()) {
            LouieHttp.Builder b = LouieHttp.builder(louie).host("127.0.0.1").port(0).tasks("add");
            try (LouieHttp http = b.start()) {
                b.tasks("ping").authenticator(ApiKeys.of("changed-after-start-key"));
                var client = java.net.http.HttpClient.newHttpClient();
                var r = client.sendAsync(java.net.http.HttpRequest.newBuilder(http.uri().resolve("/api/v1/tasks/ping"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).join();
                assertThat(r.statusCode()).as("ping was not exposed at start, and auth stays open").isEqualTo(404);
            }
        }
    }

    @Test
    void apiKeysRefuseBlankKeysAndNeverShowThem() {
        assertThatThrownBy(() -> ApiKeys.of(Map.of(" ", Scope.ALL))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApiKeys.of(Map.of())).isInstanceOf(IllegalArgumentException.class);
        ApiKeys keys = ApiKeys.of(Map.of("k-one-0123456789", Scope.READ));
        assertThat(keys.toString()).doesNotContain("k-one");
        RequestHead head = new RequestHead() {
            public String method() { return "GET"; }
            public String path() { return "/"; }
            public Optional<String> header(String name) { return name.equals("Authorization") ? Optional.of("bearer k-one-0123456789") : Optional.empty(); }
        };
        assertThat(keys.authenticate(head)).hasValueSatisfying(c -> {
            assertThat(c.scope()).isEqualTo(Scope.READ);
            assertThat(c.name()).startsWith("key:").doesNotContain("k-one");
        });
    }
}
