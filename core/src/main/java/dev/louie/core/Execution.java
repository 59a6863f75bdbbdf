package dev.louie.core;

import dev.louie.core.storage.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run of a task method on a worker thread, as the consumer's timeout watch sees it. The
 * worker and the watch race to end it: the worker when the method returns, the watch when the
 * timeout passes (it interrupts the thread) and again when the grace after the timeout passes
 * (it abandons the run, records the timeout and gives the worker's place to a new thread). The
 * state machine makes exactly one of them the owner of the outcome, and guarantees that an
 * interrupt sent for the timeout never leaks into the worker's next task.
 */
final class Execution {
    private static final int RUNNING = 0;
    private static final int INTERRUPTING = 1;
    private static final int INTERRUPTED = 2;
    private static final int DONE = 3;
    private static final int ABANDONED = 4;

    final Lease lease;
    final Message message;
    final TaskDefinition definition;
    final Thread thread;
    /** When the timeout passes, or null without one. */
    final Instant deadline;
    final long startedNanos = System.nanoTime();
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private volatile boolean interruptedAtTimeout;

    Execution(Lease lease, Message message, TaskDefinition definition, Thread thread, Instant deadline) {
        this.lease = lease;
        this.message = message;
        this.definition = definition;
        this.thread = thread;
        this.deadline = deadline;
    }

    /** The watch, at the timeout: interrupts the thread unless the run has ended. */
    boolean interruptAtTimeout() {
        if (!state.compareAndSet(RUNNING, INTERRUPTING)) {
            return false;
        }
        interruptedAtTimeout = true;
        thread.interrupt();
        state.set(INTERRUPTED);
        return true;
    }

    /** The watch, after the grace: takes the outcome over when the method still has not returned. */
    boolean abandon() {
        return state.compareAndSet(INTERRUPTED, ABANDONED) || state.compareAndSet(RUNNING, ABANDONED);
    }

    /**
     * The worker, when the method returned: true when the worker owns the outcome, false when the
     * run was abandoned (the worker must then leave the lease alone). Clears an interrupt sent for
     * the timeout, which can then no longer arrive.
     */
    boolean finish() {
        while (true) {
            int s = state.get();
            if (s == ABANDONED) {
                return false;
            }
            if (s == INTERRUPTING) {
                Thread.onSpinWait();
                continue;
            }
            if (state.compareAndSet(s, DONE)) {
                if (s == INTERRUPTED) {
                    Thread.interrupted();
                }
                return true;
            }
        }
    }

    /** Whether the watch interrupted the thread at the timeout. */
    boolean interruptedAtTimeout() {
        return interruptedAtTimeout;
    }

    /** How long the method has run. */
    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
