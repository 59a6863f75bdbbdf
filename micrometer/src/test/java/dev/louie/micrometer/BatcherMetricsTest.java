package dev.louie.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.batching.BatchPolicy;
import dev.louie.batching.Batcher;
import dev.louie.batching.simulation.VirtualTime;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A batcher on virtual time whose batches run when the test says (a queue of runnables as its
 * executor): every batcher meter, with exact values.
 */
class BatcherMetricsTest {
    final VirtualTime time = new VirtualTime();
    final Queue<Runnable> pending = new ArrayDeque<>();
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final AtomicBoolean failNext = new AtomicBoolean();

    private void runBatches() {
        Runnable r;
        while ((r = pending.poll()) != null) {
            r.run();
        }
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    void batchesWaitsDispatchReasonsFailuresRejectionsAndExpiriesAreRecorded() {
        Batcher<Integer, Integer> batcher = Batcher.<Integer, Integer>builder(in -> {
                    time.advance(ms(7)); // every batch takes 7 ms
                    if (failNext.getAndSet(false)) {
                        throw new IllegalStateException("model down");
                    }
                    return in.stream().map(x -> x * 10).collect(Collectors.toList());
                })
                .policy(BatchPolicy.fixed(2, ms(10))).maxQueueSize(2)
                .clock(time).executor(pending::add).name("resnet").build();
        BatcherMetrics.bind(batcher, registry);

        batcher.submit(1);
        time.advance(ms(2));
        batcher.submit(2);                       // A: full, 2 rows, the oldest waited 2 ms
        runBatches();
        batcher.submit(3);
        failNext.set(true);
        time.advance(ms(10));                    // B: delay expired, 1 row, waited 10 ms; fails
        runBatches();
        batcher.submit(4);
        batcher.submit(5);                       // C: full, 2 rows; taken, not yet run (one batch at a time)
        CompletableFuture<Integer> expired = batcher.submit(6, time.now().plusMillis(1));
        time.advance(ms(2));                     // 6 passes its deadline waiting
        batcher.submit(7);
        batcher.submit(8);
        assertThat(registry.get("louie.batcher.queue.depth").gauge().value()).isEqualTo(2);
        CompletableFuture<Integer> rejected = batcher.submit(9); // the queue holds 2: refused
        runBatches();                            // C, then D: full, 2 rows (7 and 8)

        assertThat(expired).isCompletedExceptionally();
        assertThat(rejected).isCompletedExceptionally();
        DistributionSummary size = registry.get("louie.batcher.batch.size").tag("batcher", "resnet").summary();
        Timer wait = registry.get("louie.batcher.queue.wait").tag("batcher", "resnet").timer();
        Timer execution = registry.get("louie.batcher.execution").tag("batcher", "resnet").timer();
        assertThat(size.count()).isEqualTo(4);
        assertThat(size.totalAmount()).isEqualTo(7);
        assertThat(execution.count()).isEqualTo(4);
        assertThat(execution.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(28.0);
        assertThat(wait.max(TimeUnit.MILLISECONDS)).isEqualTo(10.0);
        assertThat(registry.get("louie.batcher.dispatch").tags("reason", "full").counter().count()).isEqualTo(3);
        assertThat(registry.get("louie.batcher.dispatch").tags("reason", "delay_expired").counter().count()).isEqualTo(1);
        assertThat(registry.get("louie.batcher.failed").counter().count()).isEqualTo(1);
        assertThat(registry.get("louie.batcher.rejected").counter().count()).isEqualTo(1);
        assertThat(registry.get("louie.batcher.expired").counter().count()).isEqualTo(1);
        assertThat(registry.get("louie.batcher.queue.depth").gauge().value()).isZero();
        assertThat(registry.scrape())
                .contains("louie_batcher_batch_size_count{batcher=\"resnet\"} 4")
                .contains("louie_batcher_batch_size_sum{batcher=\"resnet\"} 7")
                .contains("louie_batcher_queue_wait_seconds_max{batcher=\"resnet\"} 0.01")
                .contains("louie_batcher_execution_seconds_count{batcher=\"resnet\"} 4")
                .contains("louie_batcher_dispatch_total{batcher=\"resnet\",reason=\"full\"} 3")
                .contains("louie_batcher_dispatch_total{batcher=\"resnet\",reason=\"closing\"} 0")
                .contains("louie_batcher_failed_total{batcher=\"resnet\"} 1")
                .contains("louie_batcher_rejected_total{batcher=\"resnet\"} 1")
                .contains("louie_batcher_expired_total{batcher=\"resnet\"} 1")
                .contains("louie_batcher_queue_depth{batcher=\"resnet\"} 0");
    }
}
