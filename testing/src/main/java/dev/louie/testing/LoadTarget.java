package dev.louie.testing;

import dev.louie.core.Louie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a {@link LoadTest} calls: one request per {@link #send()}, answered by a status (the HTTP
 * status, or 200 for an in-process call that returned) or by an exception (counted as an error
 * by its class).
 */
@FunctionalInterface
public interface LoadTarget {

    /** Sends one request; the future completes with its status when the answer is complete. */
    CompletableFuture<Integer> send();

    /**
     * POSTs {@code jsonBody} (or GETs, when it is null) to {@code url}; the body of the answer is
     * read and dropped. For {@code http://}, over plain kept-alive connections, one per request in
     * flight (cheap enough that the generator is rarely what limits the rate); for
     * {@code https://}, with {@code java.net.http.HttpClient}.
     */
    static LoadTarget http(URI url, String jsonBody) {
        if ("http".equalsIgnoreCase(Objects.requireNonNull(url, "url").getScheme())) {
            return new HttpConnectionTarget(url, jsonBody);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(Objects.requireNonNull(url, "url")).timeout(Duration.ofMinutes(5));
        HttpRequest request = jsonBody == null ? b.GET().build()
                : b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(jsonBody)).build();
        return http(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build(), request);
    }

    /** Sends {@code request} with {@code client} (its own connection pool, version and executor). */
    static LoadTarget http(HttpClient client, HttpRequest request) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(request, "request");
        return () -> client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
    }

    /**
     * Enqueues {@code task} with {@code args} on {@code louie} and completes when its result is
     * stored (a consumer must run); a failed task is an error.
     */
    static LoadTarget task(Louie louie, String task, Object... args) {
        Objects.requireNonNull(louie, "louie");
        Objects.requireNonNull(task, "task");
        Object[] copy = args.clone();
        return () -> louie.enqueue(task, copy).future().thenApply(r -> 200);
    }

    /**
     * Runs a blocking call (a model's predict method, a client library) on a thread of its own per
     * request in flight; it counts as 200 when it returns.
     */
    static LoadTarget blocking(Callable<?> call) {
        Objects.requireNonNull(call, "call");
        AtomicInteger n = new AtomicInteger();
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "louie-load-call-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return () -> CompletableFuture.supplyAsync(() -> {
            try {
                call.call();
                return 200;
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, threads);
    }
}
