package dev.louie.core;

import dev.louie.core.storage.Storage;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes scheduled messages visible when they are due, and enqueues periodic tasks. At each tick
 * (every {@code schedulerInterval}) it promotes the due messages of the consumer's queues and
 * enqueues the periodic tasks of every minute since the last tick, each (task, minute) once across
 * all consumers through a storage lock. Between ticks it wakes for the etas it learns of in this
 * JVM ({@link #wakeAt}), so that same-JVM retries and delays run on time.
 */
final class Scheduler {
    private static final Logger log = LoggerFactory.getLogger(Consumer.class);
    /** Wake-ups kept pending at most; past it the tick alone serves. */
    private static final int MAX_WAKE_UPS = 10_000;
    /** How far ahead a known eta gets a wake-up of its own, in ticks; later ones are served by a tick. */
    private static final int WAKE_UP_HORIZON_TICKS = 60;

    private final Louie louie;
    private final Storage storage;
    private final List<String> queues;
    private final boolean periodic;
    private final Duration interval;
    private final ScheduledExecutorService timers;
    /** Due times (queue@ms) for which a promotion is scheduled. */
    private final Set<String> wakeUps = ConcurrentHashMap.newKeySet();
    private ZonedDateTime lastMinute;

    Scheduler(Louie louie, ConsumerConfig config, ScheduledExecutorService timers) {
        this.louie = louie;
        this.storage = louie.storage();
        this.queues = config.queues;
        this.periodic = config.periodic;
        this.interval = config.schedulerInterval;
        this.timers = timers;
    }

    void start() {
        timers.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Promotes what is due and enqueues the periodic tasks of the minutes since the last tick. */
    void tick() {
        try {
            Instant now = louie.clock().instant();
            for (String q : queues) {
                storage.promoteDue(q, now);
            }
            if (periodic) {
                enqueuePeriodic(now);
            }
        } catch (RuntimeException e) {
            log.warn("scheduler tick failed ({}); will retry", e.toString());
        }
    }

    /**
     * Promotes the due messages of {@code queue} at {@code eta}. Bounded: etas beyond 60 ticks,
     * and any past 10,000 pending wake-ups, wait for a tick.
     */
    void wakeAt(String queue, Instant eta) {
        if (!queues.contains(queue)) {
            return;
        }
        long delay = eta.toEpochMilli() - louie.clock().millis();
        if (delay <= 0 || delay >= interval.toMillis() * WAKE_UP_HORIZON_TICKS || wakeUps.size() >= MAX_WAKE_UPS) {
            return;
        }
        String key = queue + "@" + eta.toEpochMilli();
        if (!wakeUps.add(key)) {
            return;
        }
        try {
            timers.schedule(() -> {
                wakeUps.remove(key);
                try {
                    storage.promoteDue(queue, louie.clock().instant());
                } catch (RuntimeException e) {
                    log.debug("promotion of queue {} failed ({}); the next tick retries", queue, e.toString());
                }
            }, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            wakeUps.remove(key); // the consumer is stopping
        }
    }

    private synchronized void enqueuePeriodic(Instant now) {
        ZonedDateTime minute = now.atZone(louie.zone()).truncatedTo(ChronoUnit.MINUTES);
        if (lastMinute == null) {
            lastMinute = minute.minusMinutes(1); // the current minute counts at start
        }
        if (!minute.isAfter(lastMinute)) {
            return;
        }
        ZonedDateTime from = lastMinute.plusMinutes(1);
        if (from.isBefore(minute.minusMinutes(60))) {
            from = minute.minusMinutes(60);
        }
        for (ZonedDateTime m = from; !m.isAfter(minute); m = m.plusMinutes(1)) {
            for (TaskDefinition d : louie.definitions().values()) {
                if (d.isPeriodic() && queues.contains(d.queue) && d.matches(m)) {
                    String key = "periodic:" + d.name + ":" + m.toEpochSecond();
                    if (storage.acquireLock(key, Ids.next(), Duration.ofMinutes(10))) {
                        new TaskCall<>(louie, d, new Object[0], null).enqueue();
                        log.debug("enqueued periodic task {} for {}", d.name, m);
                    }
                }
            }
        }
        lastMinute = minute;
    }
}
