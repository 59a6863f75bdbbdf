package dev.louie.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.louie.core.Durations;
import dev.louie.core.TaskDefinitionException;
import dev.louie.core.TaskInterceptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Result caching for {@link Cached} tasks: a {@link TaskInterceptor} that gives each cached task
 * its own {@link LouieCache}, keyed by task name and arguments.
 *
 * <pre>{@code
 * TaskCaches caches = TaskCaches.builder().sharedTier(RedisSharedTier.create("redis://localhost")).build();
 * Louie louie = Louie.builder("shop").interceptor(caches).register(new ShopTasks()).build();
 * ...
 * caches.stats("ShopTasks.predict").hitRate();
 * caches.invalidate("ShopTasks.predict");            // by task
 * caches.invalidate("ShopTasks.predict", "apple");   // by arguments
 * }</pre>
 *
 * <p>A hit skips only the method call: the task still runs through the worker, emits EXECUTING
 * and COMPLETE, and stores the cached value as its result, so {@code Result.get()} behaves the
 * same. One {@code TaskCaches} per {@code Louie}; thread-safe.
 */
public final class TaskCaches implements TaskInterceptor, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskCaches.class);

    private final Ticker ticker;
    private final Executor executor;
    private final SharedTier shared;
    private final Map<String, LouieCache<TaskKey, Object>> caches = new ConcurrentHashMap<>();
    private final Map<String, CacheKeyFunction> keyFunctions = new ConcurrentHashMap<>();

    private TaskCaches(Builder b) {
        this.ticker = b.ticker;
        this.executor = b.executor;
        this.shared = b.shared;
        if (b.logStatsOnExit) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::logStats, "louie-cache-stats"));
        }
    }

    /** Caches with the system ticker, the common pool and no shared tier. */
    public static TaskCaches create() {
        return builder().build();
    }

    /** Starts configuring caches. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Invoker intercept(TaskInfo task, Invoker next) {
        Cached c = task.method().getAnnotation(Cached.class);
        if (c == null) {
            return next;
        }
        Method m = task.method();
        String where = "invalid @Cached on " + m.getDeclaringClass().getName() + "#" + m.getName() + ": ";
        if (m.getReturnType() == void.class) {
            throw new TaskDefinitionException(where + "a void task has no result to cache");
        }
        CacheKeyFunction keyFunction = keyFunction(c, where);
        LouieCache<TaskKey, Object> cache;
        try {
            LouieCache.Builder<TaskKey, Object> b = LouieCache.<TaskKey, Object>builder(task.name())
                    .cacheNulls(task.storeNulls())
                    .cacheErrors(c.cacheErrors())
                    .loader((LouieCache.Compute<TaskKey>) k -> next.invoke(k.args))
                    .sharedKey(k -> k.text);
            if (c.maxSize() != Cached.NOT_SET) {
                b.maxSize(c.maxSize());
            }
            if (c.maxWeight() != Cached.NOT_SET) {
                b.maxWeight(c.maxWeight(), (k, v) -> saturatedInt(k.text.length() + (long) Keys.json(v).getBytes(StandardCharsets.UTF_8).length));
            }
            duration("expireAfterWrite", c.expireAfterWrite()).ifPresent(b::expireAfterWrite);
            duration("expireAfterAccess", c.expireAfterAccess()).ifPresent(b::expireAfterAccess);
            duration("refreshAfterWrite", c.refreshAfterWrite()).ifPresent(b::refreshAfterWrite);
            if (c.shared()) {
                if (shared == null) {
                    throw new IllegalArgumentException("shared = true but these TaskCaches have no shared tier: "
                            + "build them with TaskCaches.builder().sharedTier(RedisSharedTier.create(uri))");
                }
                shared.attach(task.application()); // the tier's default namespace: this application's name
                b.shared(shared, task.returnType());
            }
            if (ticker != null) {
                b.ticker(ticker);
            }
            if (executor != null) {
                b.executor(executor);
            }
            cache = b.build();
        } catch (IllegalArgumentException e) {
            throw new TaskDefinitionException(where + e.getMessage(), e);
        }
        caches.put(task.name(), cache);
        if (keyFunction != null) {
            keyFunctions.put(task.name(), keyFunction);
        }
        String prefix = task.name() + ":";
        return args -> cache.lookup(new TaskKey(prefix + keyText(keyFunction, args), args), k -> next.invoke(k.args));
    }

    private static String keyText(CacheKeyFunction f, Object[] args) {
        return f != null ? f.key(args) : Keys.json(args);
    }

    private static int saturatedInt(long n) {
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    private static Optional<Duration> duration(String option, String text) {
        try {
            return Optional.ofNullable(Durations.parse(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    private static CacheKeyFunction keyFunction(Cached c, String where) {
        Class<? extends CacheKeyFunction> type = c.key();
        if (type == CacheKeyFunction.class) {
            return null;
        }
        try {
            Constructor<? extends CacheKeyFunction> ctor = type.getDeclaredConstructor();
            ctor.setAccessible(true);
            return ctor.newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new TaskDefinitionException(where + "key function " + type.getName()
                    + " needs a public no-argument constructor (a top-level or static nested class): " + e, e);
        }
    }

    // ---- reading and invalidating -----------------------------------------------------------------

    /**
     * The cache of a task.
     *
     * @throws IllegalArgumentException when the task has no {@code @Cached} (or is not registered)
     */
    public LouieCache<?, ?> cache(String task) {
        LouieCache<TaskKey, Object> c = caches.get(task);
        if (c == null) {
            throw new IllegalArgumentException("task '" + task + "' has no @Cached cache; cached tasks: " + caches.keySet());
        }
        return c;
    }

    /** Statistics of one task's cache. */
    public CacheStats stats(String task) {
        return cache(task).stats();
    }

    /** Statistics of every cached task, by task name. */
    public List<CacheStats> stats() {
        List<CacheStats> out = new ArrayList<>();
        for (LouieCache<TaskKey, Object> c : caches.values()) {
            out.add(c.stats());
        }
        out.sort(java.util.Comparator.comparing(CacheStats::name));
        return out;
    }

    /** Logs the statistics when a consumer of the Louie stops. */
    @Override
    public void consumerStopped() {
        logStats();
    }

    /** Logs the statistics of every cached task at INFO (also done by {@link #close()} and when a consumer stops). */
    public void logStats() {
        for (CacheStats s : stats()) {
            log.info("cache {}", s);
        }
    }

    /** Drops every cached result of {@code task}, locally and in the shared tier. */
    public void invalidate(String task) {
        ((LouieCache<TaskKey, Object>) typed(task)).invalidateAll();
    }

    /** Drops the cached result of {@code task} for these arguments (as the task method declares them), locally and shared. */
    public void invalidate(String task, Object... args) {
        LouieCache<TaskKey, Object> c = typed(task);
        c.invalidate(new TaskKey(task + ":" + keyText(keyFunctions.get(task), args), args));
    }

    /** Drops every cached result of every task. */
    public void invalidateAll() {
        for (LouieCache<TaskKey, Object> c : caches.values()) {
            c.invalidateAll();
        }
    }

    private LouieCache<TaskKey, Object> typed(String task) {
        cache(task);
        return caches.get(task);
    }

    /** Logs the statistics; the shared tier is the caller's to close. */
    @Override
    public void close() {
        logStats();
    }

    /** Configures {@link TaskCaches}. */
    public static final class Builder {
        private Ticker ticker;
        private Executor executor;
        private SharedTier shared;
        private boolean logStatsOnExit;

        private Builder() {
        }

        /** Time source for expiry and refresh of every cache (tests inject a fake one). */
        public Builder ticker(Ticker value) {
            this.ticker = Objects.requireNonNull(value, "ticker");
            return this;
        }

        /** Where refreshes and cache maintenance run. Default: {@code ForkJoinPool.commonPool()}. */
        public Builder executor(Executor value) {
            this.executor = Objects.requireNonNull(value, "executor");
            return this;
        }

        /** The tier behind tasks with {@code @Cached(shared = true)}, usually a {@link RedisSharedTier}. */
        public Builder sharedTier(SharedTier value) {
            this.shared = Objects.requireNonNull(value, "sharedTier");
            return this;
        }

        /**
         * Logs every cache's statistics when the JVM exits (a shutdown hook), e.g. when a consumer
         * started by {@code ConsumerMain} is stopped with SIGTERM.
         */
        public Builder logStatsOnExit() {
            this.logStatsOnExit = true;
            return this;
        }

        /** Builds the caches; give them to {@code Louie.builder(...).interceptor(...)}. */
        public TaskCaches build() {
            return new TaskCaches(this);
        }
    }
}
