package dev.louie.bench.http;

import dev.louie.batching.BatchPolicy;
import dev.louie.core.Consumer;
import dev.louie.core.Durations;
import dev.louie.core.Louie;
import dev.louie.core.storage.MemoryStorage;
import dev.louie.core.storage.Storage;
import dev.louie.http.LouieHttp;
import dev.louie.onnx.BatchedModel;
import dev.louie.onnx.OnnxFileWriter;
import dev.louie.onnx.OnnxModel;
import dev.louie.onnx.OnnxOptions;
import dev.louie.onnx.Tensor;
import dev.louie.sqlite.SqliteStorage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code louie-bench http --target predict|task}: starts {@link LouieHttp} in this process on
 * loopback and drives it with closed-loop clients over keep-alive HTTP/1.1 ({@code POST
 * /api/v1/models/m/predict} with one row, or {@code POST /api/v1/tasks/add?wait=10s}), then runs
 * the same work in-process with as many client threads ({@code BatchedModel.predict}, or {@code
 * enqueue} + {@code get}), and prints both and their ratio. Clients and server share the machine's
 * cores, so on a small machine the clients bound the HTTP figure too. {@code --serve} only serves,
 * for an outside load generator such as wrk.
 */
@Command(name = "http", mixinStandardHelpOptions = true,
        description = "LouieHttp over keep-alive HTTP on loopback vs. the same work in-process.")
public final class HttpCommand implements Callable<Integer> {

    @Option(names = "--target", required = true, description = "predict (a batched ONNX MLP) or task (enqueue and wait)")
    String target;

    @Option(names = "--clients", defaultValue = "64", description = "closed-loop clients, one connection each (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--duration", defaultValue = "20s", description = "measured time of each phase (default: ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--warmup", defaultValue = "3s", description = "unmeasured time before each phase (default: ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--mlp", defaultValue = "64x128x4", description = "layer widths of the generated MLP (default: ${DEFAULT-VALUE})")
    String mlp;

    @Option(names = "--slo-ms", defaultValue = "20", description = "the batcher's AIMD latency SLO (default: ${DEFAULT-VALUE})")
    long sloMs;

    @Option(names = "--concurrency", defaultValue = "0", description = "batches in flight (default 0 = number of cores)")
    int concurrency;

    @Option(names = "--threads", defaultValue = "0",
            description = "the server's request threads (default 0 = 64, or the clients for the task target, whose requests wait)")
    int threads;

    @Option(names = "--backend", defaultValue = "memory", description = "task storage: memory or sqlite (default: ${DEFAULT-VALUE})")
    String backend;

    @Option(names = "--workers", defaultValue = "4", description = "consumer workers for the task target (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--port", defaultValue = "0", description = "the server's port (default: any free one)")
    int port;

    @Option(names = "--serve", description = "only serve, for this long (e.g. 60s), printing the URL and a request body; no load")
    String serve;

    @Option(names = "--skip-inprocess", description = "skip the in-process phase")
    boolean skipInProcess;

