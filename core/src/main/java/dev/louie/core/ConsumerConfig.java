package dev.louie.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;

/**
 * A consumer's settings, copied from its {@link Consumer.Builder} when the consumer starts and
 * never changed after: changing the builder later changes nothing that runs. Every setting is
 * validated here, in one place and one message style ({@code <setting> must be <rule>, not
 * <value>}), and all broken settings are reported together.
 */
final class ConsumerConfig {
    final int workers;
    /** The queues served, in order of preference: as given, or "default" and every queue a registered task names. */
    final List<String> queues;
    final boolean periodic;
    final Duration schedulerInterval;
    final Duration healthCheckInterval;
    final int maxTasksPerWorker;
    /** Null for platform threads made by the consumer. */
    final ThreadFactory threadFactory;
    final boolean virtual;
    final Duration leaseTime;
    final int maxDeliveries;
    final Duration gracePeriod;
    final Duration pollInterval;
    final int prefetch;
    final long modelSizeBytes;
    final Runnable onWorkerStart;
    final Runnable onWorkerStop;
    final boolean batchCompletions;
    final Duration timeoutGrace;
    final Duration unknownTaskGrace;
    final Duration heartbeatInterval;

    ConsumerConfig(Consumer.Builder b, Iterable<String> taskQueues) {
        List<String> problems = new ArrayList<>();
        workers = atLeast(problems, "workers", b.workers, 1);
        maxTasksPerWorker = atLeast(problems, "maxTasksPerWorker", b.maxTasksPerWorker, 0);
        maxDeliveries = atLeast(problems, "maxDeliveries", b.maxDeliveries, 1);
        prefetch = atLeast(problems, "prefetch", b.prefetch, 1);
        if (b.modelSizeBytes < 0) {
            problems.add("modelSizeHint must be 0 or more bytes, not " + b.modelSizeBytes);
        }
        modelSizeBytes = b.modelSizeBytes;
        schedulerInterval = positive(problems, "schedulerInterval", b.schedulerInterval);
        healthCheckInterval = positive(problems, "healthCheckInterval", b.healthCheckInterval);
        leaseTime = positive(problems, "leaseTime", b.leaseTime);
        pollInterval = positive(problems, "pollInterval", b.pollInterval);
        timeoutGrace = positive(problems, "timeoutGrace", b.timeoutGrace);
        gracePeriod = notNegative(problems, "gracePeriod", b.gracePeriod);
        unknownTaskGrace = notNegative(problems, "unknownTaskGrace", b.unknownTaskGrace);
        heartbeatInterval = positive(problems, "heartbeatInterval", b.heartbeatInterval);
        Set<String> q = new LinkedHashSet<>();
        for (String name : b.queues) {
            if (name == null || name.isBlank()) {
                problems.add("queues must not be blank, not '" + name + "'");
            } else {
                q.add(name);
            }
        }
        if (b.queues.isEmpty()) {
            q.add(Louie.DEFAULT_QUEUE);
            for (String name : taskQueues) {
                q.add(name);
            }
        }
        queues = List.copyOf(q);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid consumer configuration: " + String.join("; ", problems));
        }
        periodic = b.periodic;
        threadFactory = b.threadFactory;
        virtual = b.virtual;
        onWorkerStart = b.onWorkerStart;
        onWorkerStop = b.onWorkerStop;
        batchCompletions = b.batchCompletions;
    }

    private static int atLeast(List<String> problems, String name, int value, int min) {
        if (value < min) {
            problems.add(name + " must be at least " + min + ", not " + value);
        }
        return value;
    }

    private static Duration positive(List<String> problems, String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            problems.add(name + " must be positive, not " + value);
        }
        return value;
    }

    private static Duration notNegative(List<String> problems, String name, Duration value) {
        if (value == null || value.isNegative()) {
            problems.add(name + " must be zero or positive, not " + value);
        }
        return value;
    }

    /** The effective settings, as logged once at start. */
    @Override
    public String toString() {
        return "workers=" + workers + " (" + (virtual ? "virtual" : "platform") + " threads), queues=" + queues
                + ", periodic=" + periodic + ", schedulerInterval=" + schedulerInterval
                + ", healthCheckInterval=" + healthCheckInterval + ", leaseTime=" + leaseTime
                + ", maxDeliveries=" + maxDeliveries + ", prefetch=" + prefetch
                + ", maxTasksPerWorker=" + (maxTasksPerWorker == 0 ? "unlimited" : maxTasksPerWorker)
                + ", gracePeriod=" + gracePeriod + ", pollInterval=" + pollInterval
                + ", batchCompletions=" + batchCompletions + ", timeoutGrace=" + timeoutGrace
                + ", unknownTaskGrace=" + unknownTaskGrace + ", heartbeatInterval=" + heartbeatInterval;
    }
}
