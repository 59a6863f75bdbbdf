package dev.louie.micrometer;

import dev.louie.core.Louie;
import dev.louie.core.storage.Storage;
import dev.louie.core.storage.StorageInspection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meters of a {@link Louie}: its tasks and its queues.
 *
 * <ul>
 *   <li>{@code louie.task.duration} (timer; tags task, queue, outcome = success, failure, retry,
 *       expired, revoked, locked, dead_letter, canceled): one record per execution end; tasks that did
 *       not run (expired, revoked, locked, dead-lettered, canceled) record zero.</li>
 *   <li>{@code louie.task.queue.wait} (timer; task, queue): from when a task was ready (its enqueue,
 *       or its eta) to its start.</li>
 *   <li>{@code louie.tasks.enqueued} (counter; task, queue): enqueued and scheduled through this Louie.</li>
 *   <li>{@code louie.queue.pending}, {@code .scheduled}, {@code .leased}, {@code .dead} (gauges; queue)
 *       and {@code louie.queue.oldest.age} (time gauge in seconds; queue): read from the storage's
 *       {@link StorageInspection}, all five together, at most once per queue per
 *       {@link Builder#refreshInterval refresh interval} however often and by however many registries
 *       they are scraped.</li>
 * </ul>
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * LouieMetrics.bind(louie, registry);
 * String body = registry.scrape();   // what GET /metrics serves
 * }</pre>
 *
 * <p>Task meters count what happens in this JVM (its producers and consumers); queue gauges show
 * the whole storage, which several processes may share. Tags are names, never ids.
 */
public final class LouieMetrics implements MeterBinder {
    private static final Logger log = LoggerFactory.getLogger(LouieMetrics.class);

    private final Louie louie;
    private final List<String> queues;
    private final Duration refreshInterval;
    /** One cached reading per queue, shared by every registry this binder is bound to. */
    private final Map<String, QueueGauges> gauges = new LinkedHashMap<>();
    /** The registries bound so far (by identity). */
    private final Map<MeterRegistry, Boolean> bound = new IdentityHashMap<>();

    private LouieMetrics(Builder b) {
        List<String> problems = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String q : b.queues != null ? b.queues : defaultQueues(b.louie)) {
            if (q == null || q.isBlank()) {
                problems.add("queues must not be blank, not '" + q + "'");
            } else if (!names.contains(q)) {
                names.add(q);
            }
        }
        if (b.refreshInterval == null || b.refreshInterval.isNegative() || b.refreshInterval.isZero()) {
            problems.add("refreshInterval must be positive, not " + b.refreshInterval);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid LouieMetrics configuration: " + String.join("; ", problems));
        }
        this.louie = b.louie;
        this.queues = List.copyOf(names);
        this.refreshInterval = b.refreshInterval;
        Storage storage = louie.storage();
        if (storage instanceof StorageInspection inspection) {
            for (String q : queues) {
                gauges.put(q, new QueueGauges(q, inspection, b.clock, refreshInterval));
            }
        } else {
            log.warn("{} does not implement StorageInspection: the louie.queue.* gauges are not registered;"
                    + " the task meters are", storage);
        }
    }

    /** The Louie's task queues and the queues its storage holds now, sorted. */
    private static List<String> defaultQueues(Louie louie) {
        Set<String> queues = new TreeSet<>(louie.queues());
        if (louie.storage() instanceof StorageInspection inspection) {
            try {
                queues.addAll(inspection.queues());
            } catch (RuntimeException e) {
                log.warn("cannot list the queues of {} ({}); gauges cover the queues of the registered tasks: {}",
                        louie.storage(), e.toString(), queues);
            }
        }
        return new ArrayList<>(queues);
    }

    /**
     * Binds the meters of {@code louie} with the defaults (its task queues and its storage's, a 5 s
     * refresh interval) to {@code registry}.
     */
    public static LouieMetrics bind(Louie louie, MeterRegistry registry) {
        LouieMetrics metrics = builder(louie).build();
        metrics.bindTo(registry);
        return metrics;
    }

    /** Starts configuring the meters of {@code louie}. */
    public static Builder builder(Louie louie) {
        return new Builder(louie);
    }

    /**
     * Registers the meters with {@code registry}: a signal listener on the Louie for the task
     * meters (one per registry) and the queue gauges (whose readings all registries share).
     * Binding to a registry this binder is bound to already changes nothing (tasks are not counted twice).
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        synchronized (bound) {
            if (bound.containsKey(registry)) {
                return;
            }
            bound.put(registry, Boolean.TRUE);
        }
        louie.addListener(new TaskMeters(registry));
        for (QueueGauges g : gauges.values()) {
            g.register(registry);
        }
    }

    /** The queues that have gauges. */
    public List<String> queues() {
        return queues;
    }

    /** How old a queue's reading may be before a scrape reads the storage again. */
    public Duration refreshInterval() {
        return refreshInterval;
    }

    @Override
    public String toString() {
        return "LouieMetrics[" + louie.name() + ", queues=" + queues + ", refreshInterval=" + refreshInterval + "]";
    }

    /**
     * Options of {@link LouieMetrics}; {@link #build()} copies and validates them (an
     * {@link IllegalArgumentException} lists every invalid one).
     */
    public static final class Builder {
        private final Louie louie;
        private List<String> queues;
        private Duration refreshInterval = Duration.ofSeconds(5);
        private Clock clock = Clock.systemUTC();

        private Builder(Louie louie) {
            this.louie = Objects.requireNonNull(louie, "louie");
        }

        /**
         * The queues to report; default: {@link Louie#queues()} (the default queue and every queue
         * a registered task uses) and the queues the storage holds when the meters are built. Name
         * them here to report others, e.g. queues that producers elsewhere start using later.
         */
        public Builder queues(String... names) {
            this.queues = new ArrayList<>(Arrays.asList(names));
            return this;
        }

        /** How old a queue's reading may be before it is read again; default 5 s. */
        public Builder refreshInterval(Duration value) {
            this.refreshInterval = value;
            return this;
        }

        /**
         * The clock of the refresh interval and of {@code louie.queue.oldest.age}; default the system
         * UTC clock. Give the Louie's and the storage's clock (tests inject one).
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** The meters, not yet bound; {@link LouieMetrics#bindTo} binds them. */
        public LouieMetrics build() {
            return new LouieMetrics(this);
        }
    }
}
