package dev.louie.bench.cache;

import dev.louie.cache.Cached;
import dev.louie.cache.CacheStats;
import dev.louie.cache.LouieCache;
import dev.louie.cache.TaskCaches;
import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.Task;
import dev.louie.core.TaskInterceptor;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cache}: hit rate and throughput of a {@link LouieCache} (Caffeine, W-TinyLFU) against a
 * plain LRU ({@code LinkedHashMap} in access order) of the same size on the same key trace, then
 * the cost of a cached task call (what a worker does on a hit) against the round trip of an
 * uncached no-op task on the memory backend.
 */
@Command(name = "cache", mixinStandardHelpOptions = true,
        description = "Hit rate and ops/s of Caffeine vs an LRU baseline on one trace; cached task call vs uncached task round trip.")
public final class CacheCommand implements Callable<Integer> {

    @Option(names = "--keys", description = "Distinct keys in the trace (default: ${DEFAULT-VALUE}).")
    int keys = 100_000;

    @Option(names = "--ops", description = "Lookups in the trace (default: ${DEFAULT-VALUE}).")
    int ops = 2_000_000;

    @Option(names = "--dist", description = "zipf or uniform (default: ${DEFAULT-VALUE}).")
    String dist = "zipf";

    @Option(names = "--zipf-exponent", description = "Skew of the Zipf trace (default: ${DEFAULT-VALUE}).")
    double exponent = 0.9;

    @Option(names = "--size", description = "Entries each cache keeps (default: ${DEFAULT-VALUE}).")
    int size = 10_000;

    @Option(names = "--seed", description = "Trace seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--probes", description = "Uncached task round trips measured (default: ${DEFAULT-VALUE}).")
    int probes = 2_000;

    @Option(names = "--calls", description = "Cached task calls measured (default: ${DEFAULT-VALUE}).")
    int calls = 500_000;

    /** The tasks of the round-trip comparison. */
    public static final class BenchTasks {
        /** Uncached: returns its argument. */
        @Task
        public int noop(int i) {
            return i;
        }

        /** Cached: returns its argument, computed once per argument. */
        @Task
        @Cached(maxSize = 10_000)
        public int cachedNoop(int i) {
            return i;
        }
    }

    /** Runs the command on its own. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new CacheCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int[] trace = trace();
        System.out.printf(Locale.ROOT, "trace: %d lookups over %d keys, %s%s, cache size %d%n", ops, keys, dist,
                dist.equals("zipf") ? "(" + exponent + ")" : "", size);
        run("caffeine", trace, true);                  // warm-up of both code paths
        run("lru", trace, false);
        double[] caffeine = run("caffeine (W-TinyLFU)", trace, true);
        double[] lru = run("LinkedHashMap LRU", trace, false);

        double cachedUs = cachedCallMicros();
        double roundTripUs = uncachedRoundTripMicros();
        System.out.printf(Locale.ROOT, "cached task call (key + lookup, on a hit): %.3f us; uncached no-op task round trip (memory): %.1f us; %.0fx%n",
                cachedUs, roundTripUs, roundTripUs / cachedUs);
        System.out.printf(Locale.ROOT, "RESULT scenario=cache dist=%s keys=%d ops=%d size=%d hit_rate=%.4f ops_per_s=%.0f "
                        + "lru_hit_rate=%.4f lru_ops_per_s=%.0f cached_call_us=%.3f uncached_roundtrip_us=%.1f cached_speedup=%.0f%n",
                dist, keys, ops, size, caffeine[0], caffeine[1], lru[0], lru[1], cachedUs, roundTripUs, roundTripUs / cachedUs);
        return 0;
    }

    private int[] trace() {
        SplittableRandom random = new SplittableRandom(seed);
        int[] out = new int[ops];
        if (dist.equals("uniform")) {
            for (int i = 0; i < ops; i++) {
                out[i] = random.nextInt(keys);
            }
            return out;
        }
        if (!dist.equals("zipf")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--dist must be zipf or uniform, not " + dist);
        }
        double[] cdf = new double[keys];
        double sum = 0;
        for (int k = 0; k < keys; k++) {
            sum += 1.0 / Math.pow(k + 1, exponent);
            cdf[k] = sum;
        }
        int[] rankToKey = new int[keys];   // popularity unrelated to the key's value
        for (int k = 0; k < keys; k++) {
            rankToKey[k] = k;
        }
        for (int k = keys - 1; k > 0; k--) {
            int j = random.nextInt(k + 1);
            int t = rankToKey[k];
            rankToKey[k] = rankToKey[j];
            rankToKey[j] = t;
        }
        for (int i = 0; i < ops; i++) {
            int rank = Arrays.binarySearch(cdf, random.nextDouble() * sum);
            out[i] = rankToKey[rank < 0 ? Math.min(-rank - 1, keys - 1) : rank];
        }
        return out;
    }

    /** Returns {hit rate, ops/s}. */
    private double[] run(String label, int[] trace, boolean caffeine) {
        Integer[] boxed = new Integer[keys];
        for (int k = 0; k < keys; k++) {
            boxed[k] = k;
        }
        long hits;
        long start = System.nanoTime();
        if (caffeine) {
            LouieCache<Integer, Integer> cache = LouieCache.<Integer, Integer>builder("bench").maxSize(size).build();
            for (int key : trace) {
                cache.get(boxed[key], k -> k);
            }
            long took = System.nanoTime() - start;
            CacheStats s = cache.stats();
            hits = s.hits();
            return report(label, hits, took);
        }
        Lru<Integer, Integer> lru = new Lru<>(size);
        hits = 0;
        for (int key : trace) {
            Integer v = lru.get(boxed[key]);
            if (v == null) {
                lru.put(boxed[key], boxed[key]);
            } else {
                hits++;
            }
        }
        return report(label, hits, System.nanoTime() - start);
    }

