package dev.louie.bench.onnx;

import dev.louie.batching.BatchPolicy;
import dev.louie.onnx.BatchedModel;
import dev.louie.onnx.Device;
import dev.louie.onnx.ElementType;
import dev.louie.onnx.OnnxFileWriter;
import dev.louie.onnx.OnnxModel;
import dev.louie.onnx.OnnxOptions;
import dev.louie.onnx.Tensor;
import dev.louie.onnx.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code louie-bench onnx}: closed-loop clients send batch-1 requests to a {@link BatchedModel} and
 * the run reports throughput, latency and mean batch size, next to the ceiling — raw {@link
 * OnnxModel#run} on pre-built batches of each size, from 1 up to as many calling threads as cores.
 */
@Command(name = "onnx", mixinStandardHelpOptions = true,
        description = "ONNX model behind the batcher vs. the raw ONNX Runtime ceiling.")
public final class OnnxCommand implements Callable<Integer> {

    @Option(names = "--model", description = "ONNX file with a dynamic batch axis (default: a generated MLP)")
    Path model;

    @Option(names = "--mlp", defaultValue = "256x1024x1024x10",
            description = "layer widths of the generated MLP when no --model is given (default: ${DEFAULT-VALUE})")
    String mlp;

    @Option(names = "--generate", defaultValue = "mlp",
            description = "model to generate when no --model is given: mlp (see --mlp); cnn, a conv classifier of"
                    + " [N,3,48,192] float32 images (110 KB a request); recurrent, a step whose state [2,N,256] is"
                    + " batched on axis 1 with a shared scalar 'scale' (default: ${DEFAULT-VALUE})")
    String generate;

    @Option(names = "--shape", description = "NAME=Nx3x48x192: an input's dims; a non-number marks the batch axis")
    Map<String, String> shapes = new LinkedHashMap<>();

    @Option(names = "--axis", description = "NAME=K: batch axis of an input or output (default 0)")
    Map<String, Integer> axes = new LinkedHashMap<>();

    @Option(names = "--shared", description = "NAME=VALUE: a shared input, filled with VALUE")
    Map<String, Double> shared = new LinkedHashMap<>();

    @Option(names = "--policy", defaultValue = "peak",
            description = "peak (BatchedModel's default, BatchPolicy.peakThroughput) | none | fixed | aimd | latency"
                    + " (default: ${DEFAULT-VALUE})")
    String policy;

    @Option(names = "--slo-ms", defaultValue = "50", description = "latency SLO of peak, aimd and latency (default: ${DEFAULT-VALUE})")
    long sloMs;

    @Option(names = "--max-batch", defaultValue = "64",
            description = "fixed policy's batch size and the ceiling's largest batch (default: ${DEFAULT-VALUE})")
    int maxBatch;

    @Option(names = "--fixed-delay-ms", defaultValue = "2", description = "fixed policy's delay (default: ${DEFAULT-VALUE})")
    long fixedDelayMs;

    @Option(names = "--clients", defaultValue = "0",
            description = "closed-loop clients, each with one request outstanding; 0 = --max-batch × cores, enough"
                    + " to fill the ceiling's largest configuration (fewer cannot reach it: see reachable_ratio)"
                    + " (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--duration", defaultValue = "20s", description = "measured time, e.g. 20s, 500ms, 1m")
    String duration;

    @Option(names = "--warmup", defaultValue = "3s", description = "unmeasured time before it (default: ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--concurrency", defaultValue = "0",
            description = "batches in flight (default 0 = number of cores)")
    int concurrency;

    @Option(names = "--intra-op-threads", defaultValue = "1",
            description = "ONNX Runtime intra-op threads per run; 0 = ONNX Runtime's default (default: ${DEFAULT-VALUE})")
    int intraOpThreads;

    @Option(names = "--spin", description = "let ONNX Runtime's intra-op threads spin while waiting for work"
            + " (ONNX Runtime's own default; the bench turns it off unless this is given)")
    boolean spin;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or cuda:ID (falls back to cpu)")
    String device;

    @Option(names = "--ceiling-seconds", defaultValue = "0.5",
            description = "time per ceiling configuration and round (default: ${DEFAULT-VALUE})")
    double ceilingSeconds;

    @Option(names = "--ceiling-rounds", defaultValue = "3",
            description = "rounds over all ceiling configurations; each configuration counts its median round,"
                    + " so a burst of noise in one round neither makes nor breaks the ceiling (default: ${DEFAULT-VALUE})")
    int ceilingRounds;

    @Option(names = "--client-mode", defaultValue = "async",
            description = "async: each client submits its next request from the previous one's completion, so no"
                    + " client thread competes with the model for cores; threads: one platform thread per client,"
                    + " blocking on its future (their CPU share is printed as client_cpu_share) (default: ${DEFAULT-VALUE})")
    String clientMode;

    @Option(names = "--plots", description = "write onnx-throughput.png and onnx-p99.png to this folder: none, fixed"
            + " and aimd at 1..--clients clients (short runs), then exit")
    Path plots;

    @Option(names = "--plot-seconds", defaultValue = "1.5", description = "measured time per plot point (default: ${DEFAULT-VALUE})")
    double plotSeconds;

    @Option(names = "--no-ceiling", description = "skip the ceiling measurement")
    boolean noCeiling;

    @Option(names = "--trace", description = "write every batch of the load run to this TSV file: when it ended,"
            + " its rows, its size limit, its execution time, and the size and in-flight limits the policy chose after it")
    Path trace;

    @Override
    public Integer call() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        int inFlight = concurrency > 0 ? concurrency : cores;
        if (clients <= 0) {
            clients = maxBatch * cores;
        }
        OnnxOptions options = OnnxOptions.builder().device(parseDevice(device)).intraOpThreads(intraOpThreads)
                .spinning(spin).build();
        String modelName;
        OnnxModel onnx;
        if (model != null) {
            onnx = OnnxModel.load(model, options);
            modelName = model.getFileName().toString();
        } else {
            switch (generate.toLowerCase(Locale.ROOT)) {
                case "mlp" -> {
                    int[] sizes = java.util.Arrays.stream(mlp.split("x")).mapToInt(Integer::parseInt).toArray();
                    onnx = OnnxModel.load(OnnxFileWriter.mlp(42, sizes), options);
                    modelName = "mlp-" + mlp;
                }
                case "cnn" -> {
                    onnx = OnnxModel.load(OnnxFileWriter.cnn(42, 48, 192, 10, 16, 32, 64), options);
                    modelName = "cnn-3x48x192";
                }
                case "recurrent" -> {
                    onnx = OnnxModel.load(OnnxFileWriter.recurrent(42, 256, 256, 2), options);
                    modelName = "recurrent-2x256";
                    axes.putIfAbsent("state", 1);
                    axes.putIfAbsent("next_state", 1);
                    shared.putIfAbsent("scale", 0.5);
                }
                default -> throw new IllegalArgumentException("--generate must be mlp, cnn or recurrent, not " + generate);
            }
        }
        try (onnx) {
            System.out.printf("model %s on %s: inputs %s, outputs %s%n", modelName, onnx.device(), onnx.inputs(),
                    onnx.outputs());
            Inputs inputs = new Inputs(onnx);
            List<Map<String, Tensor>> requests = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                requests.add(inputs.batch(1, i));
            }
            Ceiling ceiling = noCeiling ? null : measureCeiling(onnx, inputs, cores);
            if (plots != null) {
                new OnnxPlots(this, onnx, requests, inFlight, ceiling, modelName, cores).write(plots);
                return 0;
            }
            Load load = runLoad(onnx, requests, inFlight, policy, clients, parseDuration(warmup).toNanos(),
                    parseDuration(duration).toNanos(), true);
            StringBuilder result = new StringBuilder("RESULT");
            result.append(" policy=").append(policy)
                    .append(String.format(Locale.ROOT, " throughput_per_s=%.1f p50_ms=%.2f p99_ms=%.2f mean_batch=%.2f",
                            load.throughput, load.p50Ms, load.p99Ms, load.meanBatch));
            if (ceiling != null) {
                result.append(String.format(Locale.ROOT, " ceiling_per_s=%.1f best_batch=%d best_callers=%d ratio=%.3f",
                        ceiling.perSecond, ceiling.batch, ceiling.callers, load.throughput / ceiling.perSecond));
                // closed-loop clients keep at most one request each in flight: configurations of more
                // rows in flight than there are clients are out of their reach
                result.append(String.format(Locale.ROOT, " reachable_ceiling_per_s=%.1f reachable_batch=%d"
                        + " reachable_callers=%d reachable_ratio=%.3f", ceiling.reachablePerSecond,
                        ceiling.reachableBatch, ceiling.reachableCallers, load.throughput / ceiling.reachablePerSecond));
            }
            result.append(" client_cpu_share=").append(Double.isNaN(load.clientCpuShare) ? "na"
                    : String.format(Locale.ROOT, "%.3f", load.clientCpuShare));
            result.append(String.format(Locale.ROOT, " process_cpu_share=%.3f", load.processCpuShare));
            // on a machine shared with other work, throughput per CPU-second compares runs that got different shares
            result.append(String.format(Locale.ROOT, " rows_per_cpu_s=%.1f",
                    load.processCpuShare <= 0 ? 0 : load.throughput / (load.processCpuShare * cores)));
            result.append(" spin=").append(spin);
            result.append(" slo_ms=").append(sloMs).append(" clients=").append(clients)
                    .append(" client_mode=").append(clientMode).append(" concurrency=").append(inFlight).append(" intra_op_threads=").append(intraOpThreads)
                    .append(" cores=").append(cores).append(" device=").append(onnx.device().toString().replace(' ', '_'))
                    .append(" model=").append(modelName);
            System.out.println(result);
        }
        return 0;
    }

    BatchPolicy policy(String policy) {
        return switch (policy.toLowerCase(Locale.ROOT)) {
            case "none" -> BatchPolicy.none();
            case "fixed" -> BatchPolicy.fixed(maxBatch, Duration.ofMillis(fixedDelayMs));
            case "aimd" -> BatchPolicy.aimd(Duration.ofMillis(sloMs));
            case "peak" -> BatchPolicy.peakThroughput(Duration.ofMillis(sloMs));
            case "latency" -> BatchPolicy.latencyFit(Duration.ofMillis(sloMs));
            default -> throw new IllegalArgumentException("--policy must be peak, none, fixed, aimd or latency, not " + policy);
        };
    }

    Load runLoad(OnnxModel onnx, List<Map<String, Tensor>> requests, int inFlight, String policy, int clients,
            long warmNanos, long runNanos, boolean verbose) throws Exception {
        TracingPolicy tracing = trace != null ? new TracingPolicy(policy(policy)) : null;
        BatchedModel.Builder builder = BatchedModel.builder(onnx)
                .policy(tracing != null ? tracing : policy(policy)).concurrency(inFlight)
                .maxQueueSize(Math.max(1000, clients * 4)).name("bench");
        axes.forEach(builder::batchAxis);
        shared.keySet().forEach(builder::shared);
        boolean async = switch (clientMode.toLowerCase(Locale.ROOT)) {
            case "threads" -> false;
            case "async" -> true;
            default -> throw new IllegalArgumentException("--client-mode must be threads or async, was " + clientMode);
        };
        try (BatchedModel batched = builder.build()) {
            ConcurrentHistogram latencies = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
            LongAdder done = new LongAdder();
            AtomicBoolean measuring = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            CountDownLatch finished = new CountDownLatch(clients);
            if (verbose) {
                System.out.printf("load: policy=%s clients=%d (%s) concurrency=%d warm-up %.1fs, measuring %.1fs%n",
                        policy, clients, clientMode, inFlight, warmNanos / 1e9, runNanos / 1e9);
            }
            for (int c = 0; c < clients; c++) {
                int client = c;
                if (async) {
                    new AsyncClient(batched, requests, client, stop, measuring, latencies, done, errors, finished).next();
                    continue;
                }
                Thread t = new Thread(() -> {
                    int i = client;
                    try {
                        while (!stop.get()) {
                            Map<String, Tensor> req = requests.get(i++ % requests.size());
                            long t0 = System.nanoTime();
                            batched.predict(req).get(60, TimeUnit.SECONDS);
                            long took = System.nanoTime() - t0;
                            if (measuring.get()) {
                                latencies.recordValue(Math.min(took, latencies.getHighestTrackableValue()));
                                done.increment();
                            }
                        }
                    } catch (Exception e) {
                        errors.add(e);
                    }
                    finished.countDown();
                }, "bench-client-" + c);
                t.setDaemon(true);
                threads.add(t);
            }
            threads.forEach(Thread::start);
            TimeUnit.NANOSECONDS.sleep(warmNanos);
            BatchedModel.Stats before = batched.stats();
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long clientCpu0 = 0;
            for (Thread t : threads) {
                clientCpu0 += Math.max(0, mx.getThreadCpuTime(t.getId()));
            }
            long processCpu0 = processCpuNanos();
            measuring.set(true);
            long start = System.nanoTime();
            long end = start + runNanos;
            while (System.nanoTime() < end && errors.isEmpty()) {
                TimeUnit.NANOSECONDS.sleep(Math.min(TimeUnit.SECONDS.toNanos(5), end - System.nanoTime()));
                double sec = (System.nanoTime() - start) / 1e9;
                if (verbose) {
                    System.out.printf("  %.0fs: %.1f req/s%n", sec, done.sum() / sec);
                }
            }
            measuring.set(false);
            long elapsed = System.nanoTime() - start;
            long clientCpu1 = 0;
            for (Thread t : threads) {
                clientCpu1 += Math.max(0, mx.getThreadCpuTime(t.getId()));
            }
            long processCpu1 = processCpuNanos();
            BatchedModel.Stats after = batched.stats();
            stop.set(true);
            if (tracing != null) {
                tracing.write(trace);
            }
            if (!finished.await(60, TimeUnit.SECONDS)) {
                errors.add(new IllegalStateException("clients did not finish within 60 s"));
            }
            if (!errors.isEmpty()) {
                throw new IllegalStateException("a client failed: " + errors.get(0), errors.get(0));
            }
            Load load = new Load();
            int cores = Runtime.getRuntime().availableProcessors();
            // in async mode the clients run inside completions on the batcher's threads: not separable
            load.clientCpuShare = async ? Double.NaN : (clientCpu1 - clientCpu0) / ((double) elapsed * cores);
            load.processCpuShare = (processCpu1 - processCpu0) / ((double) elapsed * cores);
            load.throughput = done.sum() / (elapsed / 1e9);
            load.p50Ms = latencies.getValueAtPercentile(50) / 1e6;
            load.p99Ms = latencies.getValueAtPercentile(99) / 1e6;
            long b = after.batches() - before.batches();
            load.meanBatch = b == 0 ? 0 : (double) (after.rows() - before.rows()) / b;
            return load;
        }
    }

    /**
     * A closed-loop client without a thread: the completion of one request (on the batcher's worker)
     * records it and submits the next, so exactly one request per client is outstanding.
     */
    private record AsyncClient(BatchedModel batched, List<Map<String, Tensor>> requests, int client,
            AtomicBoolean stop, AtomicBoolean measuring, ConcurrentHistogram latencies, LongAdder done,
            List<Throwable> errors, CountDownLatch finished) {

        void next() {
            next(client);
        }

        private void next(int i) {
            if (stop.get() || !errors.isEmpty()) {
                finished.countDown();
                return;
            }
            long t0 = System.nanoTime();
            batched.predict(requests.get(i % requests.size())).whenComplete((out, err) -> {
                if (err != null) {
                    errors.add(err);
                    finished.countDown();
                    return;
                }
                if (measuring.get()) {
                    latencies.recordValue(Math.min(System.nanoTime() - t0, latencies.getHighestTrackableValue()));
                    done.increment();
                }
                next(i + 1);
            });
        }
    }

    private Ceiling measureCeiling(OnnxModel onnx, Inputs inputs, int cores) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (int s = 1; s < maxBatch; s *= 2) {
            sizes.add(s);
        }
        sizes.add(maxBatch);
        int rounds = Math.max(1, ceilingRounds);
        System.out.printf("ceiling: raw OnnxModel.run, batch sizes %s x callers 1..%d, %d rounds of %.1fs each,"
                + " median round per configuration%n", sizes, cores, rounds, ceilingSeconds);
        List<Map<String, Tensor>> batches = new ArrayList<>();
        for (int size : sizes) {
            Map<String, Tensor> batch = inputs.batch(size, size);
            for (int w = 0; w < 20; w++) {
                onnx.run(batch); // warm this shape
            }
            batches.add(batch);
        }
        double[][][] perSecond = new double[sizes.size()][cores][rounds];
        for (int r = 0; r < rounds; r++) { // rounds interleave configurations, so slow spells spread out
            for (int i = 0; i < sizes.size(); i++) {
                for (int callers = 1; callers <= cores; callers++) {
                    perSecond[i][callers - 1][r] = sizes.get(i) * runsPerSecond(onnx, batches.get(i), callers);
                }
            }
        }
        Ceiling best = new Ceiling();
        for (int i = 0; i < sizes.size(); i++) {
            StringBuilder line = new StringBuilder(String.format("  batch %4d:", sizes.get(i)));
            for (int callers = 1; callers <= cores; callers++) {
                double[] v = perSecond[i][callers - 1].clone();
                java.util.Arrays.sort(v);
                double median = v[v.length / 2];
                line.append(String.format(Locale.ROOT, "  %d callers %.0f/s (%.0f..%.0f)", callers, median, v[0],
                        v[v.length - 1]));
                if (median > best.perSecond) {
                    best.perSecond = median;
                    best.batch = sizes.get(i);
                    best.callers = callers;
                }
                if (median > best.reachablePerSecond && (long) sizes.get(i) * callers <= clients) {
                    best.reachablePerSecond = median;
                    best.reachableBatch = sizes.get(i);
                    best.reachableCallers = callers;
                }
            }
            System.out.println(line);
        }
        return best;
    }

    private double runsPerSecond(OnnxModel onnx, Map<String, Tensor> batch, int callers) throws InterruptedException {
        long nanos = (long) (ceilingSeconds * 1e9);
        LongAdder runs = new LongAdder();
        CountDownLatch ready = new CountDownLatch(callers);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        long[] window = new long[2];
        for (int c = 0; c < callers; c++) {
            Thread t = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (System.nanoTime() < window[1]) {
                    onnx.run(batch);
                    runs.increment();
                }
            });
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        ready.await();
        window[0] = System.nanoTime();
        window[1] = window[0] + nanos;
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        return runs.sum() / ((System.nanoTime() - window[0]) / 1e9);
    }

    private static Device parseDevice(String s) {
        String d = s.toLowerCase(Locale.ROOT);
        if (d.equals("cpu")) {
            return Device.cpu();
        }
        if (d.equals("cuda")) {
            return Device.cuda(0).orElseCpu();
        }
        if (d.startsWith("cuda:")) {
            return Device.cuda(Integer.parseInt(d.substring(5))).orElseCpu();
        }
        throw new IllegalArgumentException("--device must be cpu, cuda or cuda:ID, was " + s);
    }

    static Duration parseDuration(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        if (t.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
        }
        return Duration.ofMillis((long) (Double.parseDouble(t) * 1000));
    }

    /** Random inputs of the model's declared types and shapes. */
    private final class Inputs {
        private final OnnxModel onnx;

        Inputs(OnnxModel onnx) {
            this.onnx = onnx;
        }

        Map<String, Tensor> batch(int rows, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (TensorSpec spec : onnx.inputs()) {
                long[] shape = spec.shape();
                String given = shapes.get(spec.name());
                int batchAxis = axes.getOrDefault(spec.name(), 0);
                if (given != null) {
                    String[] dims = given.toLowerCase(Locale.ROOT).split("x");
                    if (dims.length != shape.length) {
                        throw new IllegalArgumentException("--shape " + spec.name() + "=" + given + " has " + dims.length
                                + " dims but the input has rank " + shape.length + " (" + spec + ")");
                    }
                    for (int d = 0; d < dims.length; d++) {
                        if (dims[d].chars().allMatch(Character::isDigit)) {
                            shape[d] = Long.parseLong(dims[d]);
                        } else if (!axes.containsKey(spec.name())) {
                            batchAxis = d;
                        }
                    }
                }
                if (shared.containsKey(spec.name())) {
                    for (int d = 0; d < shape.length; d++) {
                        shape[d] = Math.max(shape[d], 1);
                    }
                    out.put(spec.name(), Tensor.full(spec.type(), shared.get(spec.name()), shape));
                    continue;
                }
                for (int d = 0; d < shape.length; d++) {
                    if (d == batchAxis) {
                        shape[d] = rows;
                    } else if (shape[d] < 0) {
                        shape[d] = 1;
                    }
                }
                out.put(spec.name(), random(spec.type(), shape, random));
            }
            return out;
        }
    }

    private static Tensor random(ElementType type, long[] shape, SplittableRandom random) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        ByteBuffer b = ByteBuffer.allocateDirect(Math.toIntExact(n * type.byteSize())).order(ByteOrder.nativeOrder());
        for (long i = 0; i < n; i++) {
            switch (type) {
                case FLOAT32 -> b.putFloat((float) (random.nextDouble() * 2 - 1));
                case FLOAT64 -> b.putDouble(random.nextDouble() * 2 - 1);
                case INT32 -> b.putInt(random.nextInt(10));
                case INT64 -> b.putLong(random.nextInt(10));
                case INT8, UINT8 -> b.put((byte) random.nextInt(10));
                case BOOL -> b.put((byte) random.nextInt(2));
                default -> throw new IllegalArgumentException("unsupported input type " + type);
            }
        }
        b.flip();
        return Tensor.wrap(type, b, shape);
    }

    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    static final class Load {
        double clientCpuShare = Double.NaN;
        double processCpuShare;
        double throughput;
        double p50Ms;
        double p99Ms;
        double meanBatch;
    }

    static final class Ceiling {
        double perSecond;
        int batch;
        int callers;
        /** The best configuration with no more rows in flight (batch × callers) than there are clients. */
        double reachablePerSecond;
        int reachableBatch;
        int reachableCallers;
    }

    /** Runs the command on its own: {@code java ... dev.louie.bench.onnx.OnnxCommand --help}. */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new OnnxCommand()).execute(args));
    }
}
