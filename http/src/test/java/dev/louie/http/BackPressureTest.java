package dev.louie.http;

import static dev.louie.http.HttpFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.louie.core.Louie;
import dev.louie.core.Signal;
import dev.louie.core.storage.MemoryStorage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code maxQueueDepth}: 503 + Retry-After once a task's queue is at the limit, nothing enqueued; other queues unaffected. */
class BackPressureTest {

    @Test
    void queuePastTheDepthLimitIs503AndEnqueuesNothing() throws Exception {
        AtomicInteger enqueued = new AtomicInteger();
        try (Louie louie = Louie.builder("depth").storage(new MemoryStorage()).register(new ShopTasks()).build();
                LouieHttp http = LouieHttp.builder(louie).host("127.0.0.1").port(0).tasks("later", "add").maxQueueDepth(2)
                        .retryAfter(Duration.ofSeconds(3)).start()) {
            louie.addListener(e -> {
                if (e.signal() == Signal.ENQUEUED) {
                    enqueued.incrementAndGet();
                }
            });
            HttpClient client = HttpClient.newHttpClient();
            // "later" goes to queue "nobody", which no consumer serves
            assertThat(post(client, http, "later").statusCode()).isEqualTo(202);
            assertThat(post(client, http, "later").statusCode()).isEqualTo(202);
            HttpResponse<String> third = post(client, http, "later");
            assertThat(third.statusCode()).as(third.body()).isEqualTo(503);
            assertThat(third.headers().firstValue("Retry-After")).hasValue("3");
            assertThat(json(third).get("type").asText()).isEqualTo("urn:louie:problem:queue-full");
            assertThat(json(third).get("queue").asText()).isEqualTo("nobody");
            assertThat(enqueued.get()).as("the refused request enqueued nothing").isEqualTo(2);
            // the default queue is not full
            HttpResponse<String> other = client.send(HttpRequest.newBuilder(URI.create(http.uri() + "/api/v1/tasks/add"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("[1,2]")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(202);
        }
    }

    private static HttpResponse<String> post(HttpClient client, LouieHttp http, String task) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(http.uri() + "/api/v1/tasks/" + task)).timeout(HttpFixture.TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("[\"x\"]")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void depthLimitNeedsAStorageThatReportsSizes() {
        try (Louie louie = Louie.builder("depth-cfg").storage(new SwitchableStorage()).register(new ShopTasks()).build()) {
            assertThatThrownBy(() -> LouieHttp.builder(louie).port(0).maxQueueDepth(10).start())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxQueueDepth: needs a storage that implements StorageInspection");
            assertThatThrownBy(() -> LouieHttp.builder(louie).port(0).maxQueueDepth(-1).start())
                    .hasMessageContaining("maxQueueDepth: must be 0 (no limit) or more, not -1");
        }
    }
}
