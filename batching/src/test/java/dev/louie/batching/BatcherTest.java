package dev.louie.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.louie.batching.simulation.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Deterministic tests: virtual time, batches run on the dispatching thread. */
@Timeout(10)
class BatcherTest {
    private final VirtualTime time = new VirtualTime();
    private final List<List<Integer>> calls = new ArrayList<>();
    private final BatcherStats stats = new BatcherStats();

    private Batcher.Builder<Integer, Integer> builder(BatchPolicy policy) {
        return Batcher.<Integer, Integer>builder(in -> {
                    calls.add(List.copyOf(in));
                    return in.stream().map(x -> x * 10).collect(Collectors.toList());
                })
                .policy(policy)
                .clock(time)
                .executor(Runnable::run)
                .listener(stats)
                .name("test");
    }

    private static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }

    @Test
    void fixedDispatchesAsSoonAsTheBatchIsFull() {
        Batcher<Integer, Integer> b = builder(BatchPolicy.fixed(3, ms(10))).build();
        CompletableFuture<Integer> f1 = b.submit(1);
        b.submit(2);
        assertThat(calls).isEmpty();
        b.submit(3);
        assertThat(calls).containsExactly(List.of(1, 2, 3));
        assertThat(f1).isCompletedWithValue(10);
        assertThat(stats.snapshot().dispatchReasons()).containsEntry(DispatchReason.FULL, 1L);
    }

    @Test
    void fixedDispatchesAPartialBatchWhenTheOldestHasWaitedMaxDelay() {
        Batcher<Integer, Integer> b = builder(BatchPolicy.fixed(10, ms(10))).build();
        b.submit(1);
        time.advance(ms(4));
        CompletableFuture<Integer> f2 = b.submit(2);
        time.advance(ms(5));
        assertThat(calls).isEmpty();
        time.advance(ms(1));
        assertThat(calls).containsExactly(List.of(1, 2));
        assertThat(f2).isCompletedWithValue(20);
        BatcherStats.Snapshot s = stats.snapshot();
        assertThat(s.dispatchReasons()).containsEntry(DispatchReason.DELAY_EXPIRED, 1L);
        assertThat(s.maxOldestWaitNanos()).isCloseTo(ms(10).toNanos(), withinPercentage(0.1));
        // latencies come from the injected clock: 10 ms and 6 ms
        assertThat(s.maxLatencyNanos()).isCloseTo(ms(10).toNanos(), withinPercentage(0.1));
        assertThat(s.p50LatencyNanos()).isCloseTo(ms(6).toNanos(), withinPercentage(0.1));
    }

    @Test
    void noneSendsEveryRequestAlone() {
        Batcher<Integer, Integer> b = builder(BatchPolicy.none()).build();
        b.submit(1);
        b.submit(2);
        b.submit(3);
        assertThat(calls).containsExactly(List.of(1), List.of(2), List.of(3));
        assertThat(stats.snapshot().dispatchReasons()).containsEntry(DispatchReason.FULL, 3L);
    }

    @Test
    void fullQueueRejectsAtOnceWithOverloaded() {
        Batcher<Integer, Integer> b = builder(BatchPolicy.fixed(10, ms(100))).maxQueueSize(2).build();
        CompletableFuture<Integer> f1 = b.submit(1);
        b.submit(2);
        CompletableFuture<Integer> f3 = b.submit(3);
        assertThat(f3).isCompletedExceptionally();
        assertThatThrownBy(f3::join).hasCauseInstanceOf(BatcherOverloadedException.class)
                .hasMessageContaining("test").hasMessageContaining("maxQueueSize 2");
        assertThat(b.queueDepth()).isEqualTo(2);
        assertThat(stats.snapshot().rejected()).isEqualTo(1);
        time.advance(ms(100));
        assertThat(f1).isCompletedWithValue(10);
        assertThat(calls).containsExactly(List.of(1, 2));
        assertThat(b.submit(4)).isNotDone(); // room again
    }

    @Test
    void requestWhoseDeadlineHasPassedFailsAtOnceAndNeverReachesTheFunction() {
        Batcher<Integer, Integer> b = builder(BatchPolicy.fixed(2, ms(100))).build();
        CompletableFuture<Integer> late = b.submit(1, time.now().minusMillis(1));
        assertThatThrownBy(late::join).hasCauseInstanceOf(DeadlineExceededException.class);
        b.submit(2);
        assertThat(calls).isEmpty();
        assertThat(stats.snapshot().expired()).isEqualTo(1);
    }

    @Test
    void requestWhoseDeadlinePassesWhileQueuedFailsThenAndIsSkipped() {
        Batcher<Integer, Integer> b = builder(BatchPolicy.fixed(10, ms(50))).build();
        CompletableFuture<Integer> keep = b.submit(1);
        CompletableFuture<Integer> drop = b.submit(2, time.now().plusMillis(20));
        time.advance(ms(19));
        assertThat(drop).isNotDone();
        time.advance(ms(1));
        assertThatThrownBy(drop::join).hasCauseInstanceOf(DeadlineExceededException.class);
        assertThat(b.queueDepth()).isEqualTo(1);
        time.advance(ms(30));
        assertThat(calls).containsExactly(List.of(1));
        assertThat(keep).isCompletedWithValue(10);
    }

    @Test
    void cancellingAFutureRemovesItsRequest() {
        Batcher<Integer, Integer> b = builder(BatchPolicy.fixed(3, ms(10))).build();
        b.submit(1);
        CompletableFuture<Integer> f2 = b.submit(2);
        b.submit(3);
        calls.clear();
        // batch of 3 already went; queue two more and cancel one
        b.submit(4);
        CompletableFuture<Integer> f5 = b.submit(5);
        assertThat(f5.cancel(false)).isTrue();
        assertThat(b.queueDepth()).isEqualTo(1);
        b.submit(6);
        b.submit(7); // 4, 6, 7 fill the batch: 5 no longer counts
        assertThat(calls).containsExactly(List.of(4, 6, 7));
        assertThat(f5).isCancelled();
        assertThat(f2).isCompletedWithValue(20);
        assertThat(f2.cancel(false)).isFalse();
    }

    @Test
    void wrongNumberOfOutputsFailsTheBatchWithAMessageSayingSo() {
        Batcher<Integer, Integer> b = Batcher.<Integer, Integer>builder(in -> List.of(1))
                .policy(BatchPolicy.fixed(2, ms(10))).clock(time).executor(Runnable::run).name("wrong").build();
        CompletableFuture<Integer> f1 = b.submit(1);
        CompletableFuture<Integer> f2 = b.submit(2);
        for (CompletableFuture<Integer> f : List.of(f1, f2)) {
            assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("returned 1 outputs for 2 inputs");
        }
    }

    @Test
    void throwingFunctionFailsEveryRequestOfTheBatchWithTheCause() {
        Exception boom = new java.io.IOException("model exploded");
        BatcherStats s = new BatcherStats();
        Batcher<Integer, Integer> b = Batcher.<Integer, Integer>builder(in -> {
                    throw boom;
                })
                .policy(BatchPolicy.fixed(2, ms(10))).clock(time).executor(Runnable::run).listener(s).build();
        CompletableFuture<Integer> f1 = b.submit(1);
        CompletableFuture<Integer> f2 = b.submit(2);
        for (CompletableFuture<Integer> f : List.of(f1, f2)) {
            assertThatThrownBy(f::join).hasCause(boom);
        }
        assertThat(s.snapshot().failedBatches()).isEqualTo(1);
        assertThat(s.snapshot().failedRequests()).isEqualTo(2);
        // the batcher keeps working
        assertThat(b.inFlight()).isZero();
    }

    @Test
    void sizesAreCountedInRowsAndAnOversizedRequestRunsAlone() {
        Batcher<Integer, Integer> b = builder(BatchPolicy.fixed(10, ms(10))).sizeFunction(x -> x).build();
        b.submit(4);
        b.submit(4);
        assertThat(calls).isEmpty();
        b.submit(3); // 11 rows wait: 4 + 4 go, 3 would pass the limit
        assertThat(calls).containsExactly(List.of(4, 4));
        b.submit(15);
        assertThat(calls).containsExactly(List.of(4, 4), List.of(3), List.of(15));
        assertThat(b.submit(0)).isCompletedExceptionally();
    }

    @Test
    void requestsWithDifferentBatchKeysNeverShareABatch() {
        Batcher<Integer, Integer> b = builder(BatchPolicy.fixed(2, ms(10))).batchKey(x -> x % 2).build();
        b.submit(1);
        b.submit(2);
        b.submit(4);
        b.submit(3);
        assertThat(calls).containsExactly(List.of(2, 4), List.of(1, 3));
        b.submit(5);
        time.advance(ms(3));
        b.submit(6);
        time.advance(ms(7));
        assertThat(calls).hasSize(3).last().isEqualTo(List.of(5));
        time.advance(ms(3));
        assertThat(calls).hasSize(4).last().isEqualTo(List.of(6));
    }

    @Test
    void thePolicyObservesEachBatchAndItsLimitsAreFollowed() {
        List<BatchPolicy.Observation> seen = new ArrayList<>();
        BatchPolicy growing = new BatchPolicy() {
            int limit = 1;

            @Override
            public int maxBatchSize() {
                return limit;
            }

            @Override
            public long maxDelayNanos() {
                return ms(5).toNanos();
            }

            @Override
            public void onBatchCompleted(Observation o) {
                seen.add(o);
                limit++;
            }
        };
        Batcher<Integer, Integer> b = builder(growing).build();
        for (int i = 0; i < 6; i++) {
            b.submit(i);
        }
        assertThat(calls).containsExactly(List.of(0), List.of(1, 2), List.of(3, 4, 5));
        assertThat(seen).extracting(BatchPolicy.Observation::rows).containsExactly(1, 2, 3);
        assertThat(seen).allMatch(BatchPolicy.Observation::full);
    }

    @Test
    void closeRunsQueuedWorkWithoutWaitingForTheDelayAndRejectsNewRequests() {
        Batcher<Integer, Integer> b = builder(BatchPolicy.fixed(10, Duration.ofHours(1))).build();
        CompletableFuture<Integer> f = b.submit(7);
        b.close();
        assertThat(f).isCompletedWithValue(70);
        assertThat(stats.snapshot().dispatchReasons()).containsEntry(DispatchReason.CLOSING, 1L);
        assertThatThrownBy(() -> b.submit(8).join()).hasCauseInstanceOf(RejectedExecutionException.class);
        b.close(); // idempotent
    }

    @Test
    void closeCanRejectQueuedWorkInstead() {
        Batcher<Integer, Integer> b = builder(BatchPolicy.fixed(10, Duration.ofHours(1))).rejectQueuedOnClose(true).build();
        CompletableFuture<Integer> f = b.submit(7);
        b.close();
        assertThatThrownBy(f::join).hasCauseInstanceOf(RejectedExecutionException.class);
        assertThat(calls).isEmpty();
    }

    @Test
    void userCompletedFutureIsNotSentToTheFunction() {
        Batcher<Integer, Integer> b = builder(BatchPolicy.fixed(2, ms(10))).build();
        CompletableFuture<Integer> f = b.submit(1);
        f.complete(-1);
        b.submit(2);
        time.advance(ms(10));
        assertThat(calls).containsExactly(List.of(2));
    }

    @Test
    void listenerFailuresDoNotBreakTheBatcher() {
        List<String> events = new CopyOnWriteArrayList<>();
        Batcher<Integer, Integer> b = builder(BatchPolicy.fixed(1, ms(1))).listener(new BatchListener() {
            @Override
            public void batchCompleted(BatchEvent event) {
                events.add("batch");
                throw new IllegalStateException("listener bug");
            }
        }).build();
        assertThat(b.submit(1)).isCompletedWithValue(10);
        assertThat(b.submit(2)).isCompletedWithValue(20);
        assertThat(events).hasSize(2);
    }

    @Test
    void builderValidatesAtOnce() {
        assertThatThrownBy(() -> Batcher.builder(in -> in).concurrency(0)).hasMessageContaining("concurrency");
        assertThatThrownBy(() -> Batcher.builder(in -> in).maxQueueSize(0)).hasMessageContaining("maxQueueSize");
        assertThatThrownBy(() -> BatchPolicy.fixed(0, ms(1))).hasMessageContaining("maxSize");
        assertThatThrownBy(() -> BatchPolicy.fixed(1, ms(-1))).hasMessageContaining("maxDelay");
        assertThatThrownBy(() -> BatchPolicy.aimd(Duration.ZERO)).hasMessageContaining("slo");
    }

    @Test
    void cancelledFutureReportsCancellation() {
        Batcher<Integer, Integer> b = builder(BatchPolicy.fixed(5, ms(10))).build();
        CompletableFuture<Integer> f = b.submit(1);
        f.cancel(true);
        assertThatThrownBy(f::join).isInstanceOf(CancellationException.class);
        time.advance(ms(20));
        assertThat(calls).isEmpty();
    }
}
