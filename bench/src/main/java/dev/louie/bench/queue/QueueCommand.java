package dev.louie.bench.queue;

import dev.louie.bench.redis.LocalRedisCluster;
import dev.louie.bench.redis.RedisCeiling;
import dev.louie.bench.sqlite.SqliteCeiling;
import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.Result;
import dev.louie.core.Task;
import dev.louie.core.storage.MemoryStorage;
import dev.louie.core.storage.Storage;
import dev.louie.redis.RedisStorage;
import dev.louie.sqlite.SqliteStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code queue}: enqueue rate from one producer (blocking, then {@code enqueueAsync}), from 16
 * blocking producer threads, drain rate of pre-enqueued no-op tasks by one consumer, and the round
 * trip of single enqueue → blocking get probes on an idle consumer.
 */
@Command(name = "queue", mixinStandardHelpOptions = true,
        description = "Enqueue rate, drain rate and round-trip latency of no-op tasks on a storage backend.")
public final class QueueCommand implements Callable<Integer> {

    @Option(names = "--backend", description = "memory, sqlite, redis or redis-cluster (default: ${DEFAULT-VALUE}).")
    String backend = "memory";

    @Option(names = "--tasks", description = "Tasks enqueued and drained (default: ${DEFAULT-VALUE}).")
    int tasks = 20_000;

    @Option(names = "--workers", description = "Consumer workers (default: ${DEFAULT-VALUE}).")
    int workers = 4;

    @Option(names = "--prefetch", description = "Most messages a worker takes per storage call (default: the consumer's).")
    Integer prefetch;

    @Option(names = "--probes", description = "Round-trip probes (default: ${DEFAULT-VALUE}).")
    int probes = 500;

    @Option(names = "--redis-uri", description = "Redis for --backend redis (default: redis://127.0.0.1:6379); for"
            + " --backend redis-cluster redis-cluster://host:port,host:port,... (default: a local cluster of three masters"
            + " started for the run, redis-server and redis-cli from the PATH).")
    String redisUri;

    @Option(names = "--dir", description = "Directory for the SQLite file (default: a temporary directory, deleted after).")
    Path dir;

    @Option(names = "--no-ceiling", description = "Skip measuring the backend's ceiling.")
    boolean noCeiling;

    @Option(names = "--route", description = "Also measure publishing through an exchange of this type (direct, topic"
            + " or fanout) beside plain enqueue, in alternating blocks of the same run.")
    String route;

    @Option(names = "--bindings", description = "Bindings of the --route exchange; one matches (default: ${DEFAULT-VALUE}).")
    int bindings = 10;

    /** The no-op task the benchmark runs. */
    public static final class NoopTasks {
        /** Does nothing and returns its argument. */
        @Task
        public int noop(int i) {
            return i;
        }
    }

