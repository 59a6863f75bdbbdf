package dev.louie.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ServingApp} as its command line starts it, over real HTTP: the sync, async, bad-input,
 * model and health calls of the README, the keys (401, a read-only key's 403), and
 * {@code --no-consumer}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServingAppTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @TempDir
    Path dir;

    private HttpResponse<String> send(ServingApp app, String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(app.http().uri() + path)).timeout(TIMEOUT);
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheTaskTheModelHealthAndDocsWithKeys() throws Exception {
        try (ServingApp app = ServingApp.parse("--port", "0", "--host", "127.0.0.1", "--db", dir.resolve("serving.db").toString(),
                "--api-key", "k-all-0123456789", "--read-only-key", "k-read-0123456789").start()) {
            // sync
            HttpResponse<String> sync = send(app, "POST", "/api/v1/tasks/predict?wait=15s", "k-all-0123456789", "{\"name\":\"alice\"}");
            assertThat(sync.statusCode()).as(sync.body()).isEqualTo(200);
            JsonNode result = JSON.readTree(sync.body()).get("result");
            assertThat(result.get("name").asText()).isEqualTo("alice");
            assertThat(result.get("probabilities")).hasSize(4);
            assertThat(result.get("label").asInt()).isBetween(0, 3);

            // async, then the result with the read-only key
            HttpResponse<String> async = send(app, "POST", "/api/v1/tasks/predict", "k-all-0123456789", "[\"bob\"]");
            assertThat(async.statusCode()).isEqualTo(202);
            String location = async.headers().firstValue("Location").orElseThrow();
            HttpResponse<String> read = send(app, "GET", location + "?wait=15s", "k-read-0123456789", null);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(JSON.readTree(read.body()).at("/result/name").asText()).isEqualTo("bob");

            // keys
            assertThat(send(app, "POST", "/api/v1/tasks/predict", null, "[\"x\"]").statusCode()).isEqualTo(401);
            assertThat(send(app, "POST", "/api/v1/tasks/predict", "k-read-0123456789", "[\"x\"]").statusCode()).isEqualTo(403);

            // bad input
            HttpResponse<String> bad = send(app, "POST", "/api/v1/tasks/predict", "k-all-0123456789", "{\"name\":42}");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(bad.body()).at("/errors/0/path").asText()).isEqualTo("$.name");

            // the model
            String features = IntStream.range(0, 64).mapToObj(i -> String.valueOf(i / 64.0)).collect(Collectors.joining(",", "[[", "]]"));
            HttpResponse<String> predicted = send(app, "POST", "/api/v1/models/classifier/predict", "k-all-0123456789",
                    "{\"x\":" + features + "}");
            assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
            assertThat(JSON.readTree(predicted.body()).at("/outputs/probabilities/shape").toString()).isEqualTo("[1,4]");

            // health and docs, open
            assertThat(send(app, "GET", "/health/live", null, null).statusCode()).isEqualTo(200);
            HttpResponse<String> ready = send(app, "GET", "/health/ready", null, null);
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(JSON.readTree(ready.body()).at("/checks/consumer/status").asText()).isEqualTo("up");
            assertThat(JSON.readTree(send(app, "GET", "/openapi.json", null, null).body()).at("/paths").has("/api/v1/tasks/predict")).isTrue();
            assertThat(send(app, "GET", "/docs", null, null).statusCode()).isEqualTo(200);

            // the dashboard: the page open, its data behind the keys, the classifier's batcher on it
            assertThat(send(app, "GET", "/dashboard", null, null).statusCode()).isEqualTo(200);
            assertThat(send(app, "GET", "/dashboard/api/state", null, null).statusCode()).isEqualTo(401);
            JsonNode state = JSON.readTree(send(app, "GET", "/dashboard/api/state", "k-read-0123456789", null).body());
            assertThat(state.at("/header/completedLastHour").asLong()).isGreaterThanOrEqualTo(2);
            assertThat(state.at("/header/consumersAlive").asLong()).isEqualTo(1);
            assertThat(state.at("/batchers/0/name").asText()).isEqualTo("classifier");
            assertThat(state.at("/batchers/0/requests").asLong()).isGreaterThanOrEqualTo(3);
            assertThat(send(app, "POST", "/dashboard/api/tasks/x/revoke", "k-read-0123456789", null).statusCode()).isEqualTo(403);
        }
    }

    @Test
    void withoutAConsumerTasksWaitForOneElsewhere() throws Exception {
        try (ServingApp app = ServingApp.parse("--port", "0", "--host", "127.0.0.1", "--db", dir.resolve("api.db").toString(),
                "--no-consumer").start()) {
            HttpResponse<String> r = send(app, "POST", "/api/v1/tasks/predict?wait=200ms", null, "[\"carol\"]");
            assertThat(r.statusCode()).as("no consumer here: still pending").isEqualTo(202);
            String location = r.headers().firstValue("Location").orElseThrow();
            assertThat(send(app, "GET", location, null, null).statusCode()).isEqualTo(202);
            assertThat(JSON.readTree(send(app, "GET", "/health/ready", null, null).body()).at("/checks").has("consumer")).isFalse();
        }
        // a consumer on the same file, as another process would run it, answers the task
        try (ServingApp consumer = ServingApp.parse("--port", "0", "--host", "127.0.0.1", "--db", dir.resolve("api.db").toString()).start()) {
            assertThat(consumer.http()).isNotNull();
        }
    }

    @Test
    void readOnlyKeyAloneIsRefused() {
        assertThatThrownBy(() -> ServingApp.parse("--port", "0", "--read-only-key", "k").start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--read-only-key needs --api-key");
    }
}
