package dev.louie.core;

import java.lang.reflect.Method;
import java.lang.reflect.Type;

/**
 * Wraps the invocation of task methods on the worker: result caching ({@code @Cached} in
 * {@code louie-cache}), timing, tracing. Register one with {@link Louie.Builder#interceptor}.
 *
 * <p>{@link #intercept} is called once per registered task while {@link Louie.Builder#build()}
 * runs, so an interceptor reads the method's annotations and validates them there: throwing a
 * {@link TaskDefinitionException} (naming the method) makes {@code build()} fail. It returns the
 * invoker to use for that task: {@code next} itself to leave the task alone (no cost per call), or
 * a wrapper that may call {@code next}, skip it and return a value of its own, or throw.
 *
 * <p>Only the method call is wrapped. Everything around it is unchanged: pre-execute hooks, locks,
 * the EXECUTING and COMPLETE / ERROR / RETRYING signals, retries and storing the returned value
 * as the task's result. What the invoker returns or throws is treated exactly as if the method
 * had returned or thrown it. With several interceptors, the first registered is the outermost.
 */
public interface TaskInterceptor {

    /**
     * Returns the invoker for {@code task}.
     *
     * @param task what is known about the task
     * @param next the method call itself (or the next interceptor's wrapper)
     * @throws TaskDefinitionException when the task's configuration for this interceptor is invalid
     */
    Invoker intercept(TaskInfo task, Invoker next);

    /** Called when a {@link Consumer} of this Louie has stopped (e.g. to log statistics). */
    default void consumerStopped() {
    }

    /** Calls a task method with arguments already converted to its parameter types, on the worker's thread. */
    @FunctionalInterface
    interface Invoker {
        /** Calls the method; throws what the method throws. */
        Object invoke(Object[] args) throws Throwable;
    }

    /**
     * A registered task as an interceptor sees it.
     *
     * @param application the name of the {@code Louie} the task is registered on (a namespace for
     *                    state an interceptor shares across processes)
     * @param name       the task name
     * @param method     the task method (read its annotations here)
     * @param returnType the method's generic return type
     * @param storeNulls the Louie's {@link Louie.Builder#storeNulls(boolean)} setting
     */
    record TaskInfo(String application, String name, Method method, Type returnType, boolean storeNulls) {
    }
}