    @Override
    public Integer call() throws Exception {
        boolean predict = switch (target.toLowerCase(Locale.ROOT)) {
            case "predict" -> true;
            case "task" -> false;
            default -> throw new IllegalArgumentException("--target must be predict or task, not " + target);
        };
        if (clients < 1) {
            throw new IllegalArgumentException("--clients must be 1 or more, not " + clients);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int inFlight = concurrency > 0 ? concurrency : cores;
        int[] widths = Arrays.stream(mlp.split("x")).mapToInt(Integer::parseInt).toArray();
        long warmNanos = Durations.parse(warmup).toNanos();
        long runNanos = Durations.parse(duration).toNanos();
        Path dir = Files.createTempDirectory("louie-bench-http");
        StringBuilder result = new StringBuilder("RESULT");
        OnnxOptions options = OnnxOptions.builder().intraOpThreads(1).sessionConfig("session.intra_op.allow_spinning", "0").build();
        try (OnnxModel onnx = OnnxModel.load(OnnxFileWriter.mlp(1, widths), options);
                BatchedModel model = BatchedModel.builder(onnx).name("bench").policy(BatchPolicy.aimd(Duration.ofMillis(sloMs)))
                        .concurrency(inFlight).maxQueueSize(Math.max(4096, clients * 4)).build();
                Louie louie = Louie.builder("bench-http").storage(storage(dir)).register(new BenchTasks()).build()) {
            Consumer consumer = predict ? null : louie.consumer().workers(workers).start();
            int serverThreads = threads > 0 ? threads : predict ? 64 : Math.max(64, clients + 8);
            byte[] body = predict ? predictBody(widths[0]) : "[20,22]".getBytes(StandardCharsets.UTF_8);
            String path = predict ? "/api/v1/models/m/predict" : "/api/v1/tasks/add?wait=10s";
            try (LouieHttp http = LouieHttp.builder(louie).host("127.0.0.1").port(port).threads(serverThreads)
                    .tasks("add").model("m", model).start()) {
                InetSocketAddress address = new InetSocketAddress("127.0.0.1", http.port());
                if (serve != null) {
                    System.out.println("serving " + http.uri() + path + " for " + serve + "; body: " + new String(body, StandardCharsets.UTF_8));
                    Files.write(dir.resolve("body.json"), body);
                    System.out.println("body file: " + dir.resolve("body.json"));
                    TimeUnit.NANOSECONDS.sleep(Durations.parse(serve).toNanos());
                    return 0;
                }
                System.out.printf("http: target=%s clients=%d server threads=%d warm-up %.1fs, measuring %.1fs%n",
                        target, clients, serverThreads, warmNanos / 1e9, runNanos / 1e9);
                ClosedLoop.Outcome overHttp = ClosedLoop.run(clients, c -> new KeepAliveConnection(address, path, body), 200,
                        warmNanos, runNanos);
                print("http", overHttp);
                ClosedLoop.Outcome inProcess = null;
                if (!skipInProcess) {
                    Tensor row = Tensor.of(features(widths[0], 7), 1, widths[0]);
                    System.out.printf("in-process: %s with %d client threads%n", predict ? "BatchedModel.predict" : "enqueue + get", clients);
                    inProcess = ClosedLoop.run(clients, c -> predict
                            ? () -> {
                                model.predict(Map.of("x", row)).get(10, TimeUnit.SECONDS);
                                return 200;
                            }
                            : () -> {
                                Object v = louie.enqueue("add", 20, 22).get(Duration.ofSeconds(10));
                                return ((Number) v).intValue() == 42 ? 200 : 500;
                            }, 200, warmNanos, runNanos);
                    print("in-process", inProcess);
                }
                result.append(" target=").append(target)
                        .append(String.format(Locale.ROOT, " throughput_per_s=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d",
                                overHttp.perSecond(), overHttp.p50Ms(), overHttp.p99Ms(), overHttp.errors()));
                if (inProcess != null) {
                    result.append(String.format(Locale.ROOT, " inprocess_per_s=%.1f inprocess_p99_ms=%.2f ratio=%.3f",
                            inProcess.perSecond(), inProcess.p99Ms(), overHttp.perSecond() / inProcess.perSecond()));
                }
                result.append(" clients=").append(clients).append(" server_threads=").append(serverThreads)
                        .append(" cores=").append(cores);
                if (predict) {
                    result.append(" model=mlp").append(mlp).append(" mean_batch=")
                            .append(String.format(Locale.ROOT, "%.2f", model.stats().meanBatchRequests()));
                } else {
                    result.append(" backend=").append(backend).append(" workers=").append(workers);
                }
            } finally {
                if (consumer != null) {
                    consumer.stop(Duration.ofSeconds(10));
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.println(result); // the last line, after the server and consumer logged their stop
        return 0;
    }

    private Storage storage(Path dir) {
        return switch (backend.toLowerCase(Locale.ROOT)) {
            case "memory" -> new MemoryStorage();
            case "sqlite" -> SqliteStorage.file(dir.resolve("bench.db"));
            default -> throw new IllegalArgumentException("--backend must be memory or sqlite, not " + backend);
        };
    }

    private static void print(String phase, ClosedLoop.Outcome o) {
        System.out.printf(Locale.ROOT, "%s: %.1f/s, p50 %.2f ms, p99 %.2f ms, max %.1f ms, %d requests, %d errors%s%n", phase,
                o.perSecond(), o.p50Ms(), o.p99Ms(), o.maxMs(), o.requests(), o.errors(),
                o.firstError() == null ? "" : " (first: " + o.firstError() + ")");
    }

    /** One row of {@code width} features as the JSON body of a predict request. */
    static byte[] predictBody(int width) {
        StringBuilder sb = new StringBuilder("{\"x\":{\"shape\":[1,").append(width).append("],\"data\":[");
        float[] f = features(width, 7);
        for (int i = 0; i < width; i++) {
            sb.append(i == 0 ? "" : ",").append(f[i]);
        }
        return sb.append("]}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static float[] features(int width, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] f = new float[width];
        for (int i = 0; i < width; i++) {
            f[i] = (float) Math.round(random.nextDouble() * 1000) / 1000f;
        }
        return f;
    }
}
