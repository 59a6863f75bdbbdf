package dev.louie.core;

import dev.louie.core.storage.Completion;
import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.Lease;
import dev.louie.core.storage.Revocation;
import dev.louie.core.storage.Storage;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one leased message: decode, checks, invoke, then store, retry or fail; shared by workers and immediate mode. */
final class TaskRunner {
    private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);
    private static final Duration DEFAULT_LOCK_TTL = Duration.ofMinutes(10);

    private final Louie louie;
    private final Storage storage;
    private final Serializer serializer;
    /** Tasks whose call an interceptor wraps; the others call their method directly. */
    private final Map<TaskDefinition, TaskInterceptor.Invoker> invokers = new IdentityHashMap<>();

    TaskRunner(Louie louie) {
        this.louie = louie;
        this.storage = louie.storage();
        this.serializer = louie.serializer();
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

    /** Hooks a consumer gives for the duration of one execution: interrupt on timeout, and shutdown. */
    interface Watch {
        /** Called when the task starts with its timeout deadline (or null); the returned flag tells whether the timeout fired. */
        java.util.concurrent.atomic.AtomicBoolean started(Thread worker, Instant deadline);

        /** Called when the task ends. */
        void finished();

        /** Whether the consumer is stopping (an interrupted task is then released, not failed). */
        boolean stopping();

        /**
         * Offers a successful task's completion to be stored later together with others; true when
         * taken (the consumer then ends the lease), false to complete it now.
         */
        boolean defer(Completion completion);
    }

    /** Outcome of {@link #execute} for the consumer's statistics. */
    enum Status { COMPLETED, DEFERRED, FAILED, RETRIED, SKIPPED, DEAD_LETTERED, RELEASED, LOST_LEASE }

    Status execute(Lease lease, Watch watch) {
        Message m;
        try {
            m = serializer.decode(lease.body(), Message.class);
            if (m.id() == null || m.task() == null) {
                throw new SerializationException("the message has no " + (m.id() == null ? "id" : "task"), null);
            }
        } catch (RuntimeException e) {
            String reason = "cannot decode message: " + e.getMessage();
            log.error("dead-lettering message {} from queue {}: {}", lease.id(), lease.queue(), reason);
            storage.deadLetter(lease, reason);
            return Status.DEAD_LETTERED;
        }
        TaskDefinition d = louie.definitions().get(m.task());
        if (d == null) {
            String reason = "unknown task '" + m.task() + "': it is not registered on this consumer";
            log.error("dead-lettering task {} [{}]: {}", m.task(), m.id(), reason);
            storage.deadLetter(lease, reason);
            storeFailure(m, Outcome.failure(m.task(), "dev.louie.core.UnknownTask", reason), true);
            return Status.DEAD_LETTERED;
        }
        Instant now = louie.clock().instant();
        if (louie.mayHaveRevocations()
                && (revoked(Louie.revokeKeyForId(m.id())) || revoked(Louie.revokeKeyForTask(d.name)))) {
            louie.signal(event(Signal.REVOKED, m, null, null));
            finishWithFailure(lease, m, Outcome.failure(m.task(), "dev.louie.core.TaskRevoked", "the task was revoked"));
            return Status.SKIPPED;
        }
        if (m.expires() != null && now.toEpochMilli() > m.expires()) {
            louie.signal(event(Signal.EXPIRED, m, null, null));
            finishWithFailure(lease, m, Outcome.failure(m.task(), "dev.louie.core.TaskExpired",
                    "the task was not started before it expired at " + Instant.ofEpochMilli(m.expires())));
            return Status.SKIPPED;
        }
        Object[] args;
        try {
            args = arguments(d, m);
        } catch (RuntimeException e) {
            String reason = "arguments do not fit task " + d.name + ": " + e.getMessage();
            log.error("dead-lettering task {} [{}]: {}", m.task(), m.id(), reason);
            storage.deadLetter(lease, reason);
            storeFailure(m, Outcome.failure(m.task(), e), true);
            return Status.DEAD_LETTERED;
        }
        for (TaskHook hook : louie.preHooks()) {
            try {
                hook.run(event(Signal.EXECUTING, m, null, null));
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
            if (!storage.acquireLock(d.lock, lockOwner, d.timeout != null ? d.timeout.plusMinutes(1) : DEFAULT_LOCK_TTL)) {
                TaskLockedException locked = new TaskLockedException(d.lock);
                louie.signal(event(Signal.LOCKED, m, locked, null));
                return failed(lease, m, d, locked, Duration.ZERO);
            }
        }
        louie.signal(event(Signal.EXECUTING, m, null, null));
        Instant deadline = d.timeout == null ? null : now.plus(d.timeout);
        long start = System.nanoTime();
        Object value;
        Throwable error = null;
        java.util.concurrent.atomic.AtomicBoolean fired = watch == null || deadline == null ? null : watch.started(Thread.currentThread(), deadline);
        TaskContext.set(new TaskContext(m.id(), m.task(), m.attempt(), deadline, louie.clock()));
        try {
            TaskInterceptor.Invoker invoker = invokers.get(d);
            value = invoker != null ? invoker.invoke(args) : d.invoke(args);
        } catch (Throwable t) {
            value = null;
            error = t instanceof InvocationTargetException ite ? ite.getCause() : t;
        } finally {
            TaskContext.set(null);
            if (fired != null) {
                watch.finished();
            }
            if (lockOwner != null) {
                storage.releaseLock(d.lock, lockOwner);
            }
        }
        boolean interrupted = Thread.interrupted();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (error instanceof VirtualMachineError fatal && !(error instanceof StackOverflowError)) {
            throw fatal; // out of memory and the like: the worker dies, its lease expires, the message is delivered again
        }
        if (interrupted || error instanceof InterruptedException) {
            boolean timedOut = fired != null && fired.get();
            if (watch != null && watch.stopping() && !timedOut) {
                louie.signal(event(Signal.INTERRUPTED, m, error, took));
                storage.release(lease);
                return Status.RELEASED;
            }
            if (timedOut) {
                TaskTimeoutException te = new TaskTimeoutException("task " + m.task() + " [" + m.id() + "] was interrupted after its timeout of " + d.timeout);
                louie.signal(event(Signal.INTERRUPTED, m, te, took));
                error = te;
            } else if (error == null) {
                error = new InterruptedException("the worker thread was interrupted");
                louie.signal(event(Signal.INTERRUPTED, m, error, took));
            }
        }
        if (error != null) {
            return failed(lease, m, d, error, took);
        }
        return succeeded(lease, m, d, value, took, watch);
    }

    private boolean revoked(String key) {
        Optional<Revocation> r = storage.revocation(key);
        if (r.isEmpty()) {
            return false;
        }
        if (r.get().once()) {
            louie.restoreKey(key);
        }
        return true;
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

    private Status succeeded(Lease lease, Message m, TaskDefinition d, Object value, Duration took, Watch watch) {
        if (m.next() != null) {
            List<Object> nextArgs = new ArrayList<>(m.next().args().size() + 1);
            nextArgs.add(value);
            nextArgs.addAll(m.next().args());
            louie.submit(m.next().withArgs(nextArgs));
        }
        louie.signal(event(Signal.COMPLETE, m, null, took));
        runPostHooks(event(Signal.COMPLETE, m, null, took));
        Completion completion = louie.storeResults() && (value != null || louie.storeNulls() || m.chord() != null)
                ? new Completion(lease, m.id(), serializer.encode(Outcome.success(value)), louie.resultTtl())
                : new Completion(lease, null, null, null);
        if (m.chord() == null && watch != null && watch.defer(completion)) {
            return Status.DEFERRED;
        }
        boolean stored = storage.complete(lease, completion.resultKey(), completion.result(), completion.ttl());
        if (!stored) {
            log.warn("task {} [{}] finished after its lease was lost; another delivery may run it again", m.task(), m.id());
        }
        if (m.chord() != null) {
            chordMemberDone(m.chord());
        }
        return stored ? Status.COMPLETED : Status.LOST_LEASE;
    }

    private Status failed(Lease lease, Message m, TaskDefinition d, Throwable error, Duration took) {
        if (m.retries() > 0) {
            long delay = (long) (m.retryDelayMs() * Math.pow(m.retryBackoff(), m.attempt()));
            Message retry = m.forRetry(louie.clock().millis() + delay);
            Envelope next = louie.envelope(retry);
            if (delay <= 0) {
                next = next.withEta(null);
            }
            log.info("task {} [{}] failed ({}), retrying in {} ms ({} retries left)", m.task(), m.id(), error.toString(),
                    delay, m.retries() - 1);
            louie.signal(event(Signal.RETRYING, m, error, took));
            runPostHooks(event(Signal.RETRYING, m, error, took));
            storage.retry(lease, next);
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
            TaskError info = new TaskError(m.id(), m.task(), failure.errorClass(), failure.errorMessage());
            List<Object> args = new ArrayList<>();
            args.add(info);
            args.addAll(m.onError().args());
            louie.submit(m.onError().withArgs(args));
        }
    }

    private void chordMemberDone(Message.Chord chord) {
        long done = storage.increment("chord:" + chord.id(), 1);
        if (done != chord.members().size()) {
            return;
        }
        List<Object> values = new ArrayList<>(chord.members().size());
        for (String id : chord.members()) {
            Optional<byte[]> r = storage.getResult(id, false);
            if (r.isEmpty()) {
                log.error("chord {}: the result of member {} is missing (expired or consumed); the callback gets null for it", chord.id(), id);
                values.add(null);
                continue;
            }
            Outcome o = louie.decodeOutcome(r.get());
            values.add(o.value());
        }
        List<Object> args = new ArrayList<>();
        args.add(values);
        args.addAll(chord.callback().args());
        louie.submit(chord.callback().withArgs(args));
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

    private static TaskEvent event(Signal s, Message m, Throwable error, Duration took) {
        return new TaskEvent(s, m.id(), m.task(), m.queue(), m.attempt(), error, took);
    }

}
