package dev.louie.batching;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A batch function that completes later, e.g. on a virtual clock; used by the simulator. */
@FunctionalInterface
interface AsyncBatchFunction<I, O> {
    CompletableFuture<List<O>> apply(List<I> inputs);
}