    @Override
    public Integer call() throws Exception {
        Path workDir = dir != null ? dir : Files.createTempDirectory("louie-bench");
        LocalRedisCluster local = null;
        try {
            if (backend.equals("redis-cluster") && redisUri == null) {
                local = LocalRedisCluster.start(3);
                redisUri = local.uri();
                System.out.println("started a local Redis Cluster: " + redisUri);
            } else if (backend.equals("redis-cluster") && !redisUri.contains("cluster://")) {
                redisUri = "redis-cluster://" + redisUri.replace("redis://", ""); // a comma-separated list of nodes
            } else if (redisUri == null) {
                redisUri = "redis://127.0.0.1:6379";
            }
            return run(workDir);
        } finally {
            if (local != null) {
                local.close();
            }
            if (dir == null) {
                try (Stream<Path> files = Files.walk(workDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private Storage storage(Path workDir, String app) {
        return switch (backend) {
            case "memory" -> new MemoryStorage();
            case "sqlite" -> SqliteStorage.file(workDir.resolve(app + ".db"));
            // namespace: the application name Louie attaches
            case "redis", "redis-cluster" -> RedisStorage.forUri(redisUri).build();
            default -> throw new IllegalArgumentException("--backend must be memory, sqlite, redis or redis-cluster, not " + backend);
        };
    }

    private int run(Path workDir) throws Exception {
        int fetch = prefetch != null ? prefetch : 16;
        System.out.printf(Locale.ROOT, "queue benchmark: backend=%s tasks=%d workers=%d prefetch=%d cores=%d java=%s%n",
                backend, tasks, workers, fetch, Runtime.getRuntime().availableProcessors(), Runtime.version());
        String app = "bench" + ProcessHandle.current().pid();
        double enqueuePerS;
        double enqueueAsyncPerS;
        double enqueueThreadsPerS;
        double drainPerS;
        Histogram rtt = new Histogram(3_600_000_000L, 3);
        String routing = "";
        try (Louie louie = Louie.builder(app).storage(storage(workDir, app)).register(new NoopTasks()).build()) {
            louie.storage().flush();
            // warm-up: a few hundred round trips through a consumer
            try (Consumer c = louie.consumer().workers(workers).prefetch(fetch).start()) {
                for (int i = 0; i < 300; i++) {
                    louie.enqueue(NoopTasks::noop, i).get(Duration.ofSeconds(30));
                }
            }
            louie.storage().flush();

            long t0 = System.nanoTime();
            for (int i = 0; i < tasks; i++) {
                louie.enqueue(NoopTasks::noop, i);
            }
            enqueuePerS = tasks / seconds(t0);
            System.out.printf(Locale.ROOT, "enqueue: %d tasks from one thread at %.0f/s%n", tasks, enqueuePerS);

            long t1 = System.nanoTime();
            try (Consumer c = louie.consumer().workers(workers).prefetch(fetch).pollInterval(Duration.ofMillis(5)).start()) {
                // the consumer counts a task once its result is stored: polling that costs no storage work
                while (c.stats().completed() < tasks) {
                    Thread.sleep(1);
                }
                drainPerS = tasks / seconds(t1);
                System.out.printf(Locale.ROOT, "drain: %d tasks by %d workers at %.0f/s (%s)%n", tasks, workers, drainPerS, c.stats());

                for (int i = 0; i < probes; i++) {
                    long p = System.nanoTime();
                    Result<Integer> r = louie.enqueue(NoopTasks::noop, i);
                    r.get(Duration.ofSeconds(30));
                    rtt.recordValue((System.nanoTime() - p) / 1_000);
                }
            }
            louie.storage().flush();

            // the same enqueues without waiting for each: the storage shares round trips (commits)
            long t2 = System.nanoTime();
            List<CompletableFuture<Result<Integer>>> stored = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                stored.add(louie.call(NoopTasks::noop, i).enqueueAsync());
            }
            CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            enqueueAsyncPerS = tasks / seconds(t2);
            System.out.printf(Locale.ROOT, "enqueue async: %d tasks from one thread at %.0f/s%n", tasks, enqueueAsyncPerS);
            stored.clear();
            louie.storage().flush();

            // blocking enqueues from 16 threads at once
            int threads = 16;
            ExecutorService producers = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                long t3 = System.nanoTime();
                for (int t = 0; t < threads; t++) {
                    int from = t * (tasks / threads);
                    done.add(producers.submit(() -> {
                        for (int i = 0; i < tasks / threads; i++) {
                            louie.enqueue(NoopTasks::noop, from + i);
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get(5, TimeUnit.MINUTES);
                }
                enqueueThreadsPerS = (tasks / threads) * threads / seconds(t3);
            } finally {
                producers.shutdownNow();
            }
            System.out.printf(Locale.ROOT, "enqueue threads: %d tasks from %d threads at %.0f/s%n", tasks, threads, enqueueThreadsPerS);
            louie.storage().flush();
            if (route != null) {
                routing = RoutingMeasure.measure(louie, route, bindings, tasks, i -> louie.enqueue(NoopTasks::noop, i),
                        (i, key) -> louie.call(NoopTasks::noop, i).publish(RoutingMeasure.EXCHANGE, key));
                louie.storage().flush();
            }
        }
        double p50 = rtt.getValueAtPercentile(50) / 1000.0;
        double p99 = rtt.getValueAtPercentile(99) / 1000.0;
        System.out.printf(Locale.ROOT, "round trip: %d probes p50=%.3f ms p99=%.3f ms%n", probes, p50, p99);

        String ceiling = "";
        if (!noCeiling) {
            if (backend.equals("sqlite")) {
                double c = SqliteCeiling.ceilingPerSecond(tasks, workDir);
                System.out.printf(Locale.ROOT, "ceiling: plain JDBC insert+update+delete transactions at %.0f/s%n", c);
                ceiling = String.format(Locale.ROOT, " ceiling_per_s=%.0f", c);
            } else if (backend.equals("redis")) {
                double c = RedisCeiling.ceilingOpsPerSecond(redisUri, Math.max(tasks, 50_000));
                System.out.printf(Locale.ROOT, "ceiling: pipelined LPUSH+RPOP pairs at %.0f/s%n", c);
                ceiling = String.format(Locale.ROOT, " ceiling_ops_per_s=%.0f", c);
            }
        }
        System.out.printf(Locale.ROOT,
                "RESULT backend=%s tasks=%d workers=%d enqueue_per_s=%.0f enqueue_async_per_s=%.0f enqueue_threads_per_s=%.0f"
                        + " drain_per_s=%.0f rtt_p50_ms=%.3f rtt_p99_ms=%.3f%s%s%n",
                backend, tasks, workers, enqueuePerS, enqueueAsyncPerS, enqueueThreadsPerS, drainPerS, p50, p99, ceiling, routing);
        return 0;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
