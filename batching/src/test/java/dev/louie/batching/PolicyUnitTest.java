package dev.louie.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.louie.batching.simulation.ArrivalProcess;
import dev.louie.batching.simulation.LatencyModel;
import dev.louie.batching.simulation.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Policies, time and models fed by hand. */
@Timeout(10)
class PolicyUnitTest {
    static final long SLO = Duration.ofMillis(20).toNanos();

    static BatchPolicy.Observation ok(BatchPolicy p) {
        return new BatchPolicy.Observation(p.maxBatchSize(), p.maxBatchSize(), 0, SLO / 2, false);
    }

    static BatchPolicy.Observation miss(BatchPolicy p) {
        return new BatchPolicy.Observation(p.maxBatchSize(), p.maxBatchSize(), 0, SLO + 1, false);
    }

    @Test
    void aimdGrowsByStepAfterFullBatchesWithinTheSloOnly() {
        AimdPolicy p = AimdPolicy.builder(Duration.ofMillis(20)).step(2).initialSize(10).build();
        p.onBatchCompleted(ok(p));
        assertThat(p.maxBatchSize()).isEqualTo(12);
        p.onBatchCompleted(new BatchPolicy.Observation(5, 12, 0, SLO / 2, false)); // partial: no growth
        assertThat(p.maxBatchSize()).isEqualTo(12);
        p.onBatchCompleted(new BatchPolicy.Observation(12, 12, 0, SLO / 2, true)); // failed: ignored
        assertThat(p.maxBatchSize()).isEqualTo(12);
    }

