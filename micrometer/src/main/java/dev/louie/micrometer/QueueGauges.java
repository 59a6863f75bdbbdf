package dev.louie.micrometer;

import dev.louie.core.storage.StorageInspection;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauges of one queue over one cached reading: the first gauge read after the reading is
 * {@code interval} old reads all five values from the storage (on the scraping thread); the
 * others, and other registries, use that reading. A failed read counts as a reading (the gauges
 * show NaN until the next one), so a storage that is down is not asked once per gauge.
 */
final class QueueGauges {
    private static final Logger log = LoggerFactory.getLogger(QueueGauges.class);

    private final String queue;
    private final StorageInspection inspection;
    private final Clock clock;
    private final Duration interval;
    // guarded by this
    private Instant readAt;
    private double pending = Double.NaN;
    private double scheduled = Double.NaN;
    private double leased = Double.NaN;
    private double dead = Double.NaN;
    private double oldestAgeSeconds = Double.NaN;
    private boolean oldestUnsupported;

    QueueGauges(String queue, StorageInspection inspection, Clock clock, Duration interval) {
        this.queue = queue;
        this.inspection = inspection;
        this.clock = clock;
        this.interval = interval;
    }

    void register(MeterRegistry registry) {
        gauge(registry, "louie.queue.pending", "Messages waiting, visible to consumers", g -> g.pending);
        gauge(registry, "louie.queue.scheduled", "Messages waiting for their eta", g -> g.scheduled);
        gauge(registry, "louie.queue.leased", "Messages taken by consumers and not yet ended", g -> g.leased);
        gauge(registry, "louie.queue.dead", "Dead letters", g -> g.dead);
        TimeGauge.builder("louie.queue.oldest.age", this, TimeUnit.SECONDS, g -> g.read(x -> x.oldestAgeSeconds))
                .description("How long the visible message that has waited longest has waited (0 when none)")
                .tag("queue", queue).strongReference(true).register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<QueueGauges> value) {
        Gauge.builder(name, this, g -> g.read(value)).description(description).tag("queue", queue)
                .strongReference(true).register(registry);
    }

    private synchronized double read(ToDoubleFunction<QueueGauges> value) {
        Instant now = clock.instant();
        if (readAt == null || !now.isBefore(readAt.plus(interval))) {
            readAt = now;
            refresh(now);
        }
        return value.applyAsDouble(this);
    }

    private void refresh(Instant now) {
        try {
            pending = inspection.queueSize(queue);
            scheduled = inspection.scheduleSize(queue);
            leased = inspection.leasedCount(queue);
            dead = inspection.deadLetterCount(queue);
        } catch (RuntimeException e) {
            pending = scheduled = leased = dead = oldestAgeSeconds = Double.NaN;
            log.warn("cannot read the sizes of queue {} for its gauges ({}); they show NaN until the next reading in {}",
                    queue, e.toString(), interval);
            return;
        }
        oldestAgeSeconds = oldestUnsupported ? Double.NaN : oldestAge(now);
    }

    private double oldestAge(Instant now) {
        try {
            Optional<Instant> oldest = inspection.oldestPending(queue);
            return oldest.map(t -> Math.max(0, Duration.between(t, now).toNanos()) / 1e9).orElse(0.0);
        } catch (UnsupportedOperationException e) {
            oldestUnsupported = true;
            log.warn("louie.queue.oldest.age of queue {} shows NaN: {}", queue, e.getMessage());
            return Double.NaN;
        } catch (RuntimeException e) {
            log.warn("cannot read the oldest pending message of queue {} ({}); its age shows NaN until the next reading",
                    queue, e.toString());
            return Double.NaN;
        }
    }

    @Override
    public String toString() {
        return "QueueGauges[" + queue + "]";
    }
}