    private double[] report(String label, long hits, long nanos) {
        double rate = (double) hits / ops;
        double perSecond = ops / (nanos / 1e9);
        System.out.printf(Locale.ROOT, "%-22s hit rate %.4f, %,.0f ops/s%n", label, rate, perSecond);
        return new double[] {rate, perSecond};
    }

    /** The LRU baseline: a LinkedHashMap in access order that drops its eldest entry past the size. */
    private static final class Lru<K, V> extends LinkedHashMap<K, V> {
        private static final long serialVersionUID = 1L;
        private final int max;

        Lru(int max) {
            super(max * 2, 0.75f, true);
            this.max = max;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > max;
        }
    }

    /** What a worker runs on a hit: the TaskCaches invoker of a @Cached task (key JSON + Caffeine lookup). */
    private double cachedCallMicros() throws Exception {
        TaskCaches caches = TaskCaches.create();
        TaskInterceptor.TaskInfo info = new TaskInterceptor.TaskInfo("bench", "BenchTasks.cachedNoop",
                BenchTasks.class.getMethod("cachedNoop", int.class), int.class, true);
        BenchTasks tasks = new BenchTasks();
        TaskInterceptor.Invoker invoker = caches.intercept(info, args -> tasks.cachedNoop((Integer) args[0]));
        Object[][] args = new Object[100][];
        for (int i = 0; i < args.length; i++) {
            args[i] = new Object[] {i};
        }
        long sink = 0;
        for (int round = 0; round < 2; round++) {           // first round warms up
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                sink += (Integer) invokeUnchecked(invoker, args[i % args.length]);
            }
            long took = System.nanoTime() - start;
            if (round == 1) {
                if (sink == 42) {
                    System.out.println();
                }
                return took / 1e3 / calls;
            }
        }
        throw new IllegalStateException();
    }

    private static Object invokeUnchecked(TaskInterceptor.Invoker invoker, Object[] args) throws Exception {
        try {
            return invoker.invoke(args);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Enqueue → blocking get of an uncached no-op task on the memory backend with one idle worker. */
    @SuppressWarnings("try")
    private double uncachedRoundTripMicros() {
        try (Louie louie = Louie.builder("bench-cache").register(new BenchTasks()).build();
             Consumer consumer = louie.consumer().workers(1).pollInterval(Duration.ofMillis(10)).start()) {
            for (int i = 0; i < Math.min(500, probes); i++) {
                louie.enqueue(BenchTasks::noop, i).get(Duration.ofSeconds(10));
            }
            long start = System.nanoTime();
            for (int i = 0; i < probes; i++) {
                louie.enqueue(BenchTasks::noop, i).get(Duration.ofSeconds(10));
            }
            return (System.nanoTime() - start) / 1e3 / probes;
        }
    }
}
