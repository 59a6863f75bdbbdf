package dev.louie.batching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.batching.simulation.LatencyModel;
import dev.louie.batching.simulation.SimulationResult;
import dev.louie.batching.simulation.Simulator;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link PeakThroughputPolicy} against closed-loop clients that submit their next request from
 * inside the completion of the last (the bench's async clients), in virtual time: two batches in
 * flight on two cores, as {@code BatchedModel} runs on a 2-core machine.
 */
@Timeout(60)
class ClosedLoopPolicyTest {
    static final Duration SLO = Duration.ofMillis(50);

    static SimulationResult run(Supplier<? extends BatchPolicy> policy, LatencyModel model, int clients, long seed) {
        return Simulator.builder().closedLoopClients(clients).latency(model).policy(policy)
                .concurrency(2).cores(2).seed(seed)
                .duration(Duration.ofSeconds(20)).warmup(Duration.ofSeconds(5)).run();
    }

    /** Throughput grows with the batch: 0.5 ms + 40 µs per row, with 10 % noise, like the generated MLP. */
    static final LatencyModel GROWING = LatencyModel.linear(Duration.ofNanos(500_000), Duration.ofNanos(40_000)).withNoise(0.1);

    @Test
    void keepsUpWithAimdWhenClientsResubmitOnCompletion() {
        for (long seed : new long[] {1, 2, 3}) {
            SimulationResult peak = run(() -> BatchPolicy.peakThroughput(SLO), GROWING, 64, seed);
            SimulationResult aimd = run(() -> BatchPolicy.aimd(SLO), GROWING, 64, seed);
            assertThat(peak.throughputPerSecond()).as("seed %d: %s vs %s", seed, peak, aimd)
                    .isGreaterThan(0.9 * aimd.throughputPerSecond());
        }
    }

    /**
     * A busy machine: now and then a batch takes 30 ms longer whatever its size (over the 25 ms
     * budget), so slow batches often come two within 50. Cutting the size would not have spared
     * them; the policy must not collapse to batch 1 as it did when it treated them as misses.
     */
    @Test
    void doesNotCollapseWhenTheMachineStallsBatchesOfAnySize() {
        for (double p : new double[] {0.005, 0.01}) {
            LatencyModel stalls = GROWING.withHiccups(p, Duration.ofMillis(30));
            double peak = 0;
            double aimd = 0;
            for (long seed : new long[] {1, 2, 3}) {
                peak += run(() -> BatchPolicy.peakThroughput(SLO), stalls, 64, seed).throughputPerSecond();
                aimd += run(() -> BatchPolicy.aimd(SLO), stalls, 64, seed).throughputPerSecond();
            }
            assertThat(peak / aimd).as("hiccup probability %s", p).isGreaterThan(0.75);
        }
    }

    /**
     * The machine slows down for half of every period in the first 4 s, so that a search can measure
     * one batch in flight as faster than two. With 64 closed-loop callers and one batch in flight
     * the batch takes all 64, and one more batch in flight at that size finds nothing queued: the
     * policy must move to more, smaller batches at once, or it stays on one core (it served 0.51
     * of two batches of 32 with these seeds before it could).
     */
    @Test
    void spreadsTheCallersOverMoreBatchesWhenOneBatchHoldsThemAll() {
        // like the Silero VAD on one core: 60 µs a batch and 47 µs a row
        LatencyModel vad = LatencyModel.linear(Duration.ofNanos(60_000), Duration.ofNanos(47_000)).withNoise(0.1);
        double twoOf32 = Simulator.builder().closedLoopClients(64).latency(vad)
                .policy(() -> BatchPolicy.fixed(32, Duration.ZERO)).concurrency(2).cores(2).seed(1)
                .duration(Duration.ofSeconds(10)).warmup(Duration.ofSeconds(2)).run().throughputPerSecond();
        for (int period : new int[] {100, 700}) {
            LatencyModel stalling = vad;
            for (int k = 0; k < 4000 / period; k++) {
                stalling = stalling.withStall(Duration.ofMillis((long) k * period), Duration.ofMillis(period / 2), 3);
            }
            LatencyModel model = stalling;
            SimulationResult peak = Simulator.builder().closedLoopClients(64).latency(model)
                    .policy(() -> BatchPolicy.peakThroughput(SLO)).concurrency(2).cores(2).seed(4)
                    .duration(Duration.ofSeconds(10)).warmup(Duration.ofSeconds(6)).run();
            assertThat(peak.throughputPerSecond()).as("stalls every %d ms: %s", period, peak)
                    .isGreaterThan(0.9 * twoOf32);
        }
    }
}
