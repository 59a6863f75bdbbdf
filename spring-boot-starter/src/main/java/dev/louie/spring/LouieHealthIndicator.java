package dev.louie.spring;

import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.storage.Storage;
import dev.louie.core.storage.StorageInspection;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Louie's health: UP while the storage answers and the consumer (when this application runs one)
 * is running with live workers; DOWN with the storage's error, or with the consumer stopped. The
 * details name the storage, the consumer's state and counts, and per queue the messages ready,
 * scheduled, leased and dead-lettered (where the storage implements {@link StorageInspection}).
 */
final class LouieHealthIndicator implements HealthIndicator {
    /** Read to check that a storage without inspection answers; never written. */
    static final String PROBE_KEY = "louie:health-probe";

    private final Louie louie;
    private final ConsumerLifecycle consumer;
    private final Collection<String> queues;

    /** {@code consumer} is null where this application runs none. */
    LouieHealthIndicator(Louie louie, ConsumerLifecycle consumer, Collection<String> queues) {
        this.louie = louie;
        this.consumer = consumer;
        this.queues = queues;
    }

    @Override
    public Health health() {
        Storage storage = louie.storage();
        Map<String, Object> consumerDetails = consumerDetails();
        Map<String, Object> queueDetails = new LinkedHashMap<>();
        try {
            if (storage instanceof StorageInspection inspection) {
                for (String queue : queues) {
                    Map<String, Object> q = new LinkedHashMap<>();
                    q.put("ready", inspection.queueSize(queue));
                    q.put("scheduled", inspection.scheduleSize(queue));
                    q.put("leased", inspection.leasedCount(queue));
                    q.put("deadLetters", inspection.deadLetterCount(queue));
                    queueDetails.put(queue, q);
                }
            } else {
                storage.getResult(PROBE_KEY, false);
            }
        } catch (RuntimeException e) {
            return Health.down(e).withDetail("storage", storage.toString()).withDetail("consumer", consumerDetails).build();
        }
        boolean consumerDown = consumer != null && !"running".equals(consumerDetails.get("state"));
        Health.Builder health = consumerDown ? Health.down() : Health.up();
        health.withDetail("storage", storage.toString()).withDetail("consumer", consumerDetails);
        if (!queueDetails.isEmpty()) {
            health.withDetail("queues", queueDetails);
        }
        return health.build();
    }

    private Map<String, Object> consumerDetails() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (consumer == null) {
            out.put("state", "none in this application");
            return out;
        }
        Consumer c = consumer.consumer();
        if (c == null || !c.isRunning()) {
            out.put("state", "stopped");
            return out;
        }
        int alive = c.aliveWorkers();
        out.put("state", alive > 0 ? "running" : "no live workers");
        out.put("workers", alive);
        Consumer.Stats s = c.stats();
        out.put("completed", s.completed());
        out.put("failed", s.failed());
        out.put("retried", s.retried());
        out.put("deadLettered", s.deadLettered());
        return out;
    }
}
