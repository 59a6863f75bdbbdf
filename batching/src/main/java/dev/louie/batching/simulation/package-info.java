/**
 * Batching in virtual time: deterministic tests of a {@link dev.louie.batching.Batcher} and
 * simulations that compare batching policies in milliseconds, the same on every machine.
 *
 * <p>{@link dev.louie.batching.simulation.VirtualTime} is a {@link dev.louie.batching.BatchClock}
 * whose time moves only when told to: give it to {@code Batcher.Builder.clock(...)}, with
 * {@code executor(Runnable::run)}, and every dispatch decision in a test is exact.
 * {@link dev.louie.batching.simulation.Simulator} ({@code Simulator.builder()...run()}) drives a
 * real batcher on one against an {@link dev.louie.batching.simulation.ArrivalProcess} (when
 * requests arrive) and a {@link dev.louie.batching.simulation.LatencyModel} (how long a batch of
 * {@code n} rows takes), and returns a {@link dev.louie.batching.simulation.SimulationResult}:
 * throughput, latency percentiles, batch sizes, rejections and a per-batch trace.
 */
package dev.louie.batching.simulation;
