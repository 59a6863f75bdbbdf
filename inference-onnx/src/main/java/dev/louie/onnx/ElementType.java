package dev.louie.onnx;

import ai.onnxruntime.OnnxJavaType;

/**
 * The element types a {@link Tensor} can hold, with their ONNX names and sizes.
 *
 * <p>These are the tensor element types Louie hands to and reads from ONNX Runtime. Models whose
 * inputs use another type (float16, string, ...) cannot be fed through {@link OnnxModel#run}; their
 * outputs of other types are skipped and listed in the load log.
 */
public enum ElementType {
    /** 32-bit IEEE float ({@code tensor(float)}). */
    FLOAT32(4, 1, OnnxJavaType.FLOAT),
    /** 64-bit IEEE float ({@code tensor(double)}). */
    FLOAT64(8, 11, OnnxJavaType.DOUBLE),
    /** Signed 32-bit integer. */
    INT32(4, 6, OnnxJavaType.INT32),
    /** Signed 64-bit integer (token ids, lengths). */
    INT64(8, 7, OnnxJavaType.INT64),
    /** Signed 8-bit integer. */
    INT8(1, 3, OnnxJavaType.INT8),
    /** Unsigned 8-bit integer (pixels). */
    UINT8(1, 2, OnnxJavaType.UINT8),
    /** Boolean, one byte per element (0 or 1). */
    BOOL(1, 9, OnnxJavaType.BOOL);

    private final int byteSize;
    private final int onnxDataType;
    private final OnnxJavaType ortType;

    ElementType(int byteSize, int onnxDataType, OnnxJavaType ortType) {
        this.byteSize = byteSize;
        this.onnxDataType = onnxDataType;
        this.ortType = ortType;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The {@code TensorProto.DataType} number ONNX uses for this type. */
    public int onnxDataType() {
        return onnxDataType;
    }

    OnnxJavaType ortType() {
        return ortType;
    }

    /** Returns the matching type, or {@code null} when ONNX Runtime's type is not one of these. */
    static ElementType fromOrt(OnnxJavaType type) {
        for (ElementType t : values()) {
            if (t.ortType == type) {
                return t;
            }
        }
        return null;
    }

    /** The lower-case name used in messages, e.g. {@code float32}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
