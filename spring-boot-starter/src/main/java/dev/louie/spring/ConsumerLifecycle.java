package dev.louie.spring;

import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A {@link Consumer} as part of the context's lifecycle: started once every singleton exists (the
 * tasks' beans among them), stopped when the context closes, before any bean is destroyed. Stopping
 * takes new work no more and waits up to {@code louie.consumer.grace-period} for running tasks;
 * the tasks still running then are interrupted and their messages go back to the queue. Spring
 * waits for each shutdown phase at most {@code spring.lifecycle.timeout-per-shutdown-phase} (30 s
 * by default): keep the grace period below it.
 *
 * <p>It stops in the phase of the web server's graceful shutdown, alongside it: requests and tasks
 * in progress finish together.
 */
public class ConsumerLifecycle implements SmartLifecycle {
    /** The phase: the one in which Spring Boot's web server shuts down gracefully. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLifecycle.class);

    private final Louie louie;
    private final Integer workers;
    private final List<String> queues;
    private final boolean periodic;
    private final Duration gracePeriod;
    private volatile Consumer consumer;

    /**
     * A lifecycle that runs a consumer of {@code louie} with {@code settings}, copied now.
     *
     * @param louie    whose tasks the consumer runs
     * @param settings the {@code louie.consumer.*} properties
     */
    public ConsumerLifecycle(Louie louie, LouieProperties.Consumer settings) {
        this.louie = louie;
        this.workers = settings.getWorkers();
        this.queues = List.copyOf(settings.getQueues());
        this.periodic = settings.isPeriodic();
        this.gracePeriod = settings.getGracePeriod();
    }

    /** Starts the consumer. */
    @Override
    public synchronized void start() {
        if (consumer != null) {
            return;
        }
        Consumer.Builder b = louie.consumer().periodic(periodic).gracePeriod(gracePeriod);
        if (workers != null) {
            b.workers(workers);
        }
        if (!queues.isEmpty()) {
            b.queues(queues.toArray(String[]::new));
        }
        consumer = b.start();
    }

    /** Stops the consumer, waiting up to the grace period for running tasks. */
    @Override
    public void stop() {
        Consumer c;
        synchronized (this) {
            c = consumer;
            consumer = null;
        }
        if (c != null && !c.stop(gracePeriod)) {
            LOG.warn("Louie consumer: tasks still running after the grace period of {} were interrupted;"
                    + " their messages are back in the queue", gracePeriod);
        }
    }

    /** Stops on a thread of its own, so that the other lifecycles of the phase stop meanwhile. */
    @Override
    public void stop(Runnable callback) {
        Thread t = new Thread(() -> {
            try {
                stop();
            } finally {
                callback.run();
            }
        }, "louie-consumer-stop");
        t.start();
    }

    /** Whether the consumer has been started and not stopped. */
    @Override
    public boolean isRunning() {
        Consumer c = consumer;
        return c != null && c.isRunning();
    }

    /** {@link #PHASE}. */
    @Override
    public int getPhase() {
        return PHASE;
    }

    /** The running consumer, or null when it is not running. */
    public Consumer consumer() {
        return consumer;
    }

    /** How long running tasks may take to finish at stop. */
    public Duration gracePeriod() {
        return gracePeriod;
    }
}
