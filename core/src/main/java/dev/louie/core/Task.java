package dev.louie.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a task. Register the object that declares it with
 * {@link Louie.Builder#register(Object...)}; submit it with {@link Louie#enqueue} or
 * {@link Louie#call}.
 *
 * <p>Durations are written as {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601
 * ({@code PT10S}); an empty string means "none".
 *
 * <pre>{@code
 * public class MyTasks {
 *     @Task(priority = 10, retries = 2, retryDelay = "1s")
 *     public String greet(String name) { return "hello " + name; }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Task {
    /** Task name; defaults to {@code SimpleClassName.methodName}. Unique per {@link Louie}. */
    String name() default "";

    /** Higher runs first. */
    int priority() default 0;

    /** How many times a failed execution is retried. */
    int retries() default 0;

    /** Wait before the first retry. */
    String retryDelay() default "";

    /** Factor applied to the delay at each further retry ({@code 2.0} doubles it). */
    double retryBackoff() default 1.0;

    /** A task not started within this time of its enqueue is not run (EXPIRED signal). */
    String expires() default "";

    /**
     * Time limit of one execution: {@link TaskContext#checkTimeout()} fails the task after it, and
     * the worker thread is interrupted when it passes.
     */
    String timeout() default "";

    /** Queue the task's messages go to. */
    String queue() default Louie.DEFAULT_QUEUE;

    /** Name of a lock held while the task runs; when another holder has it the task fails with {@link TaskLockedException}. */
    String lock() default "";

    /**
     * At most this many starts of the task per period across every consumer of the storage:
     * {@code "100/s"}, {@code "20/m"} or {@code "1000/h"}; empty for none. A start the limit
     * refuses is not a failure and not a retry: the message goes back to the schedule until the
     * limit admits it (RATE_LIMITED signal). Change it at runtime with {@link Louie#limits()}.
     */
    String rateLimit() default "";

    /**
     * At most this many runs of the task at once across every consumer of the storage (a GPU, a
     * licence); 0 for no limit. A consumer holds its slot with a lease, so the slot of a consumer
     * that was killed frees itself when the lease expires. A start refused for want of a slot goes
     * back to the schedule for a moment (CONCURRENCY_LIMITED signal), without counting a retry.
     */
    int concurrency() default 0;
}