    @Test
    void aimdCutsByTheBackoffFactorOnAMissAndHoldsBelowTheSizeThatMissed() {
        AimdPolicy p = AimdPolicy.builder(Duration.ofMillis(20)).initialSize(100).probeInterval(5).build();
        p.onBatchCompleted(miss(p));
        assertThat(p.maxBatchSize()).isEqualTo(90);
        List<Integer> limits = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            p.onBatchCompleted(ok(p));
            limits.add(p.maxBatchSize());
        }
        // grows 91..99 one per batch, then holds at 99 for 5 batches before probing 100
        assertThat(limits.subList(0, 9)).containsExactly(91, 92, 93, 94, 95, 96, 97, 98, 99);
        assertThat(limits.subList(9, 13)).containsOnly(99);
        assertThat(limits.get(13)).isEqualTo(100);
        // the probe at 100 succeeded: the ceiling is forgotten and growth resumes
        assertThat(limits.get(14)).isEqualTo(101);
        // a late miss from a batch formed under an older, larger limit does not cut twice
        p.onBatchCompleted(miss(p));
        int cut = p.maxBatchSize();
        p.onBatchCompleted(new BatchPolicy.Observation(200, 200, 0, SLO * 2, false));
        assertThat(p.maxBatchSize()).isEqualTo(cut);
    }

    @Test
    void aimdRespectsItsSizeRange() {
        AimdPolicy p = AimdPolicy.builder(Duration.ofMillis(20)).sizeRange(4, 6).build();
        assertThat(p.maxBatchSize()).isEqualTo(4);
        for (int i = 0; i < 10; i++) {
            p.onBatchCompleted(ok(p));
        }
        assertThat(p.maxBatchSize()).isEqualTo(6);
        for (int i = 0; i < 10; i++) {
            p.onBatchCompleted(miss(p));
        }
        assertThat(p.maxBatchSize()).isEqualTo(4);
        assertThat(AimdPolicy.builder(Duration.ofMillis(1)).delay(Duration.ofMillis(3)).build().maxDelayNanos())
                .isEqualTo(3_000_000);
        assertThatThrownBy(() -> AimdPolicy.builder(Duration.ofMillis(1)).backoff(1.0)).hasMessageContaining("backoff");
    }

    @Test
    void latencyFitPolicyFitsTheLineAndPicksTheLargestSizeWithinTheSlo() {
        LatencyFitPolicy p = LatencyFitPolicy.builder(Duration.ofMillis(20)).explore(4, 0.8).build();
        LatencyModel truth = LatencyModel.linear(Duration.ofMillis(2), Duration.ofNanos(250_000));
        for (int i = 0; i < 60; i++) {
            int n = p.maxBatchSize();
            p.onBatchCompleted(new BatchPolicy.Observation(n, n, 0, truth.latencyNanos(n, 0, null), false));
        }
        assertThat(p.interceptNanos()).isCloseTo(2_000_000, org.assertj.core.data.Offset.offset(10_000.0));
        assertThat(p.slopeNanos()).isCloseTo(250_000, org.assertj.core.data.Offset.offset(1_000.0));
        List<Integer> limits = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = p.maxBatchSize();
            limits.add(n);
            p.onBatchCompleted(new BatchPolicy.Observation(n, n, 0, truth.latencyNanos(n, 0, null), false));
        }
        // (20 - 2) / 0.25 = 72 less a little noise headroom, and one batch in four explores at 0.8 of it
        int target = limits.stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertThat(target).isBetween(70, 72);
        assertThat(limits).containsOnly(target, (int) Math.floor(target * 0.8));
        assertThat(limits.stream().filter(n -> n == target)).hasSize(6);
    }

    @Test
    void virtualTimeRunsTimersInOrderAndCancelledOnesNever() {
        VirtualTime t = new VirtualTime();
        List<String> ran = new ArrayList<>();
        t.schedule(() -> ran.add("b@" + t.nanoTime()), 20);
        t.schedule(() -> ran.add("a@" + t.nanoTime()), 10);
        t.schedule(() -> ran.add("a2@" + t.nanoTime()), 10);
        BatchClock.Cancellable c = t.schedule(() -> ran.add("never"), 15);
        t.schedule(() -> t.schedule(() -> ran.add("chained@" + t.nanoTime()), 5), 12);
        c.cancel();
        t.advanceTo(18);
        assertThat(ran).containsExactly("a@10", "a2@10", "chained@17");
        assertThat(t.nanoTime()).isEqualTo(18);
        t.runAll();
        assertThat(ran).last().isEqualTo("b@20");
        assertThat(t.nanoTime()).isEqualTo(20);
        assertThat(t.nextTimerNanos()).isEqualTo(-1);
    }

    @Test
    void latencyModelsParseAndAddNoiseAndStalls() {
        assertThat(LatencyModel.parse("2ms+0.25ms*n").latencyNanos(8, 0, null)).isEqualTo(4_000_000);
        assertThat(LatencyModel.parse(" 1ms + 50us*n + 2us*n^2 ").latencyNanos(10, 0, null)).isEqualTo(1_700_000);
        assertThatThrownBy(() -> LatencyModel.parse("2 parsecs")).hasMessageContaining("2parsecs");
        LatencyModel stall = LatencyModel.parse("1ms").withStall(Duration.ofSeconds(1), Duration.ofSeconds(1), 5);
        assertThat(stall.latencyNanos(1, 500_000_000, null)).isEqualTo(1_000_000);
        assertThat(stall.latencyNanos(1, 1_500_000_000, null)).isEqualTo(5_000_000);
        LatencyModel noisy = LatencyModel.parse("10ms").withNoise(0.1);
        Random r = new Random(1);
        double mean = 0;
        double sq = 0;
        for (int i = 0; i < 10_000; i++) {
            double v = noisy.latencyNanos(1, 0, r) / 1e6;
            mean += v / 10_000;
            sq += v * v / 10_000;
        }
        assertThat(mean).isBetween(9.9, 10.1);
        assertThat(Math.sqrt(sq - mean * mean)).isBetween(0.9, 1.1);
    }

    @Test
    void arrivalProcessesHaveTheirRates() {
        Random r = new Random(3);
        for (ArrivalProcess a : List.of(ArrivalProcess.constant(1000), ArrivalProcess.poisson(1000))) {
            long t = 0;
            int n = 0;
            while (t < 10_000_000_000L) {
                t += a.nextGapNanos(t, r);
                n++;
            }
            assertThat(n).isBetween(9_700, 10_300);
        }
        ArrivalProcess bursts = ArrivalProcess.onOff(1000, Duration.ofMillis(100), Duration.ofMillis(300));
        long t = 0;
        int n = 0;
        while (t < 10_000_000_000L) {
            t += bursts.nextGapNanos(t, r);
            assertThat(t % 400_000_000L).isLessThan(100_000_000L);
            n++;
        }
        assertThat(n).isBetween(2_300, 2_700);
    }
}
