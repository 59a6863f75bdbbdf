package dev.louie.batching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.batching.simulation.ArrivalProcess;
import dev.louie.batching.simulation.LatencyModel;
import dev.louie.batching.simulation.SimulationResult;
import dev.louie.batching.simulation.Simulator;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pins the policies' behaviour with the virtual-time simulator: a model of {@code 2 ms + 0.25 ms·n},
 * a 20 ms SLO for one batch, and more load than any batch size can serve (so the size limit is
 * what decides throughput). The largest size within the SLO is 72.
 */
@Timeout(30)
class PolicySimulationTest {
    static final Duration SLO = Duration.ofMillis(20);
    static final LatencyModel MODEL = LatencyModel.linear(Duration.ofMillis(2), Duration.ofNanos(250_000));
    static int bestFixedSize;
    static double bestFixedThroughput;

    static Simulator.Builder overload(Supplier<? extends BatchPolicy> policy, LatencyModel model) {
        return Simulator.builder()
                .arrivals(ArrivalProcess.poisson(6000))
                .latency(model)
                .policy(policy)
                .maxQueueSize(200);
    }

    /** The largest fixed size whose p99 batch execution meets the SLO, and the best throughput within it. */
    @BeforeAll
    static void findBestFixedSize() {
        for (int n = 40; n <= 100; n += 2) {
            int size = n;
            SimulationResult r = overload(() -> BatchPolicy.fixed(size, Duration.ZERO), MODEL)
                    .duration(Duration.ofSeconds(3)).run();
            if (p99Execution(r.trace()) <= SLO.toNanos()) {
                // throughput grows with the size here, so the best is the largest within the SLO
                bestFixedThroughput = Math.max(bestFixedThroughput, r.throughputPerSecond());
                bestFixedSize = n;
            }
        }
        assertThat(bestFixedSize).isEqualTo(72);
    }

    @Test
    void aimdConvergesToWithinTenPercentOfTheBestFixedSize() {
        SimulationResult r = overload(() -> BatchPolicy.aimd(SLO), MODEL)
                .duration(Duration.ofSeconds(10)).warmup(Duration.ofSeconds(3)).run();
        assertThat(r.meanBatchSize()).isBetween(0.9 * bestFixedSize, 1.1 * bestFixedSize);
        assertThat(r.throughputPerSecond()).isGreaterThan(0.9 * bestFixedThroughput);
    }

    @Test
    void aimdKeepsP99WithinTheSloAfterConvergence() {
        SimulationResult r = overload(() -> BatchPolicy.aimd(SLO), MODEL)
                .duration(Duration.ofSeconds(10)).warmup(Duration.ofSeconds(3)).run();
        assertThat(p99Execution(r.trace())).isLessThanOrEqualTo(SLO.toNanos());
        assertThat(missRate(r.trace())).isLessThan(0.01);
    }

    @Test
    void clippersPlainAimdProbesTooOftenForTheP99() {
        // the reason for AimdPolicy's probe interval: without it a batch misses every few batches
        SimulationResult r = overload(() -> AimdPolicy.builder(SLO).probeInterval(0).build(), MODEL)
                .duration(Duration.ofSeconds(10)).warmup(Duration.ofSeconds(3)).run();
        assertThat(p99Execution(r.trace())).isGreaterThan(SLO.toNanos());
        assertThat(missRate(r.trace())).isGreaterThan(0.05);
    }

    @Test
    void aimdCutsDuringAStallAndRecoversAfterIt() {
        LatencyModel stalling = MODEL.withStall(Duration.ofSeconds(4), Duration.ofSeconds(2), 3);
        SimulationResult r = overload(() -> BatchPolicy.aimd(SLO), stalling)
                .duration(Duration.ofSeconds(10)).run();
        double before = meanSize(r.trace(), 2, 4);
        double during = meanSize(r.trace(), 4.5, 6);
        double after = meanSize(r.trace(), 7.5, 10);
        assertThat(before).isGreaterThan(0.9 * bestFixedSize);
        assertThat(during).isLessThan(0.5 * bestFixedSize);
        assertThat(after).isBetween(0.9 * bestFixedSize, 1.1 * bestFixedSize);
        assertThat(missRate(window(r.trace(), 7.5, 10))).isLessThan(0.01);
    }

    @Test
    void fixedDelayNeverHoldsARequestLongerThanMaxDelayPlusOneExecution() {
        Duration maxDelay = Duration.ofMillis(5);
        long oneExecution = MODEL.latencyNanos(32, 0, null);
        // any load whose arrivals during one execution fit in one batch (beyond that it is overload)
        for (ArrivalProcess arrivals : List.of(ArrivalProcess.poisson(1000), ArrivalProcess.constant(2500),
                ArrivalProcess.constant(300), ArrivalProcess.onOff(2000, Duration.ofMillis(200), Duration.ofMillis(300)))) {
            SimulationResult r = Simulator.builder().arrivals(arrivals).latency(MODEL)
                    .policy(() -> BatchPolicy.fixed(32, maxDelay)).duration(Duration.ofSeconds(5)).run();
            assertThat(r.completed()).as("%s", r).isGreaterThan(1000);
            assertThat(r.maxQueueWaitNanos()).as("%s", r).isLessThanOrEqualTo(maxDelay.toNanos() + oneExecution);
            assertThat(r.trace()).allMatch(s -> s.rows() <= 32);
        }
    }

