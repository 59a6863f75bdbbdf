package dev.louie.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A minimal protobuf wire-format writer: varints, length-delimited fields and fixed32 floats. */
final class ProtoWriter {
    private static final int VARINT = 0;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtoWriter varint(int field, long value) {
        tag(field, VARINT);
        rawVarint(value);
        return this;
    }

    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter bytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toByteArray());
    }

    ProtoWriter float32(int field, float value) {
        tag(field, FIXED32);
        int bits = Float.floatToIntBits(value);
        for (int i = 0; i < 4; i++) {
            out.write((bits >>> (8 * i)) & 0xff);
        }
        return this;
    }

    /** A packed repeated varint field (int32/int64). */
    ProtoWriter packedVarints(int field, long[] values) {
        ProtoWriter body = new ProtoWriter();
        for (long v : values) {
            body.rawVarint(v);
        }
        return bytes(field, body.toByteArray());
    }

    /** A packed repeated float field. */
    ProtoWriter packedFloats(int field, float[] values) {
        ProtoWriter body = new ProtoWriter();
        for (float v : values) {
            int bits = Float.floatToIntBits(v);
            for (int i = 0; i < 4; i++) {
                body.out.write((bits >>> (8 * i)) & 0xff);
            }
        }
        return bytes(field, body.toByteArray());
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
