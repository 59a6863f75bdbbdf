package dev.louie.micrometer;

import dev.louie.batching.BatchEvent;
import dev.louie.batching.BatchListener;
import dev.louie.batching.Batcher;
import dev.louie.batching.DispatchReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The meters of a {@link Batcher}, tagged {@code batcher} with its name; a {@code BatchedModel}'s
 * through {@code model.batcher()}:
 *
 * <ul>
 *   <li>{@code louie.batcher.batch.size} (distribution summary): rows per batch;</li>
 *   <li>{@code louie.batcher.queue.wait} (timer): queue wait of the oldest request of each batch;</li>
 *   <li>{@code louie.batcher.execution} (timer): time the batch function took;</li>
 *   <li>{@code louie.batcher.dispatch} (counter; reason = full, delay_expired, no_delay, closing):
 *       batches by why they went when they did;</li>
 *   <li>{@code louie.batcher.rejected}, {@code louie.batcher.expired} (counters): requests refused
 *       because the queue was full, and requests whose deadline passed before dispatch;</li>
 *   <li>{@code louie.batcher.failed} (counter): batches whose function failed;</li>
 *   <li>{@code louie.batcher.queue.depth} (gauge): requests queued now.</li>
 * </ul>
 *
 * <p>Binding adds a {@link BatchListener} to the batcher ({@link Batcher#addListener}); it records
 * what happens from then on.
 */
public final class BatcherMetrics implements MeterBinder {
    private final Batcher<?, ?> batcher;

    /** Meters of {@code batcher}, not yet bound. */
    public BatcherMetrics(Batcher<?, ?> batcher) {
        this.batcher = Objects.requireNonNull(batcher, "batcher");
    }

    /** Binds the meters of {@code batcher} to {@code registry}. */
    public static BatcherMetrics bind(Batcher<?, ?> batcher, MeterRegistry registry) {
        BatcherMetrics metrics = new BatcherMetrics(batcher);
        metrics.bindTo(registry);
        return metrics;
    }

    /** Registers the meters and adds the listener that records into them to the batcher. */
    @Override
    public void bindTo(MeterRegistry registry) {
        String name = batcher.name();
        Gauge.builder("louie.batcher.queue.depth", batcher, Batcher::queueDepth).description("Requests queued now")
                .tag("batcher", name).strongReference(true).register(registry);
        batcher.addListener(new Recorder(registry, name));
    }

    @Override
    public String toString() {
        return "BatcherMetrics[" + batcher.name() + "]";
    }

    /** The listener that records one batcher's events into one registry's meters. */
    private static final class Recorder implements BatchListener {
        private final DistributionSummary batchSize;
        private final Timer queueWait;
        private final Timer execution;
        private final Map<DispatchReason, Counter> dispatch = new EnumMap<>(DispatchReason.class);
        private final Counter rejected;
        private final Counter expired;
        private final Counter failed;

        Recorder(MeterRegistry registry, String name) {
            batchSize = DistributionSummary.builder("louie.batcher.batch.size").description("Rows per batch")
                    .tag("batcher", name).register(registry);
            queueWait = Timer.builder("louie.batcher.queue.wait").description("Queue wait of the oldest request of each batch")
                    .tag("batcher", name).register(registry);
            execution = Timer.builder("louie.batcher.execution").description("Time the batch function took")
                    .tag("batcher", name).register(registry);
            for (DispatchReason reason : DispatchReason.values()) {
                dispatch.put(reason, Counter.builder("louie.batcher.dispatch").description("Batches by why they were sent when they were")
                        .tag("batcher", name).tag("reason", reason.name().toLowerCase(Locale.ROOT)).register(registry));
            }
            rejected = Counter.builder("louie.batcher.rejected").description("Requests refused because the queue was full")
                    .tag("batcher", name).register(registry);
            expired = Counter.builder("louie.batcher.expired").description("Requests whose deadline passed before dispatch")
                    .tag("batcher", name).register(registry);
            failed = Counter.builder("louie.batcher.failed").description("Batches whose function failed")
                    .tag("batcher", name).register(registry);
        }

        @Override
        public void batchCompleted(BatchEvent e) {
            batchSize.record(e.rows());
            queueWait.record(Math.max(0, e.oldestWaitNanos()), TimeUnit.NANOSECONDS);
            execution.record(Math.max(0, e.executionNanos()), TimeUnit.NANOSECONDS);
            dispatch.get(e.reason()).increment();
            if (e.failed()) {
                failed.increment();
            }
        }

        @Override
        public void requestRejected(int queueDepth) {
            rejected.increment();
        }

        @Override
        public void requestExpired() {
            expired.increment();
        }
    }
}
