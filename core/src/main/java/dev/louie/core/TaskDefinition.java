package dev.louie.core;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.ZonedDateTime;

/** A registered task: its method, a pre-built handle bound to its object, and its options. */
final class TaskDefinition {
    private static final CronParser UNIX_CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    final String name;
    final Method method;
    final Object target;
    final MethodHandle handle;
    final Type[] parameterTypes;
    final Type returnType;
    final boolean returnsVoid;
    final int priority;
    final int retries;
    final Duration retryDelay;
    final double retryBackoff;
    final Duration expires;
    final Duration timeout;
    final String queue;
    final String lock;
    final ExecutionTime cron;
    final String cronText;
    /** Null without a rate limit. */
    final RateLimit rateLimit;
    /** 0 without a concurrency limit. */
    final int concurrency;

    private TaskDefinition(Class<?> type, Object target, Method method, String name, int priority, int retries, String retryDelay,
                           double retryBackoff, String expires, String timeout, String queue, String lock, String cron,
                           String rateLimit, int concurrency, Serializer serializer) {
        this.target = target;
        this.method = method;
        this.name = name.isEmpty() ? type.getSimpleName() + "." + method.getName() : name;
        this.priority = priority;
        if (retries < 0) {
            throw invalid("retries must be 0 or more, not " + retries);
        }
        this.retries = retries;
        this.retryDelay = duration("retryDelay", retryDelay);
        if (retryBackoff < 1.0) {
            throw invalid("retryBackoff must be 1.0 or more (1.0 keeps the delay, 2.0 doubles it), not " + retryBackoff);
        }
        this.retryBackoff = retryBackoff;
        this.expires = duration("expires", expires);
        this.timeout = duration("timeout", timeout);
        if (queue == null || queue.isBlank()) {
            throw invalid("queue must not be blank");
        }
        this.queue = queue;
        this.lock = lock == null || lock.isBlank() ? null : lock;
        try {
            this.rateLimit = RateLimit.parse(rateLimit);
        } catch (IllegalArgumentException e) {
            throw invalid("rateLimit: " + e.getMessage());
        }
        if (concurrency < 0) {
            throw invalid("concurrency must be 0 (no limit) or more, not " + concurrency);
        }
        this.concurrency = concurrency;
        if ((this.rateLimit != null || concurrency > 0) && !Limits.validName(this.name)) {
            throw invalid("a task with a rateLimit or a concurrency needs a name without '{' and '}', not '" + this.name + "'");
        }
        if (!Modifier.isPublic(method.getModifiers()) || Modifier.isStatic(method.getModifiers())) {
            throw invalid("a task must be a public instance method");
        }
        this.parameterTypes = method.getGenericParameterTypes();
        for (int i = 0; i < parameterTypes.length; i++) {
            try {
                serializer.checkSupported(parameterTypes[i]);
            } catch (IllegalArgumentException e) {
                throw invalid("parameter " + (i + 1) + " (" + parameterTypes[i].getTypeName() + ") cannot be sent in a message: " + e.getMessage());
            }
        }
        this.returnType = method.getGenericReturnType();
        this.returnsVoid = method.getReturnType() == void.class;
        if (cron != null) {
            if (parameterTypes.length > 0) {
                throw invalid("a @PeriodicTask takes no parameters");
            }
            try {
                Cron parsed = UNIX_CRON.parse(cron);
                parsed.validate();
                this.cron = ExecutionTime.forCron(parsed);
            } catch (IllegalArgumentException e) {
                throw invalid("invalid cron '" + cron + "': " + e.getMessage()
                        + " (Unix cron: minute hour day-of-month month day-of-week, e.g. \"*/5 * * * *\")");
            }
        } else {
            this.cron = null;
        }
        this.cronText = cron;
        try {
            method.setAccessible(true);
            this.handle = MethodHandles.lookup().unreflect(method).bindTo(target)
                    .asSpreader(Object[].class, parameterTypes.length);
        } catch (IllegalAccessException | RuntimeException e) {
            throw invalid("cannot access the method: " + e.getMessage());
        }
    }

    /** A task this JVM does not have, known by name only: submitted to the default queue with default options. */
    private TaskDefinition(String name) {
        this.name = name;
        this.method = null;
        this.target = null;
        this.handle = null;
        this.parameterTypes = null;
        this.returnType = Object.class;
        this.returnsVoid = false;
        this.priority = 0;
        this.retries = 0;
        this.retryDelay = null;
        this.retryBackoff = 1.0;
        this.expires = null;
        this.timeout = null;
        this.queue = Louie.DEFAULT_QUEUE;
        this.lock = null;
        this.cron = null;
        this.cronText = null;
        this.rateLimit = null;
        this.concurrency = 0;
    }

    static TaskDefinition unregistered(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the task name must not be blank");
        }
        return new TaskDefinition(name);
    }

    /** Whether this stands for a task registered elsewhere (by-name submission from a producer without the class). */
    boolean isUnregistered() {
        return method == null;
    }

    static TaskDefinition of(Class<?> type, Object target, Method method, Task t, Serializer serializer) {
        return new TaskDefinition(type, target, method, t.name(), t.priority(), t.retries(), t.retryDelay(), t.retryBackoff(),
                t.expires(), t.timeout(), t.queue(), t.lock(), null, t.rateLimit(), t.concurrency(), serializer);
    }

    static TaskDefinition of(Class<?> type, Object target, Method method, PeriodicTask t, Serializer serializer) {
        return new TaskDefinition(type, target, method, t.name(), t.priority(), t.retries(), t.retryDelay(), t.retryBackoff(),
                t.expires(), t.timeout(), t.queue(), t.lock(), t.cron(), null, 0, serializer);
    }

    private Duration duration(String option, String text) {
        try {
            Duration d = Durations.parse(text);
            if (d != null && d.isNegative()) {
                throw invalid(option + " must not be negative: '" + text + "'");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw invalid(option + ": " + e.getMessage());
        }
    }

    private TaskDefinitionException invalid(String why) {
        return new TaskDefinitionException("invalid task " + method.getDeclaringClass().getName() + "#" + method.getName()
                + ": " + why);
    }

    boolean isPeriodic() {
        return cron != null;
    }

    boolean matches(ZonedDateTime minute) {
        return cron != null && cron.isMatch(minute);
    }

    Object invoke(Object[] args) throws Throwable {
        return handle.invoke(args);
    }

    @Override
    public String toString() {
        return name;
    }
}
