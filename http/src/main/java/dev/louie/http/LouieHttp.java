package dev.louie.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpServer;
import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Louie's tasks and models as an HTTP API, on the JDK's HTTP server.
 *
 * <pre>{@code
 * try (LouieHttp http = LouieHttp.builder(louie)
 *         .tasks("predict")                                   // which tasks are exposed (default: none)
 *         .model("classifier", batchedModel)                  // optional: a BatchedModel, by name
 *         .authenticator(ApiKeys.of(Map.of(key, Scope.ALL, readKey, Scope.READ)))
 *         .port(8080)
 *         .start()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Endpoints: {@code POST /api/v1/tasks/{task}}, {@code GET} and {@code DELETE /api/v1/results/{id}},
 * {@code POST /api/v1/models/{model}/predict}, {@code GET /openapi.json} (OpenAPI 3.1, made at start
 * from the tasks' parameter and return types and the models' tensors), {@code GET /docs} (Swagger UI),
 * {@code GET /health/live}, {@code GET /health/ready}, and with {@link Builder#dashboard(boolean)}
 * {@code GET /dashboard}; errors are RFC 9457 problems (see
 * docs/http.md). The server sets {@code TCP_NODELAY} ({@code sun.net.httpserver.nodelay}, unless the
 * JVM was started with a value for it), keeps up to 10,000 idle keep-alive connections open
 * ({@code sun.net.httpserver.maxIdleConnections}, likewise), serves on a bounded pool of platform
 * threads, and listens with a large backlog. {@link #stop(Duration)} stops gracefully: new requests get 503, requests in
 * flight finish within the grace period, then the port closes.
 */
public final class LouieHttp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LouieHttp.class);

    static {
        // read once by the JDK server's configuration when the first server of the JVM is made:
        // without it every response waits for the client's delayed ACK (~40 ms)
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // the JDK server closes keep-alive connections beyond 200 idle ones (default): with more
        // clients than that, those that are between two requests would see their connection reset
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "10000");
        }
    }

    private final HttpConfig config;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Dispatcher dispatcher;
    private final Health health;
    /** The dashboard's history, a listener of the Louie while the server runs; null without the dashboard. */
    private DashboardHistory history;
    private boolean stopped;

    private LouieHttp(HttpConfig config, DashboardConfig dashboard, ObjectMapper mapper, ObjectMapper strict) throws IOException {
        this.config = config;
        PendingMarks marks = new PendingMarks(config.louie().storage(), config.pendingTtl());
        TaskEndpoints tasks = new TaskEndpoints(config, marks, strict, ArgumentCheck.find());
        ResultEndpoints results = new ResultEndpoints(config, marks);
        this.health = new Health(config);
        ModelEndpoints models = config.models().isEmpty() ? null : new ModelEndpoints(config, strict);
        ApiDocs docs = new ApiDocs(OpenApiDocument.build(config, mapper, models));
        Scope healthScope = config.healthRequiresAuth() ? Scope.READ : null;
        Scope docsScope = config.docsRequireAuth() ? Scope.READ : null;
        List<Route> routes = new ArrayList<>();
        routes.add(new Route("POST", "/api/v1/tasks/{task}", Scope.ALL, tasks::post));
        routes.add(new Route("GET", "/api/v1/results/{id}", Scope.READ, results::get));
        routes.add(new Route("DELETE", "/api/v1/results/{id}", Scope.ALL, results::delete));
        routes.add(new Route("POST", "/api/v1/models/{model}/predict", Scope.ALL, models == null ? LouieHttp::noModels : models::predict));
        routes.add(new Route("GET", "/health/live", healthScope, health::live));
        routes.add(new Route("GET", "/health/ready", healthScope, health::ready));
        routes.add(new Route("GET", "/openapi.json", docsScope, docs::openApi));
        routes.add(new Route("GET", "/docs", docsScope, docs::page));
        routes.add(new Route("GET", "/docs/{file}", docsScope, docs::file));
        if (config.metrics() != null) {
            routes.add(new Route("GET", "/metrics", Scope.READ, new MetricsEndpoint(config.metrics())::scrape));
        }
        if (dashboard.enabled()) {
            history = new DashboardHistory(java.time.Clock.systemUTC());
            config.louie().addListener(history);
            routes.addAll(new Dashboard(config.louie(), dashboard, history, java.time.Clock.systemUTC(), mapper).routes());
        }
        this.dispatcher = new Dispatcher(config, mapper, routes);
        this.executor = config.virtualThreads() ? virtualThreadPerRequest() : platformThreads(config.threads());
        this.server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), config.backlog());
        server.createContext("/", dispatcher);
        server.setExecutor(executor);
        server.start();
        log.info("louie-http listening on {}: tasks {}, models {}, authenticator {}, {}, backlog {}, body limit {} bytes, TCP_NODELAY {}",
                uri(), config.tasks().keySet(), config.models().keySet(), config.authenticator(),
                config.virtualThreads() ? "a virtual thread per request" : config.threads() + " threads", config.backlog(), config.maxBodyBytes(),
                System.getProperty("sun.net.httpserver.nodelay"));
    }

    private static ExecutorService platformThreads(int threads) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "louie-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Java 21's {@code Executors.newVirtualThreadPerTaskExecutor()}, found at run time (this module compiles for Java 17). */
    private static ExecutorService virtualThreadPerRequest() {
        try {
            return (ExecutorService) java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtualThreads: this JVM has no virtual threads: " + e, e);
        }
    }

    /** The model endpoint of a server without models: names no ONNX type, so none is loaded. */
    private static void noModels(Exchange ex, List<String> vars) {
        throw ProblemException.notFound("unknown-model", "no model named '" + vars.get(0) + "' is served here (none is)");
    }

    /** Starts configuring an API for {@code louie}'s tasks. */
    public static Builder builder(Louie louie) {
        return new Builder(Objects.requireNonNull(louie, "louie"));
    }

    /** The port the server listens on (the one chosen when {@link Builder#port(int)} was 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The server's base address, e.g. {@code http://127.0.0.1:8080}. */
    public URI uri() {
        String host = server.getAddress().getAddress().isAnyLocalAddress() ? "localhost" : server.getAddress().getHostString();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    /**
     * Stops gracefully: new requests are answered 503 with {@code Retry-After} (and
     * {@code Connection: close}), requests in flight (a {@code ?wait=} included) may finish within
     * {@code grace}; then the port closes and the threads end. Returns whether every request
     * finished in time. Tasks already enqueued stay in the queue. Idempotent.
     */
    public synchronized boolean stop(Duration grace) {
        if (stopped) {
            return true;
        }
        stopped = true;
        boolean drained;
        try {
            drained = dispatcher.drain(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        server.stop(0);
        executor.shutdownNow();
        health.close();
        if (history != null) {
            config.louie().removeListener(history);
        }
        log.info("louie-http on port {} stopped{}", port(), drained ? "" : " (some requests were still running after " + grace + ")");
        return drained;
    }

    /** The first step of {@link #stop(Duration)} alone: new requests get 503 from now on (tests). */
    void beginStop() {
        dispatcher.beginStop();
    }

    /** {@link #stop(Duration)} with the configured {@link Builder#stopGrace(Duration) grace}. */
    @Override
    public void close() {
        stop(config.stopGrace());
    }

    @Override
    public String toString() {
        return "LouieHttp[" + uri() + ", tasks " + config.tasks().keySet() + ", models " + config.models().keySet() + "]";
    }

    static ObjectMapper responseMapper() {
        return JsonMapper.builder().findAndAddModules()
                .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }

    /**
     * Decodes arguments strictly: no coercion of scalars ("1" is not an int, 1 is not a string), no
     * null for primitives, no trailing data.
     */
    static ObjectMapper strictMapper() {
        return JsonMapper.builder().findAndAddModules()
                // tensors arrive as long arrays of numbers: the fast parser (same results) decodes them in about half the time
                .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .build();
    }

    /**
     * Options of a {@link LouieHttp}; {@link #start()} copies and checks them, so the builder may
     * be changed or reused afterwards without effect on the started server.
     */
    public static final class Builder {
        final Louie louie;
        final Set<String> tasks = new LinkedHashSet<>();
        /** Each a {@code BatchedModel}, held as Object so that loading the builder loads no ONNX type. */
        final Map<String, Object> models = new LinkedHashMap<>();
        Authenticator authenticator = Authenticator.none();
        boolean healthRequiresAuth;
        boolean docsRequireAuth;
        String host = "0.0.0.0";
        int port = 8080;
        int threads = 64;
        boolean virtualThreads;
        int backlog = 1024;
        long maxBodyBytes = 1 << 20;
        Duration maxWait = Duration.ofSeconds(30);
        Duration readyTimeout = Duration.ofSeconds(2);
        Consumer consumer;
        Duration retryAfter = Duration.ofSeconds(1);
        Duration pendingTtl = Duration.ofDays(1);
        Duration stopGrace = Duration.ofSeconds(10);
        boolean ignoreUnknownFields;
        long maxQueueDepth;
        java.util.function.Supplier<String> metrics;
        final Map<String, Integer> errorStatus = new LinkedHashMap<>();
        boolean dashboard;
        boolean dashboardReadOnly;
        boolean dashboardRemote;
        final Map<String, DashboardBatcher> dashboardBatchers = new LinkedHashMap<>();

        private Builder(Louie louie) {
            this.louie = louie;
        }

        /**
         * Exposes these registered tasks at {@code POST /api/v1/tasks/{name}} (default: none); requests
         * are checked against each task's declared parameter names and types before anything is
         * enqueued.
         */
        public Builder tasks(String... names) {
            tasks.addAll(Arrays.asList(names));
            return this;
        }

        /**
         * Serves {@code model} at {@code POST /api/v1/models/{name}/predict}: JSON tensors in and
         * out, one request per HTTP request through the model's batcher, so concurrent requests
         * share model runs. Needs {@code louie-inference-onnx} on the class path (an optional
         * dependency of this module). The model stays the caller's: stopping the server does not
         * close it.
         *
         * @param name the path segment, 1 to 64 of {@code A-Za-z0-9._-}
         */
        public Builder model(String name, dev.louie.onnx.BatchedModel model) {
            models.put(name, model);
            return this;
        }

        /** Who may call: {@link ApiKeys}, your own, or {@link Authenticator#none()} (the default: open). */
        public Builder authenticator(Authenticator value) {
            this.authenticator = value;
            return this;
        }

        /** Whether {@code /health/*} needs credentials too (scope READ); default false: open, for probes. */
        public Builder healthRequiresAuth(boolean value) {
            this.healthRequiresAuth = value;
            return this;
        }

        /**
         * Whether {@code /openapi.json} and {@code /docs} need credentials too (scope READ); default
         * false: open, so that a browser shows the docs (the document lists names and types, never data).
         */
        public Builder docsRequireAuth(boolean value) {
            this.docsRequireAuth = value;
            return this;
        }

        /** The address to listen on; default {@code 0.0.0.0} (every interface). */
        public Builder host(String value) {
            this.host = value;
            return this;
        }

        /** The port; 0 picks a free one (see {@link LouieHttp#port()}); default 8080. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /**
         * Platform threads that serve requests; a request with {@code ?wait=} holds one while it
         * waits. Default 64.
         */
        public Builder threads(int value) {
            this.threads = value;
            return this;
        }

        /**
         * Serves each request on its own virtual thread instead of the {@link #threads} pool, so that
         * a request waiting under {@code ?wait=} holds no platform thread; needs Java 21 or later
         * ({@link #start()} says so on an older JVM). Model calls still run on each batcher's own
         * threads: ONNX Runtime's native calls would pin a virtual thread. Default off.
         */
        public Builder virtualThreads(boolean value) {
            this.virtualThreads = value;
            return this;
        }

        /** Connections the OS queues before the server accepts them; default 1024. */
        public Builder backlog(int value) {
            this.backlog = value;
            return this;
        }

        /** Largest request body; larger ones get 413. Default 1 MiB. */
        public Builder maxBodySize(long bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        /** Longest {@code ?wait=} honoured; longer ones are cut to it. Default 30 s. */
        public Builder maxWait(Duration value) {
            this.maxWait = value;
            return this;
        }

        /** How long {@code /health/ready} waits for the storage; default 2 s. */
        public Builder readyTimeout(Duration value) {
            this.readyTimeout = value;
            return this;
        }

        /** A consumer whose running {@code /health/ready} checks (when it runs in this process). */
        public Builder consumer(Consumer value) {
            this.consumer = value;
            return this;
        }

        /** The {@code Retry-After} of 503 answers; default 1 s. */
        public Builder retryAfter(Duration value) {
            this.retryAfter = value;
            return this;
        }

        /**
         * How long the API remembers a task id it enqueued while no result is stored (see
         * docs/http.md, "unknown or pending"); default 1 day, as core's default result TTL.
         */
        public Builder pendingTtl(Duration value) {
            this.pendingTtl = value;
            return this;
        }

        /** The grace period of {@link LouieHttp#close()}; default 10 s. */
        public Builder stopGrace(Duration value) {
            this.stopGrace = value;
            return this;
        }

        /**
         * Serves {@code GET /metrics} in the Prometheus text format (version 0.0.4), with the body
         * {@code scrape} returns on each request, behind the authenticator (scope READ). With
         * louie-micrometer: {@code LouieMetrics.bind(louie, prometheus)} and
         * {@code .metrics(prometheus::scrape)}, where {@code prometheus} is a
         * {@code PrometheusMeterRegistry}. Default: no {@code /metrics} (404).
         */
        public Builder metrics(java.util.function.Supplier<String> scrape) {
            this.metrics = Objects.requireNonNull(scrape, "scrape");
            return this;
        }

        /**
         * Back-pressure: {@code POST /api/v1/tasks/{task}} answers 503 with {@code Retry-After}
         * while the task's queue holds this many ready messages or more (read with
         * {@code StorageInspection.queueSize}, one storage read per request). Default 0: no limit.
         * Needs a storage that implements {@code StorageInspection}.
         */
        public Builder maxQueueDepth(long messages) {
            this.maxQueueDepth = messages;
            return this;
        }

        /** Whether unknown fields of a JSON object of parameters are ignored instead of refused (400); default false. */
        public Builder ignoreUnknownFields(boolean value) {
            this.ignoreUnknownFields = value;
            return this;
        }

        /**
         * The status of {@code POST …?wait=} when the task failed with {@code type} (by class
         * name, as recorded where the task ran); default 500.
         */
        public Builder errorStatus(Class<? extends Throwable> type, int status) {
            errorStatus.put(type.getName(), status);
            return this;
        }

        /**
         * Serves the dashboard at {@code /dashboard} (see docs/monitoring.md): queues, consumers,
         * the last hour per minute, per-task and per-batcher figures, with actions (revoke,
         * requeue, delete). Its data needs scope READ of the {@link #authenticator(Authenticator)
         * authenticator}, its actions scope ALL; only loopback clients are answered unless
         * {@link #dashboardRemote(boolean)}. Default false.
         */
        public Builder dashboard(boolean value) {
            this.dashboard = value;
            return this;
        }

        /** Whether the dashboard's actions are hidden and refused with 403; default false. */
        public Builder dashboardReadOnly(boolean value) {
            this.dashboardReadOnly = value;
            return this;
        }

        /** Whether the dashboard answers clients other than loopback ones; default false (others get 403). */
        public Builder dashboardRemote(boolean value) {
            this.dashboardRemote = value;
            return this;
        }

        /**
         * Shows {@code panel} (the listener of a {@code Batcher} or {@code BatchedModel}) on the
         * dashboard under {@code name}: batch sizes, queue wait and execution p50/p99, rejections.
         */
        public Builder dashboardBatcher(String name, DashboardBatcher panel) {
            dashboardBatchers.put(name, panel);
            return this;
        }

        /**
         * Checks the options, starts the server and returns it.
         *
         * @throws IllegalArgumentException listing every invalid option
         * @throws UncheckedIOException     when the port cannot be bound
         */
        public LouieHttp start() {
            ObjectMapper strict = strictMapper();
            HttpConfig config = HttpConfig.of(this, strict);
            DashboardConfig dashboardConfig = DashboardConfig.of(this);
            try {
                return new LouieHttp(config, dashboardConfig, responseMapper(), strict);
            } catch (IOException e) {
                throw new UncheckedIOException("LouieHttp: cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
            }
        }
    }
}
