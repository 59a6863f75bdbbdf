package dev.louie.core;

import dev.louie.core.storage.Completion;
import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.Lease;
import dev.louie.core.storage.Storage;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one leased message: decode, checks, invoke, then store, retry or fail; shared by workers
 * and immediate mode. Every message it ends leaves a result a waiter sees (when results are
 * stored): a value, a zero-byte "done" marker, or a failure with its {@link FailureKind}.
 */
final class TaskRunner {
    private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);
    private static final Duration DEFAULT_LOCK_TTL = Duration.ofMinutes(10);
    private static final byte[] DONE = new byte[0];

    private final Louie louie;
    private final Storage storage;
    private final Serializer serializer;
    /** Tasks whose call an interceptor wraps; the others call their method directly. */
    private final Map<TaskDefinition, TaskInterceptor.Invoker> invokers = new IdentityHashMap<>();
    private final Chords chords;
    private final RateLimitedLog unknownTasks = new RateLimitedLog(log, Duration.ofSeconds(10));
    private final LimitGate gate;

    TaskRunner(Louie louie) {
        this.louie = louie;
        this.storage = louie.storage();
        this.serializer = louie.serializer();
        this.chords = new Chords(louie);
        this.gate = new LimitGate(louie.limits(), storage);
        List<TaskInterceptor> interceptors = louie.interceptors();
        for (TaskDefinition d : louie.definitions().values()) {
            TaskInterceptor.Invoker direct = d::invoke;
            TaskInterceptor.Invoker invoker = direct;
            TaskInterceptor.TaskInfo info = new TaskInterceptor.TaskInfo(louie.name(), d.name, d.method, d.returnType, louie.storeNulls());
            for (int i = interceptors.size() - 1; i >= 0; i--) {
                invoker = Objects.requireNonNull(interceptors.get(i).intercept(info, invoker),
                        () -> "interceptor returned no invoker for task " + d.name);
            }
            if (invoker != direct) {
                invokers.put(d, invoker);
            }
        }
    }

    /** What a consumer gives for the duration of one execution: its settings, the timeout watch and shutdown. */
    interface Watch {
        /** Called when the task method starts; the consumer watches its timeout (when it has one). */
        void started(Execution execution);

        /** Called when the task method returned (or threw), unless the execution was abandoned. */
        void finished(Execution execution);

        /** Whether the consumer is stopping (an interrupted task is then released, not failed). */
        boolean stopping();

        /**
         * Offers a successful task's completion to be stored later together with others; true when
         * taken (the consumer then ends the lease), false to complete it now.
         */
        boolean defer(Completion completion);

        /** Deliveries after which a message goes to the dead-letter area. */
        int maxDeliveries();

        /** How long after its enqueue a task no consumer knows is left for one that does. */
        Duration unknownTaskGrace();

        /** The consumer's id: with the message id, the holder of the slots a task takes. */
        String consumerId();

        /** How long a slot of a concurrency limit is held without extension (the consumer's lease time). */
        Duration slotLease();

        /** The task of {@code lease} holds slots of {@code limits} as {@code holder}: extend them with the lease. */
        void holdingSlots(Lease lease, String holder, List<String> limits);

        /** The slots held for {@code lease} were freed. */
        void slotsFreed(Lease lease);
    }

    /** Outcome of {@link #execute} for the consumer's statistics. */
    enum Status { COMPLETED, DEFERRED, FAILED, RETRIED, SKIPPED, DEAD_LETTERED, RELEASED, LOST_LEASE, LEFT_FOR_OTHERS, ABANDONED,
        /** Refused by a rate or concurrency limit and rescheduled; not a run. */
        LIMITED }

    /** How long a message of an unknown task waits before it is offered again. */
    static final Duration UNKNOWN_TASK_DELAY = Duration.ofSeconds(5);

    Status execute(Lease lease, Watch watch) {
        if (watch != null && lease.deliveries() > watch.maxDeliveries()) {
            return deliveryLimitReached(lease, watch.maxDeliveries());
        }
        Message m;
        try {
            m = serializer.decode(lease.body(), Message.class);
            if (m.id() == null || m.task() == null) {
                throw new SerializationException("the message has no " + (m.id() == null ? "id" : "task"), null);
            }
        } catch (RuntimeException e) {
            return deadLetterUndecoded(lease, "cannot decode message: " + e.getMessage());
        }
        if (Chords.CHECK_TASK.equals(m.task()) && m.chord() != null) {
            return chords.runCheck(lease, m);
        }
        TaskDefinition d = louie.definitions().get(m.task());
        if (d == null) {
            return unknownTask(lease, m, watch == null ? Duration.ZERO : watch.unknownTaskGrace());
        }
        Instant now = louie.clock().instant();
        if (louie.revocations().skips(m.id(), d.name)) {
            louie.signal(event(Signal.REVOKED, m, null, null));
            finishWithFailure(lease, m, Outcome.failure(m.task(), FailureKind.REVOKED, "the task was revoked"));
            return Status.SKIPPED;
        }
        if (m.expires() != null && now.toEpochMilli() > m.expires()) {
            louie.signal(event(Signal.EXPIRED, m, null, null));
            finishWithFailure(lease, m, Outcome.failure(m.task(), FailureKind.EXPIRED,
                    "the task was not started before it expired at " + Instant.ofEpochMilli(m.expires())));
            return Status.SKIPPED;
        }
        Object[] args;
        try {
            args = arguments(d, m);
        } catch (RuntimeException e) {
            return deadLetter(lease, m, "arguments do not fit task " + d.name + ": " + e.getMessage());
        }
        if (watch == null || louie.isImmediate() || !gate.applies(d, lease.queue())) {
            return run(lease, watch, m, d, args, now);
        }
        String holder = watch.consumerId() + ":" + m.id();
        LimitGate.Admission admission = gate.admit(d, lease.queue(), holder, watch.slotLease(), louie.clock().millis());
        if (!admission.admitted()) {
            return limited(lease, m, admission);
        }
        if (admission.slots().isEmpty()) {
            return run(lease, watch, m, d, args, now);
        }
        watch.holdingSlots(lease, holder, admission.slots());
        try {
            return run(lease, watch, m, d, args, now);
        } finally {
            watch.slotsFreed(lease);
            gate.release(admission.slots(), holder);
        }
    }

    /**
     * A start refused by a limit: the message goes back to the schedule (same body, so no attempt
     * is counted) at the time the gate gave, and the signal says which kind of limit refused it.
     */
    private Status limited(Lease lease, Message m, LimitGate.Admission admission) {
        Instant eta = louie.clock().instant().plusMillis(admission.delayMillis());
        log.debug("task {} [{}] refused by a limit ({}); tried again in {} ms", m.task(), m.id(), admission.refusedBy(),
                admission.delayMillis());
        storage.retry(lease, new Envelope(lease.id(), lease.priority(), eta, lease.body()));
        louie.scheduledLocally(lease.queue(), eta);
        louie.signal(event(admission.refusedBy(), m, null, null));
        return Status.LIMITED;
    }

    /** Runs an admitted message: pre-execute hooks, its lock, the method, then its outcome. */
    private Status run(Lease lease, Watch watch, Message m, TaskDefinition d, Object[] args, Instant now) {
        TaskEvent executing = new TaskEvent(Signal.EXECUTING, m.id(), m.task(), m.queue(), m.attempt(), null, null, queueWait(m));
        for (TaskHook hook : louie.preHooks()) {
            try {
                hook.run(executing);
            } catch (CancelExecution c) {
                louie.signal(event(Signal.CANCELED, m, c, null));
                finishWithFailure(lease, m, Outcome.failure(m.task(), c));
                return Status.SKIPPED;
            } catch (RuntimeException e) {
                log.warn("pre-execute hook failed for {} [{}]: {}", m.task(), m.id(), e.toString());
            }
        }
        String lockOwner = null;
        if (d.lock != null) {
            lockOwner = m.id() + ":" + lease.token();
            if (!storage.acquireLock(d.lock, lockOwner, lockTtl(d))) {
                TaskLockedException locked = new TaskLockedException(d.lock);
                louie.signal(event(Signal.LOCKED, m, locked, null));
                return failed(lease, m, locked, Duration.ZERO);
            }
        }
        louie.signal(executing);
        Execution run = new Execution(lease, m, d, Thread.currentThread(), d.timeout == null ? null : now.plus(d.timeout));
        Object value;
        Throwable error = null;
        if (watch != null) {
            watch.started(run);
        }
        TaskContext.set(new TaskContext(m.id(), m.task(), m.attempt(), run.deadline, d.timeout, louie.clock()));
        try {
            TaskInterceptor.Invoker invoker = invokers.get(d);
            value = invoker != null ? invoker.invoke(args) : d.invoke(args);
        } catch (Throwable t) {
            value = null;
            error = t instanceof InvocationTargetException ite ? ite.getCause() : t;
        } finally {
            TaskContext.set(null);
            if (lockOwner != null) {
                releaseLock(d.lock, lockOwner);
            }
        }
        if (!run.finish()) {
            log.warn("task {} [{}] returned {} after it was abandoned; its timeout was recorded and this outcome is dropped",
                    m.task(), m.id(), error == null ? "normally" : "with " + error);
            return Status.ABANDONED;
        }
        if (watch != null) {
            watch.finished(run);
        }
        boolean interrupted = Thread.interrupted() || error instanceof InterruptedException;
        Duration took = run.elapsed();
        if (error instanceof VirtualMachineError fatal && !(error instanceof StackOverflowError)) {
            throw fatal; // out of memory and the like: the worker dies, its lease expires, the message is delivered again
        }
        boolean timedOut = run.deadline != null && (run.interruptedAtTimeout() || error instanceof TaskTimeoutException
                || (interrupted && !louie.clock().instant().isBefore(run.deadline)));
        if (timedOut) {
            return timedOut(run, took);
        }
        if (interrupted) {
            louie.signal(event(Signal.INTERRUPTED, m, error, took));
            if (watch != null && watch.stopping()) {
                storage.release(lease);
                return Status.RELEASED;
            }
            if (error == null) {
                error = new InterruptedException("the worker thread was interrupted");
            }
        }
        if (error != null) {
            return failed(lease, m, error, took);
        }
        return succeeded(lease, m, value, took, watch);
    }

    /**
     * Records that a run passed its timeout: one outcome however the task noticed (it checked
     * {@link TaskContext#checkTimeout()}, it was interrupted, or it was abandoned): the TIMEOUT
     * signal, then a retry or the failure with a {@link TaskTimeoutException}.
     */
    Status timedOut(Execution run, Duration took) {
        Message m = run.message;
        TaskTimeoutException error = new TaskTimeoutException(timeoutMessage(m, run.definition.timeout));
        louie.signal(event(Signal.TIMEOUT, m, error, took));
        return failed(run.lease, m, error, took);
    }

    static String timeoutMessage(Message m, Duration timeout) {
        return "task " + m.task() + " [" + m.id() + "] ran past its timeout of " + timeout;
    }

    /** A lock is held for the task's timeout and a minute more, or ten minutes without a timeout. */
    static Duration lockTtl(TaskDefinition d) {
        return d.timeout != null ? d.timeout.plusMinutes(1) : DEFAULT_LOCK_TTL;
    }

    private void releaseLock(String name, String owner) {
        try {
            storage.releaseLock(name, owner);
        } catch (RuntimeException e) {
            log.warn("cannot release lock {} ({}); it expires by itself", name, e.toString());
        }
    }

    private Status unknownTask(Lease lease, Message m, Duration grace) {
        long waited = louie.clock().millis() - m.enqueuedAt();
        if (waited < grace.toMillis()) {
            unknownTasks.warn("task {} [{}] is not registered on this consumer; leaving it for a consumer that knows it "
                            + "(offered again in {}, dead-lettered {} after its enqueue)",
                    m.task(), m.id(), UNKNOWN_TASK_DELAY, grace);
            Instant eta = louie.clock().instant().plus(UNKNOWN_TASK_DELAY);
            storage.retry(lease, new Envelope(lease.id(), lease.priority(), eta, lease.body()));
            louie.scheduledLocally(lease.queue(), eta);
            return Status.LEFT_FOR_OTHERS;
        }
        return deadLetter(lease, m, "unknown task '" + m.task() + "': no consumer that took it in " + grace
                + " had it registered");
    }

    /**
     * A message delivered more often than allowed (its consumers died or lost the lease each
     * time) is dead-lettered before it is even decoded, in case decoding is what kills them.
     */
    private Status deliveryLimitReached(Lease lease, int maxDeliveries) {
        String reason = "delivery limit reached: delivered " + (lease.deliveries() - 1) + " times (limit "
                + maxDeliveries + ") without being acknowledged; its consumers died or lost the lease each time";
        Message m;
        try {
            m = serializer.decode(lease.body(), Message.class);
        } catch (RuntimeException e) {
            m = null;
        }
        return m == null || m.id() == null ? deadLetterUndecoded(lease, reason) : deadLetter(lease, m, reason);
    }

    /** Dead-letters a message whose body says nothing usable; its result (under the lease's id) records the reason. */
    private Status deadLetterUndecoded(Lease lease, String reason) {
        log.error("dead-lettering message {} from queue {}: {}", lease.id(), lease.queue(), reason);
        storage.deadLetter(lease, reason);
        louie.signal(new TaskEvent(Signal.DEAD_LETTERED, lease.id(), null, lease.queue(), 0, null, null));
        if (louie.storeResults()) {
            storage.putResult(lease.id(), serializer.encode(Outcome.failure(null, FailureKind.DEAD_LETTER, reason)), louie.resultTtl());
        }
        return Status.DEAD_LETTERED;
    }

    /** Moves the message to the dead-letter area and records the reason as the result of it and its later stages. */
    private Status deadLetter(Lease lease, Message m, String reason) {
        log.error("dead-lettering task {} [{}] from queue {}: {}", m.task(), m.id(), lease.queue(), reason);
        storage.deadLetter(lease, reason);
        louie.signal(new TaskEvent(Signal.DEAD_LETTERED, m.id(), m.task(), lease.queue(), m.attempt(), null, null));
        storeFailure(m, Outcome.failure(m.task(), FailureKind.DEAD_LETTER, reason), true);
        return Status.DEAD_LETTERED;
    }

    private Object[] arguments(TaskDefinition d, Message m) {
        List<Object> raw = m.args();
        if (raw.size() != d.parameterTypes.length) {
            throw new IllegalArgumentException("expected " + d.parameterTypes.length + " argument(s), got " + raw.size());
        }
        Object[] args = new Object[raw.size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = serializer.convert(raw.get(i), d.parameterTypes[i]);
            if (args[i] == null && d.method.getParameterTypes()[i].isPrimitive()) {
                throw new IllegalArgumentException("argument " + (i + 1) + " is null but the parameter is a primitive "
                        + d.method.getParameterTypes()[i]);
            }
        }
        return args;
    }

    private Status succeeded(Lease lease, Message m, Object value, Duration took, Watch watch) {
        if (m.next() != null && !alreadyRan(m.next())) {
            List<Object> nextArgs = new ArrayList<>(m.next().args().size() + 1);
            nextArgs.add(value);
            nextArgs.addAll(m.next().args());
            louie.submit(m.next().withArgs(nextArgs).withEnqueuedAt(louie.clock().millis()));
        }
        louie.signal(event(Signal.COMPLETE, m, null, took));
        runPostHooks(event(Signal.COMPLETE, m, null, took));
        Completion completion = louie.storeResults()
                ? new Completion(lease, m.id(), value == null && !louie.storeNulls() && m.chord() == null
                        ? DONE : serializer.encode(Outcome.success(value)), louie.resultTtl())
                : new Completion(lease, null, null, null);
        if (m.chord() == null && watch != null && watch.defer(completion)) {
            return Status.DEFERRED;
        }
        boolean stored = storage.complete(lease, completion.resultKey(), completion.result(), completion.ttl());
        if (!stored) {
            log.warn("task {} [{}] finished after its lease was lost; another delivery may run it again", m.task(), m.id());
        }
        if (m.chord() != null) {
            chords.memberDone(m.chord());
        }
        return stored ? Status.COMPLETED : Status.LOST_LEASE;
    }

    /**
     * Whether a pipeline's next stage has a result already: this stage ran before, enqueued it,
     * and died before its own completion was stored. The next stage is enqueued before this
     * stage completes (so that a crash cannot lose it) and has a fixed id, so a second enqueue is
     * dropped while it waits or runs, and this check keeps it from running again once it is done.
     */
    private boolean alreadyRan(Message next) {
        return louie.storeResults() && storage.getResult(next.id(), false).isPresent();
    }

    private Status failed(Lease lease, Message m, Throwable error, Duration took) {
        if (m.retries() > 0) {
            long delay = (long) (m.retryDelayMs() * Math.pow(m.retryBackoff(), m.attempt()));
            long eta = louie.clock().millis() + delay;
            Message retry = m.forRetry(eta);
            Envelope next = louie.envelope(retry);
            if (delay <= 0) {
                next = next.withEta(null);
            }
            log.info("task {} [{}] failed ({}), retrying in {} ms ({} retries left)", m.task(), m.id(), error.toString(),
                    delay, m.retries() - 1);
            louie.signal(event(Signal.RETRYING, m, error, took));
            runPostHooks(event(Signal.RETRYING, m, error, took));
            storage.retry(lease, next);
            if (delay > 0) {
                louie.scheduledLocally(lease.queue(), Instant.ofEpochMilli(eta));
            }
            return Status.RETRIED;
        }
        log.error("task {} [{}] failed: {}", m.task(), m.id(), error.toString(), error);
        louie.signal(event(Signal.ERROR, m, error, took));
        runPostHooks(event(Signal.ERROR, m, error, took));
        finishWithFailure(lease, m, Outcome.failure(m.task(), error));
        return Status.FAILED;
    }

    /** Stores a failure as the result of the task and of every later pipeline stage, runs the error callback, acks. */
    private void finishWithFailure(Lease lease, Message m, Outcome failure) {
        storeFailure(m, failure, false);
        if (louie.storeResults()) {
            storage.complete(lease, m.id(), serializer.encode(failure), louie.resultTtl());
        } else {
            storage.complete(lease, null, null, null);
        }
    }

    /** The failure recorded for every later stage (and a chord's callback), plus the error callback. */
    private void storeFailure(Message m, Outcome failure, boolean includeSelf) {
        if (louie.storeResults()) {
            byte[] encoded = serializer.encode(failure);
            if (includeSelf) {
                storage.putResult(m.id(), encoded, louie.resultTtl());
            }
            for (Message s = m.next(); s != null; s = s.next()) {
                storage.putResult(s.id(), encoded, louie.resultTtl());
                if (s.chord() != null) {
                    storage.putResult(s.chord().callback().id(), encoded, louie.resultTtl());
                }
            }
            if (m.chord() != null) {
                storage.putResult(m.chord().callback().id(), encoded, louie.resultTtl());
            }
        }
        if (m.onError() != null) {
            TaskError info = new TaskError(m.id(), m.task(), failure.kind(), failure.errorClass(), failure.errorMessage());
            List<Object> args = new ArrayList<>();
            args.add(info);
            args.addAll(m.onError().args());
            louie.submit(m.onError().withArgs(args).withEnqueuedAt(louie.clock().millis()));
        }
    }

    private void runPostHooks(TaskEvent e) {
        for (TaskHook hook : louie.postHooks()) {
            try {
                hook.run(e);
            } catch (RuntimeException ex) {
                log.warn("post-execute hook failed for {} [{}]: {}", e.task(), e.id(), ex.toString());
            }
        }
    }

    /**
     * How long {@code m} has waited since it was ready to run: since its eta when it had one (a
     * retry's is the retry's), else since its enqueue; null for a message that records neither
     * (one written by another program without {@code enqueuedAt}).
     */
    private Duration queueWait(Message m) {
        long readySince = Math.max(m.eta() == null ? 0 : m.eta(), m.enqueuedAt());
        return readySince <= 0 ? null : Duration.ofMillis(Math.max(0, louie.clock().millis() - readySince));
    }

    private static TaskEvent event(Signal s, Message m, Throwable error, Duration took) {
        return new TaskEvent(s, m.id(), m.task(), m.queue(), m.attempt(), error, took);
    }
}
