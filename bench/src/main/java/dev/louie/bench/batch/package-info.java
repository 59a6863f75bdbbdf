/**
 * {@code louie-bench batch}: request batching against a simulated model.
 * {@link dev.louie.bench.batch.BatchCommand} runs an open-loop load in real threads and real time,
 * or in the virtual-time simulator with {@code --virtual}, and writes the docs' batching plots with
 * {@code --plots DIR} ({@code BatchPlots}, package-private).
 * {@link dev.louie.bench.batch.BatcherBenchmark} is the JMH measure of the batcher's own cost.
 */
package dev.louie.bench.batch;
