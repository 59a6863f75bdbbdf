package dev.louie.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The example over real HTTP on loopback: a task waited for, a task enqueued and read later, a failing task, and health. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "louie.consumer.workers=2")
class ShopApplicationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) throws IOException {
        registry.add("louie.storage", () -> {
            try {
                return "sqlite:" + Files.createTempDirectory("shop-").resolve("louie.db");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @LocalServerPort
    int port;

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    @Test
    void aQuoteWaitsForItsTask() throws Exception {
        HttpResponse<String> response = send(at("/quote/apple?quantity=3"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"cents\":120").contains("\"item\":\"apple\"");
    }

    @Test
    void aFailedTaskIsA422WithItsError() throws Exception {
        HttpResponse<String> response = send(at("/quote/kiwi"));
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("no item named 'kiwi'");
    }

    @Test
    void aBasketIsEnqueuedAndItsTotalReadLater() throws Exception {
        HttpResponse<String> accepted = send(at("/baskets").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[\"melon\",\"melon\",\"melon\",\"melon\",\"pear\"]")));
        assertThat(accepted.statusCode()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/baskets/");

        await().atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> result = send(at(location));
            assertThat(result.statusCode()).isEqualTo(200);
            assertThat(result.body()).contains("\"cents\":1166"); // 1295 less a tenth (129 in whole cents)
        });
    }

    @Test
    void healthShowsLouie() throws Exception {
        HttpResponse<String> response = send(at("/actuator/health/louie"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"").contains("\"state\":\"running\"").contains("\"reports\"");
    }
}
