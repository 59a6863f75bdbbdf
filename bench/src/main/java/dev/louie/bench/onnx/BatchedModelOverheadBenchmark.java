package dev.louie.bench.onnx;

import dev.louie.batching.BatchPolicy;
import dev.louie.onnx.BatchedModel;
import dev.louie.onnx.ElementType;
import dev.louie.onnx.OnnxFileWriter;
import dev.louie.onnx.OnnxModel;
import dev.louie.onnx.OnnxOptions;
import dev.louie.onnx.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What {@link BatchedModel} costs per request beyond the model: {@code predict → complete} through
 * an ONNX {@code Identity} model (it returns its input), {@value #BURST} requests of one row per
 * batch. {@code predict} is the whole path; {@code copyOnly} copies the same bytes as the path must
 * (into the batch, out of the result) and nothing else, and {@code modelOnly} is one raw
 * {@link OnnxModel#run} of the same {@value #BURST}-row batch, so {@code predict − modelOnly} is
 * Louie's cost per request (hand-offs, concatenation, views, futures) and {@code modelOnly −
 * copyOnly} ONNX Runtime's per-run cost shared by {@value #BURST} requests. Scores are ns per
 * request; divide by {@code floats · 4 / 1024} for ns per KB. With {@code layout=state} the request
 * is laid out as a recurrent model's state is: {@code [2, 1, floats/2]}, batched on axis 1, times
 * a scalar input shared by the batch, so the path also compares the shared inputs, gathers rows
 * along axis 1 and splits the output along it.
 *
 * <pre>{@code
 * java -cp bench/target/louie-bench.jar org.openjdk.jmh.Main BatchedModelOverheadBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BatchedModelOverheadBenchmark {
    static final int BURST = 16;

    /** Floats per request: 256 (1 KB) and 27,648 (3×48×192, the conv case's 108 KB). */
    @Param({"256", "27648"})
    public int floats;

    /** {@code rows}: {@code [1, floats]} on axis 0; {@code state}: {@code [2, 1, floats/2]} on axis 1 and a shared scalar. */
    @Param({"rows", "state"})
    public String layout;

    OnnxModel model;
    BatchedModel batched;
    List<Map<String, Tensor>> requests;
    ByteBuffer batchBuffer;
    ByteBuffer outBuffer;
    Map<String, Tensor> batch;

    @Setup(Level.Trial)
    public void setUp() {
        boolean state = layout.equals("state");
        int half = floats / 2;
        byte[] identity = state
                ? OnnxFileWriter.create()
                        .input("x", ElementType.FLOAT32, 2, "batch", half)
                        .input("scale", ElementType.FLOAT32)
                        .node("Mul", List.of("x", "scale"), List.of("y"))
                        .output("y", ElementType.FLOAT32, 2, "batch", half)
                        .toByteArray()
                : OnnxFileWriter.create()
                        .input("x", ElementType.FLOAT32, "batch", floats)
                        .node("Identity", List.of("x"), List.of("y"))
                        .output("y", ElementType.FLOAT32, "batch", floats)
                        .toByteArray();
        model = OnnxModel.load(identity, OnnxOptions.builder().intraOpThreads(1).build());
        BatchedModel.Builder builder = BatchedModel.builder(model)
                .policy(BatchPolicy.fixed(BURST, Duration.ofSeconds(10))).concurrency(1).maxQueueSize(10_000).name("jmh");
        if (state) {
            builder.batchAxis("x", 1).batchAxis("y", 1).shared("scale");
        }
        batched = builder.build();
        Tensor scale = Tensor.of(new float[] {1f});
        Map<String, Tensor>[] rs = newArray(BURST);
        for (int i = 0; i < BURST; i++) {
            float[] v = new float[floats];
            v[0] = i;
            rs[i] = state ? Map.of("x", Tensor.of(v, 2, 1, half), "scale", scale) : Map.of("x", Tensor.of(v, 1, floats));
        }
        requests = List.of(rs);
        batch = state
                ? Map.of("x", Tensor.of(new float[BURST * floats], 2, BURST, half), "scale", scale)
                : Map.of("x", Tensor.of(new float[BURST * floats], BURST, floats));
        batchBuffer = ByteBuffer.allocateDirect(BURST * floats * 4).order(ByteOrder.nativeOrder());
        outBuffer = ByteBuffer.allocateDirect(BURST * floats * 4).order(ByteOrder.nativeOrder());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Tensor>[] newArray(int n) {
        return new Map[n];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        batched.close();
        model.close();
    }

    /** The whole path: {@value #BURST} predicts, one model run, {@value #BURST} completions. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public void predict(Blackhole bh) {
        for (CompletableFuture<Map<String, Tensor>> f : submitBurst()) {
            bh.consume(f.join().get("y"));
        }
    }

    /**
     * {@link #predict} with the caller polling its futures instead of parking on them: the
     * difference is the wake-up of the caller by the batch's thread, paid once per burst.
     */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public void predictPolled(Blackhole bh) {
        for (CompletableFuture<Map<String, Tensor>> f : submitBurst()) {
            while (!f.isDone()) {
                Thread.onSpinWait();
            }
            bh.consume(f.join().get("y"));
        }
    }

    /** Submits the {@value #BURST} requests, which fill one batch. */
    @SuppressWarnings("unchecked")
    private CompletableFuture<Map<String, Tensor>>[] submitBurst() {
        CompletableFuture<Map<String, Tensor>>[] fs = new CompletableFuture[BURST];
        for (int i = 0; i < BURST; i++) {
            fs[i] = batched.predict(requests.get(i));
        }
        return fs;
    }

    /** ONNX Runtime alone: one run of a {@value #BURST}-row batch, as the batcher makes it. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public void modelOnly(Blackhole bh) {
        bh.consume(model.run(batch).get("y"));
    }

    /** The copies the path cannot avoid: each request into the batch, the batch's output out of ONNX Runtime. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public void copyOnly(Blackhole bh) {
        batchBuffer.clear();
        for (int i = 0; i < BURST; i++) {
            batchBuffer.put(requests.get(i).get("x").buffer());
        }
        batchBuffer.flip();
        outBuffer.clear();
        outBuffer.put(batchBuffer);
        bh.consume(outBuffer);
    }
}
