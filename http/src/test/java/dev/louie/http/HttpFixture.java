package dev.louie.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.Signal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A Louie on a {@link SwitchableStorage} with the {@link ShopTasks}, optionally a consumer, and a
 * {@link LouieHttp} on a free loopback port; a {@link HttpClient} to call it; a count of the
 * tasks submitted (ENQUEUED signals), to show that a refused request enqueued nothing.
 */
final class HttpFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final SwitchableStorage storage = new SwitchableStorage();
    final AtomicInteger enqueued = new AtomicInteger();
    final Louie louie;
    final Consumer consumer;
    final LouieHttp http;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    HttpFixture(boolean withConsumer, UnaryOperator<LouieHttp.Builder> options) {
        louie = Louie.builder("http-test").storage(storage).register(new ShopTasks()).build();
        louie.addListener(e -> {
            if (e.signal() == Signal.ENQUEUED) {
                enqueued.incrementAndGet();
            }
        });
        consumer = withConsumer ? louie.consumer().workers(2).queues(Louie.DEFAULT_QUEUE).start() : null;
        LouieHttp.Builder b = LouieHttp.builder(louie).host("127.0.0.1").port(0)
                .tasks("add", "order", "greet", "ping", "fail", "reject", "later", "block");
        if (consumer != null) {
            b.consumer(consumer);
        }
        http = options.apply(b).start();
    }

    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + pathAndQuery)).timeout(TIMEOUT);
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    HttpResponse<String> post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> delete(String path) {
        return send(request(path).DELETE());
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    @Override
    public void close() {
        http.stop(Duration.ZERO);
        if (consumer != null) {
            consumer.stop(Duration.ofSeconds(5));
        }
        louie.close();
    }
}
