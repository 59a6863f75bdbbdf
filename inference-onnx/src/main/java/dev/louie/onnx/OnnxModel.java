package dev.louie.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ONNX model loaded into ONNX Runtime, on the CPU or a CUDA GPU.
 *
 * <pre>{@code
 * try (OnnxModel model = OnnxModel.load(Path.of("model.onnx"),
 *         OnnxOptions.builder().device(Device.cuda(0).orElseCpu()).intraOpThreads(1).build())) {
 *     Map<String, Tensor> out = model.run(Map.of("x", Tensor.of(features, 1, 64)));
 * }
 * }</pre>
 *
 * <p>{@link #run} is safe to call from many threads at once; each call is one ONNX Runtime {@code
 * run}. To let concurrent callers share one call, put a {@link BatchedModel} in front. {@link #close}
 * waits for running calls, then frees the native session; calls after it fail.
 */
public final class OnnxModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxModel.class);

    private final OrtEnvironment env;
    private final OrtSession session;
    private final Device device;
    private final String fallbackReason;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final Map<String, TensorSpec> inputsByName;
    private final Set<String> outputNames;
    private final Map<String, String> customMetadata;
    private final String producerName;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;
    /** Set once a {@link BatchedModel} has warned that this model's batch dimension is fixed at 1. */
    final java.util.concurrent.atomic.AtomicBoolean batchOneWarned = new java.util.concurrent.atomic.AtomicBoolean();

    private OnnxModel(OrtEnvironment env, OrtSession session, Device device, String fallbackReason)
            throws OrtException {
        this.env = env;
        this.session = session;
        this.device = device;
        this.fallbackReason = fallbackReason;
        List<TensorSpec> in = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
            TensorSpec spec = spec(e.getKey(), e.getValue());
            if (spec == null) {
                throw new OnnxException("input '" + e.getKey() + "' is " + e.getValue().getInfo()
                        + "; only tensors of " + Arrays.toString(ElementType.values()) + " are supported");
            }
            in.add(spec);
        }
        List<TensorSpec> out = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
            TensorSpec spec = spec(e.getKey(), e.getValue());
            if (spec == null) {
                LOG.info("ONNX model output '{}' is {}, which Louie does not read; it is skipped",
                        e.getKey(), e.getValue().getInfo());
            } else {
                out.add(spec);
            }
        }
        if (out.isEmpty()) {
            throw new OnnxException("the model has no tensor output of a supported type");
        }
        this.inputs = List.copyOf(in);
        this.outputs = List.copyOf(out);
        Map<String, TensorSpec> byName = new LinkedHashMap<>();
        in.forEach(s -> byName.put(s.name(), s));
        this.inputsByName = Collections.unmodifiableMap(byName);
        Set<String> names = new LinkedHashSet<>();
        out.forEach(s -> names.add(s.name()));
        this.outputNames = Collections.unmodifiableSet(names);
        var meta = session.getMetadata();
        this.customMetadata = Map.copyOf(meta.getCustomMetadata());
        this.producerName = meta.getProducerName();
    }

    private static TensorSpec spec(String name, NodeInfo info) {
        if (!(info.getInfo() instanceof ai.onnxruntime.TensorInfo t)) {
            return null;
        }
        ElementType type = ElementType.fromOrt(t.type);
        if (type == null) {
            return null;
        }
        String[] dimNames = t.getDimensionNames();
        List<String> names = new ArrayList<>();
        long[] shape = t.getShape();
        for (int d = 0; d < shape.length; d++) {
            names.add(dimNames != null && d < dimNames.length && dimNames[d] != null ? dimNames[d] : "");
        }
        return new TensorSpec(name, type, shape, names);
    }

    // ---- loading -----------------------------------------------------------------------------

    /** Loads a model file with default options (CPU). */
    public static OnnxModel load(Path path) {
        return load(path, OnnxOptions.defaults());
    }

    /** Loads a model file. */
    public static OnnxModel load(Path path, OnnxOptions options) {
        try {
            return load(Files.readAllBytes(path), options);
        } catch (IOException e) {
            throw new OnnxException("cannot read ONNX model " + path + ": " + e.getMessage(), e);
        }
    }

    /** Loads a model from a stream, read to its end (the stream is not closed). */
    public static OnnxModel load(InputStream in, OnnxOptions options) {
        try {
            return load(in.readAllBytes(), options);
        } catch (IOException e) {
            throw new OnnxException("cannot read ONNX model stream: " + e.getMessage(), e);
        }
    }

    /** Loads a model from its serialized bytes with default options (CPU). */
    public static OnnxModel load(byte[] model) {
        return load(model, OnnxOptions.defaults());
    }

    /**
     * Loads a model from its serialized bytes.
     *
     * @throws OnnxException when the bytes are not a valid model, or a strict CUDA device cannot be used
     */
    public static OnnxModel load(byte[] model, OnnxOptions options) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Device requested = options.device();
        OrtSession session = null;
        Device used = Device.cpu();
        String fallbackReason = null;
        if (requested.kind() == Device.Kind.CUDA) {
            String reason = null;
            if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
                reason = "this ONNX Runtime build has no CUDA execution provider (available: "
                        + OrtEnvironment.getAvailableProviders()
                        + "); depend on com.microsoft.onnxruntime:onnxruntime_gpu instead of onnxruntime";
            } else {
                try {
                    session = createSession(env, model, options, requested.id());
                    used = requested;
                } catch (OrtException e) {
                    reason = "ONNX Runtime could not start CUDA device " + requested.id() + ": " + e.getMessage();
                }
            }
            if (session == null) {
                if (!requested.fallsBackToCpu()) {
                    throw new OnnxException("CUDA device " + requested.id() + " cannot be used: " + reason
                            + " (use Device.cuda(" + requested.id() + ").orElseCpu() to fall back to the CPU)");
                }
                fallbackReason = reason;
                LOG.warn("ONNX model runs on the CPU instead of CUDA device {}: {}", requested.id(), reason);
            }
        }
        try {
            if (session == null) {
                session = createSession(env, model, options, -1);
            }
            OnnxModel loaded = new OnnxModel(env, session, used, fallbackReason);
            LOG.debug("loaded ONNX model on {}: inputs {}, outputs {}", used, loaded.inputs, loaded.outputs);
            if (options.warmUp()) {
                loaded.warmUp();
            }
            return loaded;
        } catch (OrtException e) {
            closeQuietly(session);
            throw new OnnxException("cannot load ONNX model: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    private static void closeQuietly(OrtSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException | RuntimeException e) {
                LOG.debug("closing a half-loaded ONNX session failed", e);
            }
        }
    }

    private static OrtSession createSession(OrtEnvironment env, byte[] model, OnnxOptions options, int cudaId)
            throws OrtException {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            if (options.intraOpThreads() > 0) {
                so.setIntraOpNumThreads(options.intraOpThreads());
            }
            if (options.interOpThreads() > 0) {
                so.setInterOpNumThreads(options.interOpThreads());
            }
            so.setOptimizationLevel(switch (options.optimization()) {
                case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
                case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
                case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
                case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
            });
            for (Map.Entry<String, String> e : options.sessionConfig().entrySet()) {
                so.addConfigEntry(e.getKey(), e.getValue());
            }
            if (cudaId >= 0) {
                so.addCUDA(cudaId);
            }
            return env.createSession(model, so);
        }
    }

    private void warmUp() {
        Map<String, Tensor> zeros = new LinkedHashMap<>();
        for (TensorSpec s : inputs) {
            long[] shape = s.shape();
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] < 0) {
                    shape[d] = 1;
                }
            }
            zeros.put(s.name(), Tensor.full(s.type(), 0, shape));
        }
        try {
            run(zeros);
        } catch (RuntimeException e) {
            close();
            throw new OnnxException("warm-up run on zero inputs failed: " + e.getMessage(), e);
        }
    }

    // ---- metadata ----------------------------------------------------------------------------

    /** The model's inputs, in declaration order. */
    public List<TensorSpec> inputs() {
        return inputs;
    }

    /** The model's tensor outputs of supported types, in declaration order. */
    public List<TensorSpec> outputs() {
        return outputs;
    }

    /**
     * The input called {@code name}.
     *
     * @throws IllegalArgumentException when there is none
     */
    public TensorSpec input(String name) {
        TensorSpec s = inputsByName.get(name);
        if (s == null) {
            throw new IllegalArgumentException("the model has no input '" + name + "'; its inputs are " + inputs);
        }
        return s;
    }

    /**
     * The output called {@code name}.
     *
     * @throws IllegalArgumentException when there is none
     */
    public TensorSpec output(String name) {
        for (TensorSpec s : outputs) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("the model has no output '" + name + "'; its outputs are " + outputs);
    }

    /** The device the model actually runs on ({@link Device#cpu()} after a fallback). */
    public Device device() {
        return device;
    }

    /** Why CUDA was not used, when a {@link Device#orElseCpu()} device fell back to the CPU. */
    public Optional<String> deviceFallbackReason() {
        return Optional.ofNullable(fallbackReason);
    }

    /** The {@code metadata_props} of the model file. */
    public Map<String, String> customMetadata() {
        return customMetadata;
    }

    /** The {@code producer_name} of the model file (e.g. {@code pytorch}). */
    public String producerName() {
        return producerName;
    }

    // ---- running -----------------------------------------------------------------------------

    /**
     * Runs the model once. Every input must be given, with the declared element type and rank, and
     * the declared size on each fixed dimension.
     *
     * @return the outputs by name, in declaration order
     * @throws IllegalArgumentException naming the input when one is missing, unknown or of the wrong type or shape
     * @throws IllegalStateException after {@link #close()}
     * @throws OnnxException when ONNX Runtime fails
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        return run(inputs, true, Function.identity());
    }

    /**
     * Like {@link #run(Map)}, but {@code use} gets the outputs as views of ONNX Runtime's memory,
     * valid only until it returns: for a caller that copies what it keeps anyway (a batch split
     * along an inner axis), which is spared one copy of each output.
     */
    <T> T runWithViews(Map<String, Tensor> inputs, Function<Map<String, Tensor>, T> use) {
        return run(inputs, false, use);
    }

    private <T> T run(Map<String, Tensor> inputs, boolean copy, Function<Map<String, Tensor>, T> use) {
        validate(inputs);
        ReentrantReadWriteLock.ReadLock lock = lifecycle.readLock();
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the ONNX model is closed");
            }
            return runUnchecked(inputs, copy, use);
        } finally {
            lock.unlock();
        }
    }

    private <T> T runUnchecked(Map<String, Tensor> inputs, boolean copy, Function<Map<String, Tensor>, T> use) {
        Map<String, OnnxTensor> ort = new HashMap<>();
        try {
            int slot = 0;
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                ort.put(e.getKey(), toOrt(e.getValue(), slot++));
            }
            try (OrtSession.Result result = session.run(ort, outputNames)) {
                Map<String, Tensor> out = new LinkedHashMap<>();
                for (String name : outputNames) {
                    Optional<OnnxValue> v = result.get(name);
                    if (v.isPresent() && v.get() instanceof OnnxTensor t) {
                        out.put(name, fromOrt(t, copy));
                    }
                }
                return use.apply(out);
            }
        } catch (OrtException e) {
            throw new OnnxException("ONNX Runtime failed to run the model: " + e.getMessage(), e);
        } finally {
            ort.values().forEach(OnnxTensor::close);
        }
    }

    /** Checks names, types, ranks and fixed dimensions, throwing a message that names the input. */
    void validate(Map<String, Tensor> given) {
        Objects.requireNonNull(given, "inputs");
        for (String name : given.keySet()) {
            if (!inputsByName.containsKey(name)) {
                throw new IllegalArgumentException("unknown input '" + name + "'; the model's inputs are " + inputs);
            }
        }
        for (TensorSpec spec : inputs) {
            Tensor t = given.get(spec.name());
            if (t == null) {
                throw new IllegalArgumentException("missing input '" + spec.name() + "' (" + spec + ")");
            }
            checkInput(spec, t, -1);
        }
    }

    /** Checks type, rank and fixed dimensions of an input; {@code freeDim} (or -1) is not checked. */
    static void checkInput(TensorSpec spec, Tensor t, int freeDim) {
        if (t.type() != spec.type()) {
            throw new IllegalArgumentException("input '" + spec.name() + "' is " + t.type()
                    + " but the model expects " + spec.type() + " (" + spec + ")");
        }
        if (t.rank() != spec.rank()) {
            throw new IllegalArgumentException("input '" + spec.name() + "' has rank " + t.rank() + " (shape "
                    + Arrays.toString(t.shape()) + ") but the model expects rank " + spec.rank() + " (" + spec + ")");
        }
        long[] want = spec.shape();
        for (int d = 0; d < want.length; d++) {
            if (want[d] >= 0 && want[d] != t.dim(d) && d != freeDim) {
                throw new IllegalArgumentException("input '" + spec.name() + "' has size " + t.dim(d)
                        + " on dimension " + d + " (shape " + Arrays.toString(t.shape()) + ") but the model expects "
                        + want[d] + " (" + spec + ")");
            }
        }
    }

    /**
     * Per calling thread, one native buffer per input position that heap tensors are copied into
     * for ONNX Runtime, which reads only native memory in place. The ONNX Runtime tensors over them
     * are closed before the call returns, so the next call on the thread may reuse them.
     */
    private static final ThreadLocal<ByteBuffer[]> STAGING = ThreadLocal.withInitial(() -> new ByteBuffer[4]);

    private OnnxTensor toOrt(Tensor t, int slot) throws OrtException {
        ByteBuffer b = t.nativeBuffer();
        if (!b.isDirect()) {
            b = stage(b, slot);
        }
        long[] shape = t.shape();
        return switch (t.type()) {
            case FLOAT32 -> OnnxTensor.createTensor(env, b.asFloatBuffer(), shape);
            case FLOAT64 -> OnnxTensor.createTensor(env, b.asDoubleBuffer(), shape);
            case INT32 -> OnnxTensor.createTensor(env, b.asIntBuffer(), shape);
            case INT64 -> OnnxTensor.createTensor(env, b.asLongBuffer(), shape);
            case INT8 -> OnnxTensor.createTensor(env, b, shape, OnnxJavaType.INT8);
            case UINT8 -> OnnxTensor.createTensor(env, b, shape, OnnxJavaType.UINT8);
            case BOOL -> OnnxTensor.createTensor(env, b, shape, OnnxJavaType.BOOL);
        };
    }

    private static ByteBuffer stage(ByteBuffer heap, int slot) {
        ByteBuffer[] buffers = STAGING.get();
        if (slot >= buffers.length) {
            buffers = java.util.Arrays.copyOf(buffers, slot + 4);
            STAGING.set(buffers);
        }
        int bytes = heap.remaining();
        ByteBuffer staging = buffers[slot];
        if (staging == null || staging.capacity() < bytes) {
            // a quarter more than needed, so slowly growing inputs do not reallocate each time
            staging = Tensor.allocateDirect(Math.min(Integer.MAX_VALUE, bytes + (long) bytes / 4));
            buffers[slot] = staging;
        }
        ByteBuffer out = staging.duplicate().order(ByteOrder.nativeOrder());
        out.clear();
        out.put(heap.duplicate());
        return out.flip().slice().order(ByteOrder.nativeOrder());
    }

    private static Tensor fromOrt(OnnxTensor t, boolean copyOut) {
        ai.onnxruntime.TensorInfo info = t.getInfo();
        ElementType type = ElementType.fromOrt(info.type);
        if (type == null) {
            throw new OnnxException("output of type " + info.type + " is not supported");
        }
        ByteBuffer view = nativeView(t);
        if (view != null && !copyOut) {
            return Tensor.wrap(type, view, info.getShape()); // shares ONNX Runtime's memory until the result closes
        }
        if (view != null) {
            // one copy, from ONNX Runtime's memory (freed when the result closes) onto the heap
            ByteBuffer copy = Tensor.allocate(ElementType.UINT8, view.remaining());
            copy.put(view).clear();
            return Tensor.wrap(type, copy, info.getShape());
        }
        ByteBuffer bytes = t.getByteBuffer(); // a heap copy, which wrap shares
        if (bytes == null) {
            throw new OnnxException("output of type " + info.type + " is not supported");
        }
        return Tensor.wrap(type, bytes.order(ByteOrder.nativeOrder()), info.getShape());
    }

    /**
     * ONNX Runtime's own view of a tensor's native memory, valid until the tensor is closed; null
     * where this ONNX Runtime version does not offer it (then {@code getByteBuffer()}, which copies
     * to the heap, is used).
     */
    private static ByteBuffer nativeView(OnnxTensor t) {
        if (ORT_BUFFER == null) {
            return null;
        }
        try {
            ByteBuffer b = (ByteBuffer) ORT_BUFFER.invoke(t);
            return b == null || !b.isDirect() ? null : b.duplicate().order(ByteOrder.nativeOrder()).clear();
        } catch (Throwable e) {
            return null;
        }
    }

    private static final java.lang.invoke.MethodHandle ORT_BUFFER = findNativeView();

    private static java.lang.invoke.MethodHandle findNativeView() {
        try {
            java.lang.reflect.Method m = OnnxTensor.class.getDeclaredMethod("getBuffer");
            m.setAccessible(true);
            return java.lang.invoke.MethodHandles.lookup().unreflect(m);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("ONNX Runtime offers no native view of output tensors; getByteBuffer() copies them instead", e);
            return null;
        }
    }

    /** Waits for running calls to finish, then frees the native session. Idempotent. */
    @Override
    public void close() {
        ReentrantReadWriteLock.WriteLock lock = lifecycle.writeLock();
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                session.close();
            }
        } catch (OrtException e) {
            throw new OnnxException("failed to close the ONNX session: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Inputs, outputs and device. */
    @Override
    public String toString() {
        return "OnnxModel{inputs=" + inputs + ", outputs=" + outputs + ", device=" + device + "}";
    }
}
