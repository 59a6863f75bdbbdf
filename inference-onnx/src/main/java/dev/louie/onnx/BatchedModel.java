package dev.louie.onnx;

import dev.louie.batching.BatchListener;
import dev.louie.batching.BatchPolicy;
import dev.louie.batching.Batcher;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link OnnxModel} behind a {@link Batcher}: concurrent {@link #predict} calls are concatenated
 * into one {@link OnnxModel#run} and the outputs are split back to each caller.
 *
 * <pre>{@code
 * BatchedModel classifier = BatchedModel.builder(model)
 *         .slo(Duration.ofMillis(50))
 *         .build();
 * Map<String, Tensor> out = classifier.predict(Map.of("x", Tensor.of(features, 1, 64))).get();
 * }</pre>
 *
 * <p>By default the batch size and the number of batches in flight (up to {@link
 * Builder#concurrency}, by default one per core) are chosen online by {@link
 * BatchPolicy#peakThroughput(Duration)}: the most rows per second whose latency stays within the
 * {@linkplain Builder#slo SLO}. Pass another {@link Builder#policy policy} to fix them.
 *
 * <p>A request is a map of named tensors carrying one or more rows along each input's batch axis
 * (axis 0 unless {@link Builder#batchAxis set}); batch sizes are counted in rows. Outputs are split
 * along each output's batch axis, so a request gets exactly the rows it sent.
 *
 * <ul>
 *   <li><b>Shared inputs</b> ({@link Builder#shared}) are not batched: the batch passes one value, and
 *       requests join a batch only when their shared inputs are equal.
 *   <li><b>Differing non-batch dimensions</b> (e.g. sequence length): by default requests of different
 *       shapes never share a batch, so nothing is padded and results are exact. With {@link
 *       Builder#pad} the input is padded to the longest in the batch with the given value, and with
 *       {@link Builder#lengths} each request's original length is handed to the model.
 *   <li><b>Batch fixed at 1</b>: the model is run one row at a time (warned once).
 *   <li><b>Bad requests</b> (missing or unknown input, wrong type, wrong rank, wrong fixed size,
 *       inconsistent row counts) are rejected by {@code predict} with an {@link
 *       IllegalArgumentException} naming the input, before they join a batch.
 * </ul>
 *
 * <p>{@link #close()} stops the batcher (queued requests still run); the {@link OnnxModel} stays open
 * and belongs to the caller.
 */
public final class BatchedModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchedModel.class);

    private final OnnxModel model;
    private final Map<String, Integer> inputAxes; // batched inputs only
    private final Map<String, Integer> outputAxes;
    // the same by position, so that a request is an array and not a map
    private final TensorSpec[] specs;
    private final Map<String, Integer> inputIndex;
    private final int[] axisByInput; // -1 for shared inputs
    private final String[] outputNames;
    private final int[] axisByOutput;
    private final int lengthsIndex;
    /** Per batch thread: one reusable direct buffer per input to concatenate a batch into. */
    private final ThreadLocal<ByteBuffer[]> concatBuffers;
    private final Set<String> shared;
    private final Map<String, Double> padValues;
    private final String lengthsInput;
    private final String lengthsOf;
    private final int lengthsAxis;
    private final boolean oneRowAtATime;
    /** True when every valid request may share a batch: no shared inputs, all non-batch dims fixed. */
    private final boolean singleKey;
    /** Positions of the shared inputs, whose values are part of the batch key. */
    private final int[] sharedPositions;
    /** Positions of the batched inputs that are not padded, whose non-batch dims are part of the batch key. */
    private final int[] shapePositions;
    /** How many dims the batch key holds: the ranks of {@link #shapePositions}' inputs, less their batch axes. */
    private final int keyDimCount;
    private final Batcher<Request, Map<String, Tensor>> batcher;
    private final LongAdder batches = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder rows = new LongAdder();

    /** One validated request: its tensors by input position, its row count and the key of the batches it may join. */
    private record Request(Tensor[] inputs, int rows, Object key) {
    }

    private BatchedModel(Builder b) {
        this.model = b.model;
        this.shared = Set.copyOf(b.shared);
        this.padValues = Map.copyOf(b.padValues);
        this.lengthsInput = b.lengthsInput;
        this.lengthsOf = b.lengthsOf;
        this.lengthsAxis = b.lengthsAxis;
        Map<String, Integer> in = new LinkedHashMap<>();
        boolean batchOne = false;
        for (TensorSpec spec : model.inputs()) {
            if (shared.contains(spec.name())) {
                continue;
            }
            int axis = b.axes.getOrDefault(spec.name(), 0);
            if (axis >= spec.rank()) {
                throw new IllegalArgumentException("input '" + spec.name() + "' has rank " + spec.rank()
                        + ", so it has no batch axis " + axis + " (" + spec + "); mark it shared or set its batchAxis");
            }
            long size = spec.shape()[axis];
            if (size == 1) {
                batchOne = true;
            } else if (size > 1) {
                throw new IllegalArgumentException("input '" + spec.name() + "' has a fixed size " + size
                        + " on its batch axis " + axis + " (" + spec + "); BatchedModel needs a dynamic batch axis"
                        + " or a batch of 1");
            }
            in.put(spec.name(), axis);
        }
        this.inputAxes = Map.copyOf(in);
        Map<String, Integer> out = new HashMap<>();
        for (TensorSpec spec : model.outputs()) {
            int axis = b.axes.getOrDefault(spec.name(), 0);
            if (spec.rank() > 0 && axis >= spec.rank()) {
                throw new IllegalArgumentException("output '" + spec.name() + "' has rank " + spec.rank()
                        + ", so it has no batch axis " + axis + " (" + spec + ")");
            }
            out.put(spec.name(), axis);
        }
        this.outputAxes = Map.copyOf(out);
        this.oneRowAtATime = batchOne;
        List<TensorSpec> inSpecs = model.inputs();
        this.specs = inSpecs.toArray(TensorSpec[]::new);
        Map<String, Integer> index = new HashMap<>();
        this.axisByInput = new int[specs.length];
        for (int i = 0; i < specs.length; i++) {
            index.put(specs[i].name(), i);
            axisByInput[i] = in.getOrDefault(specs[i].name(), -1);
        }
        this.inputIndex = Map.copyOf(index);
        this.lengthsIndex = lengthsInput == null ? -1 : index.get(lengthsInput);
        List<TensorSpec> outSpecs = model.outputs();
        this.outputNames = new String[outSpecs.size()];
        this.axisByOutput = new int[outSpecs.size()];
        for (int i = 0; i < outputNames.length; i++) {
            outputNames[i] = outSpecs.get(i).name();
            axisByOutput[i] = out.get(outputNames[i]);
        }
        int inputCount = specs.length;
        this.concatBuffers = ThreadLocal.withInitial(() -> new ByteBuffer[inputCount]);
        boolean fixedDims = shared.isEmpty() && padValues.isEmpty() && lengthsInput == null;
        for (TensorSpec spec : model.inputs()) {
            int axis = in.getOrDefault(spec.name(), -1);
            for (int d = 0; d < spec.rank(); d++) {
                fixedDims &= d == axis || spec.shape()[d] >= 0;
            }
        }
        this.singleKey = fixedDims;
        List<Integer> sharedAt = new ArrayList<>();
        List<Integer> shapeAt = new ArrayList<>();
        int dimCount = 0;
        for (int i = 0; i < specs.length; i++) {
            String name = specs[i].name();
            if (shared.contains(name)) {
                sharedAt.add(i);
            } else if (!padValues.containsKey(name)) {
                shapeAt.add(i);
                dimCount += specs[i].rank() - 1;
            }
        }
        this.sharedPositions = sharedAt.stream().mapToInt(Integer::intValue).toArray();
        this.shapePositions = shapeAt.stream().mapToInt(Integer::intValue).toArray();
        this.keyDimCount = dimCount;
        var batcherBuilder = Batcher.<Request, Map<String, Tensor>>builder(this::runBatch)
                .sizeFunction(Request::rows)
                .batchKey(Request::key)
                .name(b.name != null ? b.name : "onnx-model");
        if (batchOne) {
            if (model.batchOneWarned.compareAndSet(false, true)) {
                LOG.warn("ONNX model has its batch dimension fixed at 1 ({}): BatchedModel runs requests one row"
                        + " at a time, without batching", model.inputs());
            }
            batcherBuilder.policy(BatchPolicy.none());
        } else {
            batcherBuilder.policy(b.policy != null ? b.policy : BatchPolicy.peakThroughput(b.slo));
        }
        if (b.maxQueueSize > 0) {
            batcherBuilder.maxQueueSize(b.maxQueueSize);
        }
        batcherBuilder.concurrency(b.concurrency > 0 ? b.concurrency : Runtime.getRuntime().availableProcessors());
        if (b.listener != null) {
            batcherBuilder.listener(b.listener);
        }
        this.batcher = batcherBuilder.build();
    }

    /** A builder for a batched front of {@code model}. */
    public static Builder builder(OnnxModel model) {
        return new Builder(model);
    }

    /** The model behind this front. */
    public OnnxModel model() {
        return model;
    }

    /**
     * Queues one request and returns its outputs, by name, when its batch has run.
     *
     * @throws IllegalArgumentException when the request is malformed; the message names the input
     */
    public CompletableFuture<Map<String, Tensor>> predict(Map<String, Tensor> inputs) {
        return batcher.submit(validate(inputs));
    }

    /**
     * Like {@link #predict(Map)}, but the future fails with {@code DeadlineExceededException} when the
     * request has not started running by {@code deadline}.
     */
    public CompletableFuture<Map<String, Tensor>> predict(Map<String, Tensor> inputs, Instant deadline) {
        return batcher.submit(validate(inputs), deadline);
    }

    /**
     * The batcher in front of the model, for monitoring: its name, queue depth, in-flight batches
     * and {@link Batcher#addListener listeners} (metrics binders attach there). Submit through
     * {@link #predict}, which validates; closing the batcher closes this model's batching.
     */
    public Batcher<?, ?> batcher() {
        return batcher;
    }

    /** Counts of model runs, requests and rows so far. */
    public Stats stats() {
        return new Stats(batches.sum(), requests.sum(), rows.sum());
    }

    /** Stops accepting requests; queued ones still run. Does not close the {@link OnnxModel}. */
    @Override
    public void close() {
        batcher.close();
    }

    @Override
    public String toString() {
        return "BatchedModel{" + model + ", " + stats() + "}";
    }

    /**
     * What a {@link BatchedModel} has done so far.
     *
     * @param batches  model runs
     * @param requests requests answered by those runs
     * @param rows     rows in those runs
     */
    public record Stats(long batches, long requests, long rows) {
        /** Mean rows per model run (0 before the first). */
        public double meanBatchRows() {
            return batches == 0 ? 0 : (double) rows / batches;
        }

        /** Mean requests per model run (0 before the first). */
        public double meanBatchRequests() {
            return batches == 0 ? 0 : (double) requests / batches;
        }
    }

    // ---- validation ------------------------------------------------------------------------

    private Request validate(Map<String, Tensor> given) {
        Objects.requireNonNull(given, "inputs");
        Tensor[] inputs = new Tensor[specs.length];
        for (Map.Entry<String, Tensor> e : given.entrySet()) {
            Integer i = inputIndex.get(e.getKey());
            if (i == null) {
                model.input(e.getKey()); // throws, naming the model's inputs
            }
            inputs[i] = Objects.requireNonNull(e.getValue(), () -> "input '" + e.getKey() + "' is null");
        }
        String rowsFrom = null;
        int requestRows = -1;
        for (int i = 0; i < specs.length; i++) {
            TensorSpec spec = specs[i];
            Tensor t = inputs[i];
            if (t == null) {
                if (i == lengthsIndex) {
                    continue; // filled in below
                }
                throw new IllegalArgumentException("missing input '" + spec.name() + "' (" + spec + ")");
            }
            int axis = axisByInput[i];
            // a model fixed at batch 1 is fed one row at a time: its batch dimension is not checked here
            OnnxModel.checkInput(spec, t, oneRowAtATime && axis >= 0 ? axis : -1);
            if (axis >= 0) {
                long n = t.dim(axis);
                if (n == 0) {
                    throw new IllegalArgumentException("input '" + spec.name() + "' has no rows (shape "
                            + Arrays.toString(t.shape()) + ", batch axis " + axis + ")");
                }
                if (rowsFrom == null) {
                    rowsFrom = spec.name();
                    requestRows = Math.toIntExact(n);
                } else if (n != requestRows) {
                    throw new IllegalArgumentException("input '" + spec.name() + "' has " + n + " rows on axis " + axis
                            + " but input '" + rowsFrom + "' has " + requestRows);
                }
            }
        }
        if (requestRows < 0) {
            requestRows = 1; // every input is shared
        }
        if (lengthsIndex >= 0 && inputs[lengthsIndex] == null) {
            long length = inputs[inputIndex.get(lengthsOf)].dim(lengthsAxis);
            inputs[lengthsIndex] = Tensor.full(specs[lengthsIndex].type(), length, requestRows);
        }
        return new Request(inputs, requestRows, oneRowAtATime || singleKey ? List.of() : key(inputs));
    }

    /** Requests share a batch only when shared inputs are equal and unpadded inputs have equal non-batch dims. */
    private Object key(Tensor[] inputs) {
        Tensor[] sharedInputs = new Tensor[sharedPositions.length];
        for (int s = 0; s < sharedPositions.length; s++) {
            sharedInputs[s] = inputs[sharedPositions[s]];
        }
        long[] dims = new long[keyDimCount];
        int at = 0;
        for (int i : shapePositions) {
            Tensor t = inputs[i];
            int axis = axisByInput[i];
            for (int d = 0; d < t.rank(); d++) {
                if (d != axis) {
                    dims[at++] = t.dim(d);
                }
            }
        }
        return new BatchKey(sharedInputs, dims);
    }

    // ---- the batch function ----------------------------------------------------------------

    private List<Map<String, Tensor>> runBatch(List<Request> batch) {
        int n = batch.size();
        if (oneRowAtATime) {
            List<Map<String, Tensor>> results = new ArrayList<>(n);
            for (Request r : batch) {
                results.add(r.rows == 1 ? run(asMap(r.inputs), 1, 1) : runRowByRow(r));
            }
            return results;
        }
        if (n == 1) {
            Request r = batch.get(0);
            return List.of(run(asMap(r.inputs), 1, r.rows));
        }
        ByteBuffer[] buffers = concatBuffers.get();
        Map<String, Tensor> merged = new HashMap<>();
        for (int i = 0; i < specs.length; i++) {
            String name = specs[i].name();
            int axis = axisByInput[i];
            if (axis < 0) {
                merged.put(name, batch.get(0).inputs[i]);
                continue;
            }
            List<Tensor> parts = new ArrayList<>(n);
            for (Request r : batch) {
                parts.add(r.inputs[i]);
            }
            Double pad = padValues.get(name);
            if (pad != null) {
                padToLongest(parts, axis, pad);
            }
            long bytes = Tensor.concatBytes(parts, axis);
            ByteBuffer reuse = buffers[i];
            if (reuse == null || reuse.capacity() < bytes) {
                // grow by a quarter more than needed, so a slowly growing batch does not reallocate each time
                reuse = Tensor.allocateDirect(Math.min(Integer.MAX_VALUE, bytes + bytes / 4));
                buffers[i] = reuse;
            }
            // the merged tensor lives only until model.run returns, so its buffer can be reused next batch
            merged.put(name, Tensor.concatInto(parts, axis, reuse));
        }
        int[] sizes = new int[n];
        int total = 0;
        for (int i = 0; i < n; i++) {
            sizes[i] = batch.get(i).rows;
            total += sizes[i];
        }
        int rowCount = total;
        // the outputs are views of ONNX Runtime's memory until the lambda returns: a split along an
        // inner axis copies each request's rows out of them, an output on axis 0 is copied once
        // and each request gets a view of its rows
        List<Map<String, Tensor>> results = model.runWithViews(merged, out -> {
            Tensor[][] pieces = new Tensor[n][outputNames.length];
            for (int o = 0; o < outputNames.length; o++) {
                Tensor t = out.get(outputNames[o]);
                if (t == null) {
                    continue;
                }
                List<Tensor> split = splitOutput(o, t, sizes);
                for (int i = 0; i < n; i++) {
                    pieces[i][o] = split.get(i);
                }
            }
            Map<String, Tensor>[] maps = newMaps(n);
            for (int i = 0; i < n; i++) {
                maps[i] = new TensorMap(outputNames, pieces[i]);
            }
            return Arrays.asList(maps);
        });
        counted(n, rowCount);
        return results;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Tensor>[] newMaps(int n) {
        return new Map[n];
    }

    private Map<String, Tensor> asMap(Tensor[] inputs) {
        Map<String, Tensor> m = new HashMap<>();
        for (int i = 0; i < specs.length; i++) {
            if (inputs[i] != null) {
                m.put(specs[i].name(), inputs[i]);
            }
        }
        return m;
    }

    private Map<String, Tensor> run(Map<String, Tensor> inputs, int requestCount, int rowCount) {
        Map<String, Tensor> out = model.run(inputs);
        counted(requestCount, rowCount);
        return out;
    }

    /** Counts one model run of {@code requestCount} requests and {@code rowCount} rows. */
    private void counted(int requestCount, int rowCount) {
        batches.increment();
        requests.add(requestCount);
        rows.add(rowCount);
    }

    private Map<String, Tensor> runRowByRow(Request r) {
        int[] ones = new int[r.rows];
        Arrays.fill(ones, 1);
        Map<String, Tensor> all = asMap(r.inputs);
        Map<String, List<Tensor>> rowsByInput = new HashMap<>();
        inputAxes.forEach((name, axis) -> rowsByInput.put(name, all.get(name).split(axis, ones)));
        Map<String, List<Tensor>> outputs = new LinkedHashMap<>();
        for (int i = 0; i < r.rows; i++) {
            Map<String, Tensor> row = new HashMap<>(all);
            for (Map.Entry<String, List<Tensor>> e : rowsByInput.entrySet()) {
                row.put(e.getKey(), e.getValue().get(i));
            }
            run(row, i == 0 ? 1 : 0, 1).forEach((name, t) -> outputs.computeIfAbsent(name, k -> new ArrayList<>()).add(t));
        }
        Map<String, Tensor> result = new LinkedHashMap<>();
        outputs.forEach((name, parts) -> result.put(name, Tensor.concat(parts, outputAxes.get(name))));
        return result;
    }

    private static void padToLongest(List<Tensor> parts, int axis, double padValue) {
        long[] target = parts.get(0).shape();
        for (Tensor t : parts) {
            for (int d = 0; d < target.length; d++) {
                target[d] = Math.max(target[d], t.dim(d));
            }
        }
        for (int i = 0; i < parts.size(); i++) {
            Tensor t = parts.get(i);
            long[] shape = target.clone();
            shape[axis] = t.dim(axis);
            parts.set(i, t.pad(shape, padValue));
        }
    }

    private List<Tensor> splitOutput(int output, Tensor t, int[] sizes) {
        String name = outputNames[output];
        int axis = axisByOutput[output];
        long total = 0;
        for (int s : sizes) {
            total += s;
        }
        if (t.rank() <= axis || t.dim(axis) != total) {
            throw new IllegalStateException("output '" + name + "' has shape " + Arrays.toString(t.shape())
                    + ", which cannot be split into " + total + " rows along axis " + axis
                    + "; set its batch axis with BatchedModel.Builder.batchAxis(\"" + name + "\", axis)");
        }
        // axis 0: the output is copied once and each caller gets a view of its rows, so no memory is
        // allocated or copied per request; another axis: each caller's rows are copied out
        return axis == 0 ? t.copy().splitViewsAxis0(sizes) : t.split(axis, sizes);
    }

    /** Configures a {@link BatchedModel}; {@link #build()} checks every name against the model. */
    public static final class Builder {
        /** The latency SLO of the default policy when none is set. */
        static final Duration DEFAULT_SLO = Duration.ofMillis(50);

        private final OnnxModel model;
        private BatchPolicy policy;
        private Duration slo = DEFAULT_SLO;
        private int maxQueueSize;
        private int concurrency;
        private String name;
        private BatchListener listener;
        private final Map<String, Integer> axes = new HashMap<>();
        private final Set<String> shared = new LinkedHashSet<>();
        private final Map<String, Double> padValues = new HashMap<>();
        private String lengthsInput;
        private String lengthsOf;
        private int lengthsAxis;

        private Builder(OnnxModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /**
         * How many rows a batch may hold, how long to wait for it and how many batches run at once;
         * default {@code BatchPolicy.peakThroughput(slo)}, which finds them by measuring.
         */
        public Builder policy(BatchPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * The latency one request, queue wait included, should stay within (default 50 ms); used by
         * the default policy, ignored when {@link #policy} is set.
         */
        public Builder slo(Duration slo) {
            if (slo == null || slo.isNegative() || slo.isZero()) {
                throw new IllegalArgumentException("slo must be positive, not " + slo);
            }
            this.slo = slo;
            return this;
        }

        /** Requests that may wait; beyond it futures fail with {@code BatcherOverloadedException}. */
        public Builder maxQueueSize(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxQueueSize must be at least 1, was " + max);
            }
            this.maxQueueSize = max;
            return this;
        }

        /**
         * The most batches that may run at once (default: one per core). The default policy uses
         * from 1 up to this many, whichever serves more; a fixed policy uses all of them. On a CPU,
         * several in flight often beat bigger batches; pair it with {@link
         * OnnxOptions.Builder#intraOpThreads}.
         */
        public Builder concurrency(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, was " + n);
            }
            this.concurrency = n;
            return this;
        }

        /** Name used in thread names and log lines. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Receives the batcher's metrics (e.g. {@code dev.louie.batching.BatcherStats}). */
        public Builder listener(BatchListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The batch axis of an input or output (default 0), e.g. 1 for recurrent state tensors. */
        public Builder batchAxis(String inputOrOutput, int axis) {
            if (axis < 0) {
                throw new IllegalArgumentException("batch axis of '" + inputOrOutput + "' must be >= 0, was " + axis);
            }
            axes.put(Objects.requireNonNull(inputOrOutput, "inputOrOutput"), axis);
            return this;
        }

        /**
         * Marks an input as shared by the whole batch (e.g. a scalar sample rate): it is passed once,
         * not concatenated, and only requests with equal values share a batch.
         */
        public Builder shared(String input) {
            shared.add(Objects.requireNonNull(input, "input"));
            return this;
        }

        /**
         * Lets requests whose {@code input} differs in non-batch dimensions share a batch by padding
         * each to the longest in the batch with {@code padValue}. Outputs keep the padded size.
         */
        public Builder pad(String input, double padValue) {
            padValues.put(Objects.requireNonNull(input, "input"), padValue);
            return this;
        }

        /**
         * Hands each request's original length to the model: when a request omits {@code lengthsInput}
         * (an int32/int64 input with one value per row), it is filled with the size of {@code ofInput}
         * along {@code axis} before padding.
         */
        public Builder lengths(String lengthsInput, String ofInput, int axis) {
            this.lengthsInput = Objects.requireNonNull(lengthsInput, "lengthsInput");
            this.lengthsOf = Objects.requireNonNull(ofInput, "ofInput");
            this.lengthsAxis = axis;
            return this;
        }

        /**
         * Checks the configuration against the model and starts the batcher.
         *
         * @throws IllegalArgumentException naming the first input or output that does not fit
         */
        public BatchedModel build() {
            Set<String> outputs = new LinkedHashSet<>();
            model.outputs().forEach(o -> outputs.add(o.name()));
            for (String n : axes.keySet()) {
                if (!outputs.contains(n)) {
                    model.input(n);
                }
            }
            for (String n : shared) {
                model.input(n);
                if (padValues.containsKey(n) || axes.containsKey(n)) {
                    throw new IllegalArgumentException("input '" + n + "' is shared, so it cannot be padded or"
                            + " have a batch axis");
                }
            }
            padValues.keySet().forEach(model::input);
            if (lengthsInput != null) {
                TensorSpec lengths = model.input(lengthsInput);
                TensorSpec of = model.input(lengthsOf);
                if (lengths.type() != ElementType.INT64 && lengths.type() != ElementType.INT32) {
                    throw new IllegalArgumentException("lengths input '" + lengthsInput + "' is " + lengths.type()
                            + "; it must be int64 or int32");
                }
                if (lengthsAxis < 0 || lengthsAxis >= of.rank() || lengthsAxis == axes.getOrDefault(lengthsOf, 0)) {
                    throw new IllegalArgumentException("axis " + lengthsAxis + " is not a non-batch dimension of input '"
                            + lengthsOf + "' (" + of + ")");
                }
                if (shared.contains(lengthsInput) || shared.contains(lengthsOf)) {
                    throw new IllegalArgumentException("lengths input '" + lengthsInput + "' and '" + lengthsOf
                            + "' cannot be shared inputs");
                }
            }
            return new BatchedModel(this);
        }
    }
}