    @Test
    void delayedBatchingWaitsToFillUnderLightLoadWhereNoDelayDoesNot() {
        SimulationResult delayed = Simulator.builder().arrivals(ArrivalProcess.constant(500)).latency(MODEL)
                .policy(() -> BatchPolicy.fixed(32, Duration.ofMillis(10))).duration(Duration.ofSeconds(5)).run();
        SimulationResult eager = Simulator.builder().arrivals(ArrivalProcess.constant(500)).latency(MODEL)
                .policy(() -> BatchPolicy.fixed(32, Duration.ZERO)).duration(Duration.ofSeconds(5)).run();
        assertThat(delayed.meanBatchSize()).isGreaterThan(4);
        assertThat(eager.meanBatchSize()).isLessThan(1.5);
    }

    @Test
    void noneIsTheBaselineThatBatchingBeats() {
        SimulationResult none = Simulator.builder().arrivals(ArrivalProcess.poisson(3000)).latency(MODEL)
                .policy(BatchPolicy::none).maxQueueSize(1000).duration(Duration.ofSeconds(5)).run();
        SimulationResult fixed = Simulator.builder().arrivals(ArrivalProcess.poisson(3000)).latency(MODEL)
                .policy(() -> BatchPolicy.fixed(32, Duration.ofMillis(5))).maxQueueSize(1000)
                .duration(Duration.ofSeconds(5)).run();
        assertThat(none.meanBatchSize()).isEqualTo(1.0);
        assertThat(none.throughputPerSecond()).isBetween(400.0, 450.0); // 1 / 2.25 ms
        assertThat(none.rejected()).isGreaterThan(0);
        assertThat(fixed.throughputPerSecond()).isGreaterThan(2900);
        assertThat(fixed.rejected()).isZero();
    }

    @Test
    void deadlinesDropRequestsThatWaitedTooLongInsteadOfServingThemLate() {
        SimulationResult r = overload(() -> BatchPolicy.fixed(32, Duration.ZERO), MODEL)
                .maxQueueSize(10_000).deadline(Duration.ofMillis(30)).duration(Duration.ofSeconds(5)).run();
        assertThat(r.expired()).isGreaterThan(1000);
        // nothing waits past its deadline, so latency is bounded by deadline + one execution
        assertThat(r.maxLatencyNanos()).isLessThanOrEqualTo(Duration.ofMillis(30).toNanos() + MODEL.latencyNanos(32, 0, null));
    }

    @Test
    void latencyFitPolicyConvergesFasterThanAimdAndStaysWithinTheSlo() {
        SimulationResult fit = overload(() -> BatchPolicy.latencyFit(SLO), MODEL).duration(Duration.ofSeconds(10)).run();
        SimulationResult aimd = overload(() -> BatchPolicy.aimd(SLO), MODEL).duration(Duration.ofSeconds(10)).run();
        int target = (int) (0.9 * bestFixedSize);
        int fitBatches = batchesUntil(fit.trace(), target);
        int aimdBatches = batchesUntil(aimd.trace(), target);
        assertThat(fitBatches).isLessThan(aimdBatches / 4);
        List<SimulationResult.BatchSample> settled = window(fit.trace(), 3, 10);
        assertThat(missRate(settled)).isLessThan(0.01);
        double fitMean = settled.stream().mapToInt(SimulationResult.BatchSample::rows).average().orElse(0);
        assertThat(fitMean).isBetween(0.85 * bestFixedSize, 1.0 * bestFixedSize);
        // ...but it pays for exploring and for its noise headroom: settled AIMD runs larger batches
        assertThat(meanSize(aimd.trace(), 3, 10)).isGreaterThan(fitMean);
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        Supplier<SimulationResult> run = () -> Simulator.builder().arrivals(ArrivalProcess.poisson(3000))
                .latency(MODEL.withNoise(0.1)).policy(() -> BatchPolicy.aimd(SLO)).seed(7)
                .duration(Duration.ofSeconds(2)).run();
        SimulationResult a = run.get();
        SimulationResult b = run.get();
        assertThat(a).isEqualTo(b);
        SimulationResult c = Simulator.builder().arrivals(ArrivalProcess.poisson(3000))
                .latency(MODEL.withNoise(0.1)).policy(() -> BatchPolicy.aimd(SLO)).seed(8)
                .duration(Duration.ofSeconds(2)).run();
        assertThat(c.trace()).isNotEqualTo(a.trace());
    }

    static List<SimulationResult.BatchSample> window(List<SimulationResult.BatchSample> trace, double fromS, double toS) {
        return trace.stream().filter(s -> s.atNanos() >= fromS * 1e9 && s.atNanos() < toS * 1e9).toList();
    }

    static double meanSize(List<SimulationResult.BatchSample> trace, double fromS, double toS) {
        return window(trace, fromS, toS).stream().mapToInt(SimulationResult.BatchSample::rows).average().orElse(0);
    }

    static double missRate(List<SimulationResult.BatchSample> trace) {
        return (double) trace.stream().filter(s -> s.executionNanos() > SLO.toNanos()).count() / trace.size();
    }

    /** Exact (not histogram-rounded) p99 of batch execution times. */
    static long p99Execution(List<SimulationResult.BatchSample> trace) {
        long[] t = trace.stream().mapToLong(SimulationResult.BatchSample::executionNanos).sorted().toArray();
        return t[(int) Math.ceil(0.99 * t.length) - 1];
    }

    static int batchesUntil(List<SimulationResult.BatchSample> trace, int rows) {
        for (int i = 0; i < trace.size(); i++) {
            if (trace.get(i).rows() >= rows) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }
}
