package dev.louie.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable n-dimensional array: an {@link ElementType}, a shape, and a {@link ByteBuffer} in
 * native byte order holding the elements in row-major order.
 *
 * <p>The buffer is on the Java heap unless you {@link #wrap} a direct one: a request's tensor lives
 * for one call, and the heap allocates and frees it far faster than native memory, whose buffers
 * are freed only after a garbage collection finds them. ONNX Runtime reads a direct buffer in place;
 * a heap one is copied into a reused native buffer of the calling thread, and {@link BatchedModel}
 * copies every request of a batch into one anyway. Build one from a Java array ({@code
 * Tensor.of(floats, 2, 64)}, which copies once) or wrap a buffer you filled yourself with {@link
 * #wrap} (no copy when it is in native order).
 *
 * <p>{@link #concat} stacks tensors along an axis and {@link #split} cuts one back by row counts;
 * {@link #pad} grows dimensions with a fill value. Two tensors are {@link #equals equal} when type,
 * shape and every element byte are equal.
 */
public final class Tensor {

    private final ElementType type;
    private final long[] shape;
    private final ByteBuffer data; // heap or direct, native order, position 0, limit = byte size; never exposed writable

    private Tensor(ElementType type, long[] shape, ByteBuffer data) {
        this.type = type;
        this.shape = shape;
        this.data = data;
    }

    // ---- factories -------------------------------------------------------------------------

    /** A float32 tensor holding a copy of {@code values}; the shape's element count must match. */
    public static Tensor of(float[] values, long... shape) {
        ByteBuffer b = allocate(ElementType.FLOAT32, checkedShape(values.length, shape));
        b.asFloatBuffer().put(values);
        return new Tensor(ElementType.FLOAT32, shape.clone(), b);
    }

    /** A float64 tensor holding a copy of {@code values}. */
    public static Tensor of(double[] values, long... shape) {
        ByteBuffer b = allocate(ElementType.FLOAT64, checkedShape(values.length, shape));
        b.asDoubleBuffer().put(values);
        return new Tensor(ElementType.FLOAT64, shape.clone(), b);
    }

    /** An int32 tensor holding a copy of {@code values}. */
    public static Tensor of(int[] values, long... shape) {
        ByteBuffer b = allocate(ElementType.INT32, checkedShape(values.length, shape));
        b.asIntBuffer().put(values);
        return new Tensor(ElementType.INT32, shape.clone(), b);
    }

    /** An int64 tensor holding a copy of {@code values}. */
    public static Tensor of(long[] values, long... shape) {
        ByteBuffer b = allocate(ElementType.INT64, checkedShape(values.length, shape));
        b.asLongBuffer().put(values);
        return new Tensor(ElementType.INT64, shape.clone(), b);
    }

    /** A bool tensor holding a copy of {@code values}. */
    public static Tensor of(boolean[] values, long... shape) {
        ByteBuffer b = allocate(ElementType.BOOL, checkedShape(values.length, shape));
        for (boolean v : values) {
            b.put(v ? (byte) 1 : (byte) 0);
        }
        b.clear();
        return new Tensor(ElementType.BOOL, shape.clone(), b);
    }

    /** An int8 tensor holding a copy of {@code values}. */
    public static Tensor ofInt8(byte[] values, long... shape) {
        return ofBytes(ElementType.INT8, values, shape);
    }

    /** A uint8 tensor holding a copy of {@code values} (read as unsigned by the model). */
    public static Tensor ofUint8(byte[] values, long... shape) {
        return ofBytes(ElementType.UINT8, values, shape);
    }

    private static Tensor ofBytes(ElementType type, byte[] values, long[] shape) {
        ByteBuffer b = allocate(type, checkedShape(values.length, shape));
        b.put(values).clear();
        return new Tensor(type, shape.clone(), b);
    }

    /**
     * A tensor over the bytes of {@code buffer} from its position to its limit, in the buffer's byte
     * order. When the buffer is in native order (heap or direct) the tensor shares its memory (no
     * copy); do not change those bytes afterwards. Otherwise the bytes are copied.
     *
     * @throws IllegalArgumentException when the remaining bytes do not match type and shape
     */
    public static Tensor wrap(ElementType type, ByteBuffer buffer, long... shape) {
        Objects.requireNonNull(type, "type");
        long count = elementCount(shape);
        long bytes = count * type.byteSize();
        if (buffer.remaining() != bytes) {
            throw new IllegalArgumentException("buffer has " + buffer.remaining() + " bytes but " + type
                    + " shape " + Arrays.toString(shape) + " needs " + bytes);
        }
        if (buffer.order() == ByteOrder.nativeOrder()) {
            ByteBuffer view = buffer.slice().order(ByteOrder.nativeOrder());
            return new Tensor(type, shape.clone(), view);
        }
        ByteBuffer copy = allocate(type, count);
        if (buffer.order() == ByteOrder.nativeOrder() || type.byteSize() == 1) {
            copy.put(buffer.duplicate()).clear();
        } else {
            ByteBuffer src = buffer.duplicate().order(buffer.order());
            int size = type.byteSize();
            for (long i = 0; i < count; i++) {
                switch (size) {
                    case 4 -> copy.putInt(src.getInt());
                    case 8 -> copy.putLong(src.getLong());
                    default -> throw new AssertionError(size);
                }
            }
            copy.clear();
        }
        return new Tensor(type, shape.clone(), copy);
    }

    /** A tensor of the given type and shape with every element equal to {@code value} (cast to the type). */
    public static Tensor full(ElementType type, double value, long... shape) {
        long count = elementCount(shape);
        ByteBuffer b = allocate(type, count);
        fill(b, type, value, 0, count);
        return new Tensor(type, shape.clone(), b);
    }

    // ---- accessors -------------------------------------------------------------------------

    /** The element type. */
    public ElementType type() {
        return type;
    }

    /** A copy of the shape. */
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions (0 for a scalar). */
    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code axis}. */
    public long dim(int axis) {
        return shape[axis];
    }

    /** Number of elements (the product of the shape; 1 for a scalar). */
    public long elementCount() {
        return elementCount(shape);
    }

    /** A read-only view of the elements in native byte order, positioned at 0 (direct only if a direct buffer was wrapped). */
    public ByteBuffer buffer() {
        return data.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    }

    /** The shared buffer in native order, heap or direct; callers must not write to it. */
    ByteBuffer nativeBuffer() {
        return data.duplicate().order(ByteOrder.nativeOrder());
    }

    /** The elements as floats; only for float32 tensors. */
    public float[] toFloatArray() {
        requireType(ElementType.FLOAT32);
        float[] out = new float[(int) elementCount()];
        nativeBuffer().asFloatBuffer().get(out);
        return out;
    }

    /** The elements as doubles; only for float64 tensors. */
    public double[] toDoubleArray() {
        requireType(ElementType.FLOAT64);
        double[] out = new double[(int) elementCount()];
        nativeBuffer().asDoubleBuffer().get(out);
        return out;
    }

    /** The elements as ints; only for int32 tensors. */
    public int[] toIntArray() {
        requireType(ElementType.INT32);
        int[] out = new int[(int) elementCount()];
        nativeBuffer().asIntBuffer().get(out);
        return out;
    }

    /** The elements as longs; only for int64 tensors. */
    public long[] toLongArray() {
        requireType(ElementType.INT64);
        long[] out = new long[(int) elementCount()];
        nativeBuffer().asLongBuffer().get(out);
        return out;
    }

    /** The elements as raw bytes; for int8, uint8 and bool tensors. */
    public byte[] toByteArray() {
        if (type.byteSize() != 1) {
            throw new IllegalStateException("tensor is " + type + ", not a one-byte type");
        }
        byte[] out = new byte[(int) elementCount()];
        nativeBuffer().get(out);
        return out;
    }

    /** The elements as booleans; only for bool tensors. */
    public boolean[] toBooleanArray() {
        requireType(ElementType.BOOL);
        byte[] raw = toByteArray();
        boolean[] out = new boolean[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = raw[i] != 0;
        }
        return out;
    }

    /** Element {@code index} (row-major) widened to a double, whatever the type. */
    public double getDouble(long index) {
        if (index < 0 || index >= elementCount()) {
            throw new IndexOutOfBoundsException("index " + index + " of " + elementCount());
        }
        int at = Math.toIntExact(index * type.byteSize());
        return switch (type) {
            case FLOAT32 -> data.getFloat(at);
            case FLOAT64 -> data.getDouble(at);
            case INT32 -> data.getInt(at);
            case INT64 -> data.getLong(at);
            case INT8, BOOL -> data.get(at);
            case UINT8 -> data.get(at) & 0xff;
        };
    }

    private void requireType(ElementType expected) {
        if (type != expected) {
            throw new IllegalStateException("tensor is " + type + ", not " + expected);
        }
    }

    // ---- concat / split / pad ----------------------------------------------------------------

    /**
     * Stacks {@code parts} along {@code axis}. All parts must have the same type and rank, and equal
     * sizes on every other dimension.
     *
     * @throws IllegalArgumentException naming the first part that does not fit
     */
    public static Tensor concat(List<Tensor> parts, int axis) {
        long bytes = concatBytes(parts, axis);
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return concatInto(parts, axis, allocate(ElementType.UINT8, bytes));
    }

    /**
     * Checks that {@code parts} can be stacked along {@code axis} and returns the bytes the result
     * takes.
     *
     * @throws IllegalArgumentException naming the first part that does not fit
     */
    static long concatBytes(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        Tensor first = parts.get(0);
        if (axis < 0 || axis >= first.rank()) {
            throw new IllegalArgumentException("axis " + axis + " out of range for rank " + first.rank());
        }
        long total = 0;
        for (int p = 0; p < parts.size(); p++) {
            Tensor t = parts.get(p);
            if (t.type != first.type || t.shape.length != first.shape.length) {
                throw new IllegalArgumentException("part " + p + " is " + t.type + Arrays.toString(t.shape)
                        + " but part 0 is " + first.type + Arrays.toString(first.shape));
            }
            for (int d = 0; d < first.shape.length; d++) {
                if (d != axis && t.shape[d] != first.shape[d]) {
                    throw new IllegalArgumentException("part " + p + " has shape " + Arrays.toString(t.shape)
                            + " but part 0 has " + Arrays.toString(first.shape) + ": only dimension " + axis
                            + " may differ");
                }
            }
            total += t.shape[axis];
        }
        return total * product(first.shape, 0, axis) * product(first.shape, axis + 1, first.rank())
                * first.type.byteSize();
    }

    /**
     * Stacks parts already checked by {@link #concatBytes} into the start of {@code target} (direct,
     * large enough) and returns a tensor over those bytes. The tensor shares {@code target}: it is
     * valid until the buffer is written again, so only for a batch that is dropped after its run.
     */
    static Tensor concatInto(List<Tensor> parts, int axis, ByteBuffer target) {
        Tensor first = parts.get(0);
        long total = 0;
        for (Tensor t : parts) {
            total += t.shape[axis];
        }
        long[] shape = first.shape.clone();
        shape[axis] = total;
        long outer = product(first.shape, 0, axis);
        long inner = product(first.shape, axis + 1, first.rank()) * first.type.byteSize();
        int bytes = Math.toIntExact(total * outer * inner);
        ByteBuffer out = target.duplicate().order(ByteOrder.nativeOrder());
        out.clear();
        if (outer == 1) {
            for (Tensor t : parts) {
                out.put(t.data.duplicate());
            }
        } else {
            for (long o = 0; o < outer; o++) {
                for (Tensor t : parts) {
                    int chunk = Math.toIntExact(t.shape[axis] * inner);
                    out.put(t.data.slice(Math.toIntExact(o * chunk), chunk));
                }
            }
        }
        ByteBuffer view = out.flip().slice().order(ByteOrder.nativeOrder());
        if (view.capacity() != bytes) {
            throw new AssertionError("concatenated " + view.capacity() + " bytes, expected " + bytes);
        }
        return new Tensor(first.type, shape, view);
    }

    /**
     * Cuts this tensor along {@code axis} into consecutive pieces of {@code sizes} rows; the sizes must
     * add up to {@code dim(axis)}. The inverse of {@link #concat}. The pieces are copies of their
     * elements; they share one new allocation of memory, which is freed when the last is unreachable.
     */
    public List<Tensor> split(int axis, int... sizes) {
        if (axis < 0 || axis >= rank()) {
            throw new IllegalArgumentException("axis " + axis + " out of range for rank " + rank());
        }
        long sum = 0;
        for (int s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("negative split size " + s);
            }
            sum += s;
        }
        if (sum != shape[axis]) {
            throw new IllegalArgumentException("split sizes " + Arrays.toString(sizes) + " add up to " + sum
                    + " but dimension " + axis + " of " + Arrays.toString(shape) + " is " + shape[axis]);
        }
        if (sizes.length == 1) {
            return List.of(this);
        }
        long outer = product(shape, 0, axis);
        long inner = product(shape, axis + 1, rank()) * type.byteSize();
        long rowBlock = shape[axis] * inner;
        // one native allocation for all the pieces (an allocation of direct memory costs far more
        // than the copy of a small piece); each piece is a contiguous region of it
        ByteBuffer all = allocate(ElementType.UINT8, data.limit());
        List<Tensor> out = new ArrayList<>(sizes.length);
        long offsetRows = 0;
        int start = 0;
        for (int s : sizes) {
            long[] partShape = shape.clone();
            partShape[axis] = s;
            int chunk = Math.toIntExact(s * inner);
            int bytes = Math.toIntExact(outer * chunk);
            ByteBuffer b = all.slice(start, bytes).order(ByteOrder.nativeOrder());
            for (long o = 0; o < outer; o++) {
                int from = Math.toIntExact(o * rowBlock + offsetRows * inner);
                b.put(data.slice(from, chunk));
            }
            b.clear();
            out.add(new Tensor(type, partShape, b));
            offsetRows += s;
            start += bytes;
        }
        return out;
    }

    /** A copy of this tensor on the heap, for a tensor over memory that is about to be freed. */
    Tensor copy() {
        ByteBuffer b = allocate(ElementType.UINT8, data.limit());
        b.put(data.duplicate()).clear();
        return new Tensor(type, shape, b);
    }

    /**
     * Like {@link #split} along axis 0, but each piece is a view of this tensor's memory (no copy, no
     * allocation). For a batch output that is split once and then dropped.
     */
    List<Tensor> splitViewsAxis0(int[] sizes) {
        long inner = product(shape, 1, rank()) * type.byteSize();
        List<Tensor> out = new ArrayList<>(sizes.length);
        long offsetRows = 0;
        for (int s : sizes) {
            long[] partShape = shape.clone();
            partShape[0] = s;
            ByteBuffer view = data.slice(Math.toIntExact(offsetRows * inner), Math.toIntExact(s * inner))
                    .order(ByteOrder.nativeOrder());
            out.add(new Tensor(type, partShape, view));
            offsetRows += s;
        }
        return out;
    }

    /**
     * Grows this tensor to {@code targetShape} (same rank, every dimension at least as large), keeping
     * the elements at the start of each dimension and filling the rest with {@code padValue}.
     */
    public Tensor pad(long[] targetShape, double padValue) {
        if (targetShape.length != rank()) {
            throw new IllegalArgumentException("cannot pad rank " + rank() + " to rank " + targetShape.length);
        }
        boolean same = true;
        for (int d = 0; d < rank(); d++) {
            if (targetShape[d] < shape[d]) {
                throw new IllegalArgumentException("cannot pad " + Arrays.toString(shape) + " down to "
                        + Arrays.toString(targetShape));
            }
            same &= targetShape[d] == shape[d];
        }
        if (same) {
            return this;
        }
        long count = elementCount(targetShape);
        ByteBuffer out = allocate(type, count);
        fill(out, type, padValue, 0, count);
        if (elementCount() > 0) {
            // copy each innermost row of the source to its place in the target
            int r = rank();
            int rowBytes = Math.toIntExact(shape[r - 1] * type.byteSize());
            long rows = elementCount() / shape[r - 1];
            long[] index = new long[r - 1];
            for (long row = 0; row < rows; row++) {
                long target = 0;
                for (int d = 0; d < r - 1; d++) {
                    target = target * targetShape[d] + index[d];
                }
                int to = Math.toIntExact(target * targetShape[r - 1] * type.byteSize());
                out.put(to, data, Math.toIntExact(row * rowBytes), rowBytes);
                for (int d = r - 2; d >= 0; d--) { // advance the odometer
                    if (++index[d] < shape[d]) {
                        break;
                    }
                    index[d] = 0;
                }
            }
        }
        return new Tensor(type, targetShape.clone(), out);
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** A zeroed heap buffer in native order for {@code count} elements. */
    static ByteBuffer allocate(ElementType type, long count) {
        return ByteBuffer.allocate(checkedBytes(count * type.byteSize())).order(ByteOrder.nativeOrder());
    }

    /**
     * A native buffer in native order, for memory that is reused (a batch thread's concatenation
     * buffer, a calling thread's staging buffer for ONNX Runtime), never for one call's tensor.
     */
    static ByteBuffer allocateDirect(long bytes) {
        return ByteBuffer.allocateDirect(checkedBytes(bytes)).order(ByteOrder.nativeOrder());
    }

    private static int checkedBytes(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor of " + bytes + " bytes is larger than 2 GiB");
        }
        return (int) bytes;
    }

    private static void fill(ByteBuffer b, ElementType type, double value, long from, long count) {
        int size = type.byteSize();
        for (long i = from; i < from + count; i++) {
            int at = Math.toIntExact(i * size);
            switch (type) {
                case FLOAT32 -> b.putFloat(at, (float) value);
                case FLOAT64 -> b.putDouble(at, value);
                case INT32 -> b.putInt(at, (int) value);
                case INT64 -> b.putLong(at, (long) value);
                case INT8, UINT8 -> b.put(at, (byte) (long) value);
                case BOOL -> b.put(at, value != 0 ? (byte) 1 : (byte) 0);
            }
        }
    }

    private static long checkedShape(int length, long[] shape) {
        long count = elementCount(shape);
        if (count != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count
                    + " elements but " + length + " were given");
        }
        return count;
    }

    static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static long product(long[] shape, int from, int to) {
        long n = 1;
        for (int i = from; i < to; i++) {
            n *= shape[i];
        }
        return n;
    }

    /** Equal when type, shape and all element bytes are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && t.type == type && Arrays.equals(t.shape, shape) && t.data.equals(data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type.hashCode() + Arrays.hashCode(shape)) + data.hashCode();
    }

    /** Type and shape, plus the first few elements, e.g. {@code float32[2, 3] [0.1, 0.2, ...]}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(type).append(Arrays.toString(shape)).append(" [");
        long n = Math.min(elementCount(), 8);
        for (long i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ", ").append(type == ElementType.FLOAT32 || type == ElementType.FLOAT64
                    ? String.valueOf(getDouble(i)) : String.valueOf((long) getDouble(i)));
        }
        return s.append(elementCount() > n ? ", ...]" : "]").toString();
    }
}
