package dev.louie.micrometer;

import dev.louie.core.Signal;
import dev.louie.core.SignalListener;
import dev.louie.core.TaskEvent;
import dev.louie.core.TaskLockedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Turns a Louie's signals into the task meters of one registry. Meters are looked up once per
 * task, queue and outcome and kept, so a signal costs a map lookup and a record.
 */
final class TaskMeters implements SignalListener {
    static final String DURATION = "louie.task.duration";
    static final String QUEUE_WAIT = "louie.task.queue.wait";
    static final String ENQUEUED = "louie.tasks.enqueued";
    /** The task tag of a dead letter whose message could not be decoded. */
    static final String UNKNOWN_TASK = "unknown";

    /** The values of the outcome tag of {@code louie.task.duration}. */
    enum Outcome {
        SUCCESS, FAILURE, RETRY, EXPIRED, REVOKED, LOCKED, DEAD_LETTER, CANCELED;

        final String tag = name().toLowerCase(Locale.ROOT);
    }

    private record Key(String task, String queue, Outcome outcome) {
    }

    private final MeterRegistry registry;
    private final ConcurrentMap<Key, Timer> durations = new ConcurrentHashMap<>();
    private final ConcurrentMap<Key, Timer> waits = new ConcurrentHashMap<>();
    private final ConcurrentMap<Key, Counter> enqueued = new ConcurrentHashMap<>();

    TaskMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onSignal(TaskEvent e) {
        switch (e.signal()) {
            case ENQUEUED, SCHEDULED -> enqueued.computeIfAbsent(key(e, null), k -> Counter.builder(ENQUEUED)
                    .description("Tasks enqueued or scheduled through this Louie")
                    .tag("task", k.task).tag("queue", k.queue).register(registry)).increment();
            case EXECUTING -> {
                if (e.queueWait() != null) {
                    waits.computeIfAbsent(key(e, null), k -> Timer.builder(QUEUE_WAIT)
                            .description("Time from when a task was ready to run (its enqueue or eta) to its start")
                            .tag("task", k.task).tag("queue", k.queue).register(registry)).record(e.queueWait());
                }
            }
            case COMPLETE -> ended(e, Outcome.SUCCESS);
            case ERROR -> ended(e, e.error() instanceof TaskLockedException ? Outcome.LOCKED : Outcome.FAILURE);
            case RETRYING -> ended(e, e.error() instanceof TaskLockedException ? Outcome.LOCKED : Outcome.RETRY);
            case EXPIRED -> ended(e, Outcome.EXPIRED);
            case REVOKED -> ended(e, Outcome.REVOKED);
            case DEAD_LETTERED -> ended(e, Outcome.DEAD_LETTER);
            case CANCELED -> ended(e, Outcome.CANCELED);
            // LOCKED and TIMEOUT are followed by RETRYING or ERROR, INTERRUPTED by those or by a
            // release (the task goes back to the queue and ends later)
            default -> { }
        }
    }

    private void ended(TaskEvent e, Outcome outcome) {
        Duration took = e.duration() == null || outcome == Outcome.LOCKED ? Duration.ZERO : e.duration();
        durations.computeIfAbsent(key(e, outcome), k -> Timer.builder(DURATION)
                .description("Execution time of tasks by outcome; zero for tasks that did not run")
                .tag("task", k.task).tag("queue", k.queue).tag("outcome", k.outcome.tag).register(registry)).record(took);
    }

    private static Key key(TaskEvent e, Outcome outcome) {
        return new Key(e.task() == null ? UNKNOWN_TASK : e.task(), e.queue(), outcome);
    }

    @Override
    public String toString() {
        return "TaskMeters[" + registry + "]";
    }
}
