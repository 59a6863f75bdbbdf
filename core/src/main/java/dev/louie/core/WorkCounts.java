package dev.louie.core;

import java.util.concurrent.atomic.LongAdder;

/** What a consumer's workers did since start, counted without contention; read as {@link Consumer.Stats}. */
final class WorkCounts {
    final LongAdder completed = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder skipped = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final LongAdder workersReplaced = new LongAdder();
    final LongAdder threadsAbandoned = new LongAdder();

    void count(TaskRunner.Status status) {
        switch (status) {
            case COMPLETED, LOST_LEASE -> completed.increment();
            case FAILED -> failed.increment();
            case RETRIED -> retried.increment();
            case SKIPPED, RELEASED, LEFT_FOR_OTHERS -> skipped.increment();
            case DEAD_LETTERED -> deadLettered.increment();
            default -> { }
        }
    }

    Consumer.Stats snapshot() {
        return new Consumer.Stats(completed.sum(), failed.sum(), retried.sum(), skipped.sum(), deadLettered.sum(),
                workersReplaced.sum(), threadsAbandoned.sum());
    }
}
