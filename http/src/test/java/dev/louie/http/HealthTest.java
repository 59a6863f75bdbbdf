package dev.louie.http;

import static dev.louie.http.HttpFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Health endpoints and a storage that is down or hangs: 200/503 with Retry-After, and 503 for the API calls that need it. */
class HealthTest {
    @Test
    void liveAndReadyAre200WithEachCheck() {
        try (HttpFixture f = new HttpFixture(true, b -> b)) {
            HttpResponse<String> live = f.get("/health/live");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(json(live).get("status").asText()).isEqualTo("up");
            HttpResponse<String> ready = f.get("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            JsonNode checks = json(ready).get("checks");
            assertThat(checks.get("storage").get("status").asText()).isEqualTo("up");
            assertThat(checks.get("storage").get("latencyMs").isNumber()).isTrue();
            assertThat(checks.get("consumer").get("status").asText()).isEqualTo("up");
            assertThat(checks.get("consumer").get("workers").asInt()).isEqualTo(2);
        }
    }

    @Test
    void readyIs503WhenTheConsumerStopped() {
        try (HttpFixture f = new HttpFixture(true, b -> b)) {
            f.consumer.stop(Duration.ofSeconds(5));
            HttpResponse<String> ready = f.get("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.headers().firstValue("Retry-After")).isPresent();
            assertThat(json(ready).get("checks").get("consumer").get("status").asText()).isEqualTo("down");
        }
    }

    @Test
    void storageDownMakesReadyAndTheApi503WithRetryAfter() {
        try (HttpFixture f = new HttpFixture(false, b -> b.retryAfter(Duration.ofSeconds(7)))) {
            String id = json(f.post("/api/v1/tasks/add", "{\"a\":1,\"b\":2}")).get("id").asText();
            f.storage.mode = SwitchableStorage.Mode.DOWN;

            HttpResponse<String> ready = f.get("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(json(ready).get("status").asText()).isEqualTo("down");
            assertThat(json(ready).get("checks").get("storage").get("error").asText()).contains("down");

            HttpResponse<String> post = f.post("/api/v1/tasks/add", "{\"a\":1,\"b\":2}");
            assertThat(post.statusCode()).isEqualTo(503);
            assertThat(post.headers().firstValue("Retry-After")).hasValue("7");
            assertThat(json(post).get("type").asText()).isEqualTo("urn:louie:problem:storage-unavailable");

            HttpResponse<String> get = f.get("/api/v1/results/" + id);
            assertThat(get.statusCode()).isEqualTo(503);
            assertThat(get.headers().firstValue("Retry-After")).hasValue("7");

            assertThat(f.get("/health/live").statusCode()).as("live does not touch the storage").isEqualTo(200);

            f.storage.mode = SwitchableStorage.Mode.UP;
            assertThat(f.get("/health/ready").statusCode()).isEqualTo(200);
            assertThat(f.get("/api/v1/results/" + id).statusCode()).isEqualTo(202);
        }
    }

    @Test
    void hangingStorageIsDownWithinTheReadyTimeout() {
        try (HttpFixture f = new HttpFixture(false, b -> b.readyTimeout(Duration.ofMillis(200)))) {
            f.storage.mode = SwitchableStorage.Mode.HANG;
            try {
                long start = System.nanoTime();
                HttpResponse<String> ready = f.get("/health/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(json(ready).get("checks").get("storage").get("error").asText()).contains("no answer within 200 ms");
                assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
            } finally {
                f.storage.mode = SwitchableStorage.Mode.UP;
                f.storage.hangRelease.countDown();
            }
        }
    }
}
