package dev.louie.cache;

import dev.louie.core.InterceptedBy;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Reuses a task's results: a call whose arguments were seen before returns the cached value
 * without running the method. Put it beside {@code @Task} and give the {@link dev.louie.core.Louie}
 * a {@link TaskCaches} with {@code Louie.builder(...).interceptor(caches)}.
 *
 * <pre>{@code
 * @Task(priority = 10, retries = 2, retryDelay = "1s")
 * @Cached(maxSize = 10_000)                                           // size-bounded, W-TinyLFU eviction
 * public Prediction predict(String name) { ... }
 *
 * @Cached(expireAfterAccess = "10m")                                 // TTL after last use
 * @Cached(expireAfterWrite = "1h", maxSize = 50_000, shared = true)  // + Redis-shared tier
 * }</pre>
 *
 * <p>The key is the task name plus the canonical JSON of the arguments (or {@link #key()}), so it
 * is the same in every JVM. Concurrent calls with the same key compute once. The task still emits
 * its signals (EXECUTING, COMPLETE) and stores its result on a hit: only the method call is
 * skipped. Invalid settings, and {@code @Cached} on a task of a Louie without a
 * {@code TaskCaches} interceptor, make {@code Louie.Builder.build()} fail with a
 * {@link dev.louie.core.TaskDefinitionException} naming the method.
 *
 * <p>Durations are written as in {@code @Task}: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h},
 * {@code 1d} or ISO-8601; empty means none.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@InterceptedBy(TaskCaches.class)
public @interface Cached {
    /** The value of {@link #maxSize()} and {@link #maxWeight()} when not given. */
    long NOT_SET = Long.MIN_VALUE;

    /** Size limit used when neither {@link #maxSize()} nor {@link #maxWeight()} is given: the local tier is always bounded. */
    long DEFAULT_MAX_SIZE = 10_000;

    /** Most entries kept in the local tier (Caffeine's W-TinyLFU picks what to evict). Not with {@link #maxWeight()}. */
    long maxSize() default NOT_SET;

    /**
     * Most bytes kept in the local tier, an entry weighing the length of its value's JSON encoding
     * plus its key. Not with {@link #maxSize()}.
     */
    long maxWeight() default NOT_SET;

    /** An entry expires this long after it was computed. */
    String expireAfterWrite() default "";

    /** An entry expires this long after it was last read (or written). */
    String expireAfterAccess() default "";

    /**
     * An entry older than this is still returned, and recomputed in the background (on the cache's
     * executor, outside a worker: {@code TaskContext} is not available there). Shorter than
     * {@link #expireAfterWrite()} when both are given.
     */
    String refreshAfterWrite() default "";

    /**
     * Also keep entries in the shared tier (Redis) of the {@link TaskCaches}, so consumers reuse each
     * other's results. Needs {@link #expireAfterWrite()} or {@link #expireAfterAccess()}: that is the
     * entry's TTL in Redis.
     */
    boolean shared() default false;

    /** Also cache a thrown exception: later calls with the same key throw it again without running. Default: errors are never cached. */
    boolean cacheErrors() default false;

    /**
     * Computes the key text from the arguments instead of their JSON; a class with a public
     * no-argument constructor. The task name is always prepended.
     */
    Class<? extends CacheKeyFunction> key() default CacheKeyFunction.class;
}
