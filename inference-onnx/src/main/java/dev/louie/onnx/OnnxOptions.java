package dev.louie.onnx;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to load an {@link OnnxModel}: device, thread pools, graph optimization and warm-up.
 *
 * <pre>{@code
 * OnnxOptions options = OnnxOptions.builder()
 *         .device(Device.cuda(0).orElseCpu())
 *         .intraOpThreads(1)
 *         .warmUp(true)
 *         .build();
 * }</pre>
 *
 * <p>Values are checked in {@link Builder#build()}, so a bad option fails before any model is read.
 */
public final class OnnxOptions {

    /** ONNX Runtime's graph optimization levels. */
    public enum Optimization {
        /** No graph rewriting. */
        NONE,
        /** Constant folding and redundant-node removal. */
        BASIC,
        /** Basic plus operator fusions. */
        EXTENDED,
        /** Everything, including layout changes; the default. */
        ALL
    }

    /** The session config key of ONNX Runtime's spin-waiting of intra-op threads. */
    static final String SPINNING_KEY = "session.intra_op.allow_spinning";

    private final Device device;
    private final int intraOpThreads;
    private final boolean spinning;
    private final int interOpThreads;
    private final Optimization optimization;
    private final boolean warmUp;
    private final Map<String, String> sessionConfig;

    private OnnxOptions(Builder b) {
        this.device = b.device;
        this.intraOpThreads = b.intraOpThreads;
        this.spinning = b.spinning;
        this.interOpThreads = b.interOpThreads;
        this.optimization = b.optimization;
        this.warmUp = b.warmUp;
        Map<String, String> config = new LinkedHashMap<>(b.sessionConfig);
        config.putIfAbsent(SPINNING_KEY, b.spinning ? "1" : "0"); // an explicit entry wins
        this.sessionConfig = Map.copyOf(config);
    }

    /**
     * The defaults: CPU, one intra-op thread without spinning, ONNX Runtime's inter-op threads, all
     * optimizations, no warm-up. One thread per run suits a {@link BatchedModel}, which runs one
     * batch per core at once; see {@link Builder#intraOpThreads} for when to change it.
     */
    public static OnnxOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The requested device. */
    public Device device() {
        return device;
    }

    /** Threads used inside one operator; 0 means ONNX Runtime's default (one per core). */
    public int intraOpThreads() {
        return intraOpThreads;
    }

    /** Whether idle intra-op threads spin-wait for work instead of sleeping. */
    public boolean spinning() {
        return spinning;
    }

    /** Threads used to run independent operators in parallel; 0 means ONNX Runtime's default. */
    public int interOpThreads() {
        return interOpThreads;
    }

    /** The graph optimization level. */
    public Optimization optimization() {
        return optimization;
    }

    /** Whether {@code load} runs the model once on zeros before returning. */
    public boolean warmUp() {
        return warmUp;
    }

    /** ONNX Runtime session config entries, {@code session.intra_op.allow_spinning} among them. */
    public Map<String, String> sessionConfig() {
        return sessionConfig;
    }

    @Override
    public String toString() {
        return "OnnxOptions{device=" + device + ", intraOpThreads=" + intraOpThreads + ", spinning=" + spinning
                + ", interOpThreads="
                + interOpThreads + ", optimization=" + optimization + ", warmUp=" + warmUp
                + ", sessionConfig=" + sessionConfig + "}";
    }

    /** Builds {@link OnnxOptions}. */
    public static final class Builder {
        private Device device = Device.cpu();
        private int intraOpThreads = 1;
        private boolean spinning;
        private int interOpThreads;
        private Optimization optimization = Optimization.ALL;
        private boolean warmUp;
        private final Map<String, String> sessionConfig = new LinkedHashMap<>();

        private Builder() {
        }

        /** Where to run; {@link Device#cpu()} by default. */
        public Builder device(Device device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        /**
         * Threads inside one operator (default 1; 0 = ONNX Runtime's default, one per core). One
         * thread per run lets a {@link BatchedModel} keep every core busy with a batch of its own,
         * without threads of concurrent runs competing. Use more (with {@link #spinning(boolean)})
         * when one caller at a time runs a large model and the latency of that one call matters.
         */
        public Builder intraOpThreads(int threads) {
            this.intraOpThreads = threads;
            return this;
        }

        /**
         * Whether idle intra-op threads spin-wait for the next operator (default false; ONNX
         * Runtime's own default is true). Spinning shaves microseconds off one call but burns cores
         * that concurrent runs, request threads and the rest of the process need. An explicit
         * {@code sessionConfig("session.intra_op.allow_spinning", …)} wins over this.
         */
        public Builder spinning(boolean spin) {
            this.spinning = spin;
            return this;
        }

        /** Threads across independent operators (0 = ONNX Runtime's default). */
        public Builder interOpThreads(int threads) {
            this.interOpThreads = threads;
            return this;
        }

        /** The graph optimization level; {@link Optimization#ALL} by default. */
        public Builder optimization(Optimization level) {
            this.optimization = Objects.requireNonNull(level, "optimization");
            return this;
        }

        /** Run the model once on zero inputs during load, so the first request does not pay for lazy setup. */
        public Builder warmUp(boolean warmUp) {
            this.warmUp = warmUp;
            return this;
        }

        /** Adds an ONNX Runtime session config entry, passed through unchanged. */
        public Builder sessionConfig(String key, String value) {
            sessionConfig.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Checks the values and builds the options.
         *
         * @throws IllegalArgumentException naming the first bad option
         */
        public OnnxOptions build() {
            if (intraOpThreads < 0) {
                throw new IllegalArgumentException("intraOpThreads must be >= 0 (0 = ONNX Runtime's default), not " + intraOpThreads);
            }
            if (interOpThreads < 0) {
                throw new IllegalArgumentException("interOpThreads must be >= 0 (0 = ONNX Runtime's default), not " + interOpThreads);
            }
            return new OnnxOptions(this);
        }
    }
}
