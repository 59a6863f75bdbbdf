package dev.louie.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method without parameters as a task that a running {@link Consumer} enqueues on a
 * cron schedule. Unix cron syntax with minute resolution ({@code "*&#47;5 * * * *"}: every five
 * minutes), evaluated in the zone of {@link Louie.Builder#zone}. When several consumers run, each
 * matching minute enqueues the task once (deduplicated through the storage).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface PeriodicTask {
    /** Unix cron expression: minute hour day-of-month month day-of-week. */
    String cron();

    /** Task name; defaults to {@code SimpleClassName.methodName}. */
    String name() default "";

    /** Higher runs first. */
    int priority() default 0;

    /** How many times a failed execution is retried. */
    int retries() default 0;

    /** Wait before the first retry. */
    String retryDelay() default "";

    /** Factor applied to the delay at each further retry. */
    double retryBackoff() default 1.0;

    /** A run not started within this time of being enqueued is skipped. */
    String expires() default "";

    /** Time limit of one execution (see {@link Task#timeout()}). */
    String timeout() default "";

    /** Queue the task's messages go to. */
    String queue() default Louie.DEFAULT_QUEUE;

    /** Name of a lock held while the task runs. */
    String lock() default "";
}
