package dev.louie.batching;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A batch function that answers later through a future: a call to a remote model server, or a
 * simulated model on a virtual clock (the {@link dev.louie.batching.simulation.Simulator} uses
 * one). Give it to {@link Batcher#asyncBuilder(AsyncBatchFunction)}.
 *
 * <p>It is called on the thread that dispatches the batch (a submitting thread, a timer of the
 * batcher's clock, or the thread that completed the previous batch), outside the batcher's lock,
 * so it must return at once and do the work elsewhere. The batch's execution time runs from the
 * call to the completion of the returned future. The rules of {@link BatchFunction} hold: one
 * output per input, in input order; a future completed exceptionally, or an exception thrown by
 * the call, fails every request of the batch.
 *
 * @param <I> input type of one request
 * @param <O> output type of one request
 */
@FunctionalInterface
public interface AsyncBatchFunction<I, O> {

    /**
     * Starts one batch.
     *
     * @param inputs the batch, oldest request first; never empty
     * @return a future, never {@code null}, of one output per input in the same order
     */
    CompletableFuture<List<O>> apply(List<I> inputs);
}
