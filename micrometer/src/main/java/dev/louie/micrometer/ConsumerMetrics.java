package dev.louie.micrometer;

import dev.louie.core.Consumer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * The worker gauges of a {@link Consumer}, tagged {@code consumer} with a name that stays the same
 * across restarts (the consumer's own id changes each start, and tags are never ids):
 * {@code louie.consumer.workers.busy} (workers running a task now) and
 * {@code louie.consumer.workers.total} (workers configured). Busy over total is the consumer's
 * utilisation; near 1 for long, it needs more workers or more consumers.
 *
 * <pre>{@code
 * Consumer consumer = louie.consumer().workers(8).start();
 * ConsumerMetrics.bind(consumer, registry);
 * }</pre>
 */
public final class ConsumerMetrics implements MeterBinder {
    /** The name {@link #bind(Consumer, MeterRegistry)} gives: enough for one consumer per JVM. */
    public static final String DEFAULT_NAME = "default";

    private final Consumer consumer;
    private final String name;

    /**
     * Meters of {@code consumer} under the tag {@code consumer=name}, not yet bound.
     *
     * @throws IllegalArgumentException when the name is blank
     */
    public ConsumerMetrics(Consumer consumer, String name) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the consumer name must not be blank, not '" + name + "'");
        }
        this.name = name;
    }

    /** Binds the gauges of {@code consumer}, named {@value #DEFAULT_NAME}, to {@code registry}. */
    public static ConsumerMetrics bind(Consumer consumer, MeterRegistry registry) {
        return bind(consumer, DEFAULT_NAME, registry);
    }

    /** Binds the gauges of {@code consumer}, named {@code name}, to {@code registry}. */
    public static ConsumerMetrics bind(Consumer consumer, String name, MeterRegistry registry) {
        ConsumerMetrics metrics = new ConsumerMetrics(consumer, name);
        metrics.bindTo(registry);
        return metrics;
    }

    /**
     * Registers the gauges.
     *
     * @throws IllegalArgumentException when another consumer's gauges with this name are in the registry
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        if (registry.find("louie.consumer.workers.total").tag("consumer", name).gauge() != null) {
            throw new IllegalArgumentException("a consumer named '" + name + "' has gauges in this registry already;"
                    + " give each consumer its own name with ConsumerMetrics.bind(consumer, name, registry)");
        }
        Gauge.builder("louie.consumer.workers.busy", consumer, Consumer::busyWorkers)
                .description("Workers running a task now").tag("consumer", name).strongReference(true).register(registry);
        Gauge.builder("louie.consumer.workers.total", consumer, Consumer::workers)
                .description("Workers configured: tasks the consumer runs at once at most")
                .tag("consumer", name).strongReference(true).register(registry);
    }

    @Override
    public String toString() {
        return "ConsumerMetrics[" + name + "]";
    }
}
