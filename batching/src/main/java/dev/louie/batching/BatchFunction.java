package dev.louie.batching;

import java.util.List;

/**
 * The function a {@link Batcher} calls with a batch of inputs, for example one model call.
 *
 * <p>It must return exactly one output per input, in input order. An exception fails every
 * request of the batch with that exception as the cause; a list of the wrong size fails them
 * with an {@link IllegalStateException} that says so.
 *
 * @param <I> input type of one request
 * @param <O> output type of one request
 */
@FunctionalInterface
public interface BatchFunction<I, O> {

    /**
     * Runs one batch.
     *
     * @param inputs the batch, oldest request first; never empty; do not keep a reference
     * @return one output per input, in the same order
     * @throws Exception to fail every request of the batch
     */
    List<O> apply(List<I> inputs) throws Exception;
}
