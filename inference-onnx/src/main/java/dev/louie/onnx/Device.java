package dev.louie.onnx;

import java.util.Objects;

/**
 * Where an {@link OnnxModel} runs: the CPU, or a CUDA GPU by device id.
 *
 * <p>{@code Device.cuda(0)} is strict: loading fails with an {@link OnnxException} saying why when
 * CUDA cannot be used. {@code Device.cuda(0).orElseCpu()} falls back to the CPU instead, logs one
 * warning with the reason, and records it in {@link OnnxModel#deviceFallbackReason()}.
 *
 * <p>CUDA needs the {@code com.microsoft.onnxruntime:onnxruntime_gpu} artifact in place of {@code
 * onnxruntime} (same Java API), and CUDA 12 with cuDNN 9 on the host.
 */
public final class Device {

    /** The kind of hardware. */
    public enum Kind {
        /** The host CPU. */
        CPU,
        /** An NVIDIA GPU through ONNX Runtime's CUDA execution provider. */
        CUDA
    }

    private static final Device CPU = new Device(Kind.CPU, -1, false);

    private final Kind kind;
    private final int id;
    private final boolean cpuFallback;

    private Device(Kind kind, int id, boolean cpuFallback) {
        this.kind = kind;
        this.id = id;
        this.cpuFallback = cpuFallback;
    }

    /** The CPU, the default. */
    public static Device cpu() {
        return CPU;
    }

    /** CUDA GPU number {@code id} (0 is the first), with no fallback: loading fails if it cannot be used. */
    public static Device cuda(int id) {
        if (id < 0) {
            throw new IllegalArgumentException("CUDA device id must be >= 0, got " + id);
        }
        return new Device(Kind.CUDA, id, false);
    }

    /** This device, but run on the CPU (with a logged reason) when it cannot be used. */
    public Device orElseCpu() {
        return kind == Kind.CPU ? this : new Device(kind, id, true);
    }

    /** CPU or CUDA. */
    public Kind kind() {
        return kind;
    }

    /** The CUDA device id, or -1 for the CPU. */
    public int id() {
        return id;
    }

    /** Whether loading falls back to the CPU when this device cannot be used. */
    public boolean fallsBackToCpu() {
        return cpuFallback;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device d && d.kind == kind && d.id == id && d.cpuFallback == cpuFallback;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, id, cpuFallback);
    }

    /** {@code cpu}, {@code cuda:0} or {@code cuda:0 (else cpu)}. */
    @Override
    public String toString() {
        if (kind == Kind.CPU) {
            return "cpu";
        }
        return "cuda:" + id + (cpuFallback ? " (else cpu)" : "");
    }
}
