package dev.louie.examples;

import dev.louie.batching.BatchPolicy;
import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.storage.Storage;
import dev.louie.http.ApiKeys;
import dev.louie.http.Authenticator;
import dev.louie.http.DashboardBatcher;
import dev.louie.http.LouieHttp;
import dev.louie.http.Scope;
import dev.louie.onnx.BatchedModel;
import dev.louie.onnx.OnnxModel;
import dev.louie.redis.RedisStorage;
import dev.louie.sqlite.SqliteStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The classic model service (an HTTP API in front, tasks on a queue, a batched model behind it) in
 * one process: the {@code predict(name)} task ({@link ServingTasks}), a batched ONNX classifier at
 * {@code /api/v1/models/classifier/predict}, the health endpoints, {@code /openapi.json},
 * {@code /docs} and the live dashboard at {@code /dashboard} (for clients on this machine, with the
 * classifier's batcher panel); on SQLite by default or Redis with {@code --redis URI}.
 *
 * <pre>
 * java -cp examples/target/louie-examples.jar dev.louie.examples.ServingApp --port 8080 \
 *     [--api-key KEY] [--read-only-key KEY2] [--redis redis://localhost:6379] [--no-consumer]
 * </pre>
 *
 * <p>By default it also runs a consumer; {@code --no-consumer} serves the API only, for a deployment
 * with separate consumer processes. With {@code --api-key} every {@code /api/**} call needs a key,
 * and a {@code --read-only-key} may only read results. It logs to {@code logs/louie.log}, rolled
 * daily and kept 7 days (the examples' logback.xml). Without {@code --model} it serves a generated
 * classifier of 64 inputs to 4 classes whose answer is known by construction: the class is the
 * 16-feature block with the largest mean (see {@code BlockClassifier}).
 */
@Command(name = "serving-app", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serves the predict task and a batched ONNX classifier over HTTP.")
public final class ServingApp implements Callable<Integer>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServingApp.class);

    @Option(names = "--port", defaultValue = "8080", description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--api-key", paramLabel = "KEY", description = "Every /api/** call needs this key or the read-only one.")
    String apiKey;

    @Option(names = "--read-only-key", paramLabel = "KEY", description = "A key that may only read results (needs --api-key).")
    String readOnlyKey;

    @Option(names = "--redis", paramLabel = "URI", description = "Redis instead of SQLite, e.g. redis://localhost:6379.")
    String redis;

    @Option(names = "--db", paramLabel = "FILE", defaultValue = "louie.db", description = "The SQLite file (default: ${DEFAULT-VALUE}).")
    Path db;

    @Option(names = "--no-consumer", description = "Serve the API only; consumers run in other processes.")
    boolean noConsumer;

    @Option(names = "--model", paramLabel = "FILE", description = "An ONNX classifier with input x [batch, 64] and output probabilities.")
    Path modelFile;

    private OnnxModel model;
    private BatchedModel classifier;
    private final DashboardBatcher panel = new DashboardBatcher();
    private Louie louie;
    private Consumer consumer;
    private LouieHttp http;
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Parses {@code args}; call {@link #start()} next. */
    public static ServingApp parse(String... args) {
        ServingApp app = new ServingApp();
        new CommandLine(app).parseArgs(args);
        return app;
    }

    /**
     * Opens the storage, the model and its batcher, the consumer (unless {@code --no-consumer}) and
     * the HTTP server.
     *
     * @throws IllegalArgumentException for a read-only key without an API key
     */
    public ServingApp start() {
        if (readOnlyKey != null && apiKey == null) {
            throw new IllegalArgumentException("--read-only-key needs --api-key too: without it the API is open to anyone");
        }
        model = modelFile != null ? OnnxModel.load(modelFile) : OnnxModel.load(BlockClassifier.onnx());
        classifier = BatchedModel.builder(model).name("classifier").policy(BatchPolicy.aimd(Duration.ofMillis(20)))
                .concurrency(2).maxQueueSize(4096).listener(panel).build();
        Storage storage = redis != null ? RedisStorage.builder(redis).build() : SqliteStorage.file(db);
        louie = Louie.builder("serving-app").storage(storage).register(new ServingTasks(classifier)).build();
        if (!noConsumer) {
            consumer = louie.consumer().workers(4).start();
        }
        LouieHttp.Builder b = LouieHttp.builder(louie).host(host).port(port).tasks("predict").model("classifier", classifier)
                .authenticator(authenticator()).dashboard(true).dashboardBatcher("classifier", panel);
        if (consumer != null) {
            b.consumer(consumer);
        }
        http = b.start();
        log.info("serving-app on {} ({}, {}): docs at {}/docs, dashboard at {}/dashboard", http.uri(), storage,
                consumer == null ? "no consumer" : "consumer with 4 workers", http.uri(), http.uri());
        return this;
    }

    private Authenticator authenticator() {
        if (apiKey == null) {
            return Authenticator.none();
        }
        Map<String, Scope> keys = new LinkedHashMap<>();
        keys.put(apiKey, Scope.ALL);
        if (readOnlyKey != null) {
            keys.put(readOnlyKey, Scope.READ);
        }
        return ApiKeys.of(keys);
    }

    /** The running server (after {@link #start()}). */
    public LouieHttp http() {
        return http;
    }

    /** Stops the server (in-flight requests may finish), the consumer, the batcher and the model. */
    @Override
    public void close() {
        try {
            if (http != null) {
                http.stop(Duration.ofSeconds(10));
            }
            if (consumer != null) {
                consumer.stop(Duration.ofSeconds(10));
            }
            if (louie != null) {
                louie.close();
            }
            if (classifier != null) {
                classifier.close();
            }
            if (model != null) {
                model.close();
            }
        } finally {
            stopped.countDown();
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "serving-app-stop"));
        System.out.println("serving on " + http.uri() + " — docs at " + http.uri() + "/docs; Ctrl-C stops");
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ServingApp()).execute(args));
    }
}
