package dev.louie.http;

import static dev.louie.http.HttpFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.louie.core.Louie;
import dev.louie.redis.RedisServerExtension;
import dev.louie.redis.RedisStorage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real Redis server stopped under the API: enqueue and readiness answer 503 with Retry-After
 * (never 500), and the API recovers by itself once the server is back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisDownIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @Test
    void stoppedRedisIs503WithRetryAfterAndTheApiRecovers() throws Exception {
        try (RedisStorage storage = RedisStorage.builder(REDIS.uri()).namespace("http-down")
                .commandTimeout(Duration.ofMillis(500)).connectTimeout(Duration.ofMillis(500)).build();
                Louie louie = Louie.builder("http-down").storage(storage).register(new ShopTasks()).build();
                LouieHttp http = LouieHttp.builder(louie).host("127.0.0.1").port(0).tasks("later")
                        .readyTimeout(Duration.ofSeconds(2)).retryAfter(Duration.ofSeconds(2)).start()) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(HttpFixture.TIMEOUT).build();
            assertThat(post(client, http).statusCode()).isEqualTo(202);
            assertThat(get(client, http, "/health/ready").statusCode()).isEqualTo(200);

            REDIS.stop();
            HttpResponse<String> refused = post(client, http);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
            assertThat(json(refused).get("type").asText()).isEqualTo("urn:louie:problem:storage-unavailable");
            HttpResponse<String> ready = get(client, http, "/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
            assertThat(json(ready).get("checks").get("storage").get("status").asText()).isEqualTo("down");
            HttpResponse<String> result = get(client, http, "/api/v1/results/some-id");
            assertThat(result.statusCode()).as(result.body()).isEqualTo(503);

            REDIS.start();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> post(client, http).statusCode() == 202);
            assertThat(get(client, http, "/health/ready").statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> post(HttpClient client, LouieHttp http) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(http.uri() + "/api/v1/tasks/later")).timeout(HttpFixture.TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("[\"x\"]")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(HttpClient client, LouieHttp http, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(http.uri() + path)).timeout(HttpFixture.TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
