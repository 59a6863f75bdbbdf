package dev.louie.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The handles of several tasks enqueued together ({@link Louie#map}, {@link Louie#group}).
 *
 * @param <T> the tasks' return type
 */
public final class ResultGroup<T> implements Iterable<Result<T>> {
    private final List<Result<T>> results;

    ResultGroup(List<Result<T>> results) {
        this.results = List.copyOf(results);
    }

    /** The handles, in submission order. */
    public List<Result<T>> results() {
        return results;
    }

    /** How many tasks. */
    public int size() {
        return results.size();
    }

    /**
     * Waits up to {@code timeout} in all for every value, in submission order.
     *
     * @throws ResultTimeoutException when some value is not ready in time
     * @throws TaskFailedException    when a task failed
     */
    public List<T> get(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<T> values = new ArrayList<>(results.size());
        for (Result<T> r : results) {
            values.add(r.get(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
        }
        return values;
    }

    /** Completes with every value in submission order, or with the first failure. */
    public CompletableFuture<List<T>> future() {
        List<CompletableFuture<T>> futures = new ArrayList<>(results.size());
        for (Result<T> r : results) {
            futures.add(r.future());
        }
        return CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> futures.stream().map(CompletableFuture::join).toList());
    }

    @Override
    public Iterator<Result<T>> iterator() {
        return results.iterator();
    }
}
