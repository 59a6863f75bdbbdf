package dev.louie.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void arraysRoundTripForEveryType() {
        assertThat(Tensor.of(new float[] {1.5f, -2}, 2).toFloatArray()).containsExactly(1.5f, -2f);
        assertThat(Tensor.of(new double[] {1.25, 3}, 1, 2).toDoubleArray()).containsExactly(1.25, 3.0);
        assertThat(Tensor.of(new int[] {7, -8, 9}, 3).toIntArray()).containsExactly(7, -8, 9);
        assertThat(Tensor.of(new long[] {1L << 40, -1}, 2).toLongArray()).containsExactly(1L << 40, -1L);
        assertThat(Tensor.ofInt8(new byte[] {-3, 4}, 2).toByteArray()).containsExactly(-3, 4);
        assertThat(Tensor.ofUint8(new byte[] {(byte) 250}, 1).getDouble(0)).isEqualTo(250.0);
        assertThat(Tensor.of(new boolean[] {true, false}, 2).toBooleanArray()).containsExactly(true, false);
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertThat(t.shape()).containsExactly(2, 3);
        assertThat(t.rank()).isEqualTo(2);
        assertThat(t.elementCount()).isEqualTo(6);
        assertThat(t.type()).isEqualTo(ElementType.FLOAT32);
        assertThat(t.buffer().isReadOnly()).isTrue();
        assertThat(t.buffer().order()).isEqualTo(ByteOrder.nativeOrder());
    }

    @Test
    void scalarHasEmptyShape() {
        Tensor s = Tensor.of(new float[] {2.5f});
        assertThat(s.rank()).isZero();
        assertThat(s.elementCount()).isEqualTo(1);
        assertThat(s.getDouble(0)).isEqualTo(2.5);
    }

    @Test
    void shapeMustMatchElementCount() {
        assertThatThrownBy(() -> Tensor.of(new float[5], 2, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 3]").hasMessageContaining("5");
        assertThatThrownBy(() -> Tensor.of(new float[0], -1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wrongTypeAccessorFails() {
        assertThatThrownBy(() -> Tensor.of(new float[] {1}, 1).toLongArray())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("float32");
    }

    @Test
    void wrapSharesHeapNativeOrderBuffers() {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        b.putFloat(0, 1f).putFloat(4, 2f);
        Tensor t = Tensor.wrap(ElementType.FLOAT32, b, 2);
        b.putFloat(0, 42f);
        assertThat(t.toFloatArray()).containsExactly(42f, 2f);
    }

    @Test
    void wrapSharesDirectNativeBuffers() {
        ByteBuffer b = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        b.putFloat(0, 1f).putFloat(4, 2f);
        Tensor t = Tensor.wrap(ElementType.FLOAT32, b, 2);
        b.putFloat(0, 42f); // same memory: visible through the tensor
        assertThat(t.toFloatArray()).containsExactly(42f, 2f);
    }

    @Test
    void wrapCopiesAndConvertsOtherBuffers() {
        ByteOrder other = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        ByteBuffer b = ByteBuffer.allocate(16).order(other);
        b.putLong(0, 5L).putLong(8, -6L);
        Tensor t = Tensor.wrap(ElementType.INT64, b, 2);
        b.putLong(0, 9L);
        assertThat(t.toLongArray()).containsExactly(5L, -6L);
        assertThatThrownBy(() -> Tensor.wrap(ElementType.INT64, ByteBuffer.allocate(15), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("15 bytes");
    }

    @Test
    void concatAndSplitAlongAxisZero() {
        Tensor a = Tensor.of(new float[] {1, 2}, 1, 2);
        Tensor b = Tensor.of(new float[] {3, 4, 5, 6}, 2, 2);
        Tensor ab = Tensor.concat(List.of(a, b), 0);
        assertThat(ab.shape()).containsExactly(3, 2);
        assertThat(ab.toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(ab.split(0, 1, 2)).containsExactly(a, b);
    }

    @Test
    void concatAndSplitAlongAxisOne() {
        // [2, 1, 2] and [2, 2, 2] → [2, 3, 2]
        Tensor a = Tensor.of(new long[] {1, 2, 3, 4}, 2, 1, 2);
        Tensor b = Tensor.of(new long[] {5, 6, 7, 8, 9, 10, 11, 12}, 2, 2, 2);
        Tensor ab = Tensor.concat(List.of(a, b), 1);
        assertThat(ab.shape()).containsExactly(2, 3, 2);
        assertThat(ab.toLongArray()).containsExactly(1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12);
        assertThat(ab.split(1, 1, 2)).containsExactly(a, b);
    }

    @Test
    void concatRejectsMismatchedParts() {
        Tensor a = Tensor.of(new float[] {1, 2}, 1, 2);
        assertThatThrownBy(() -> Tensor.concat(List.of(a, Tensor.of(new float[] {1, 2, 3}, 1, 3)), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("part 1");
        assertThatThrownBy(() -> Tensor.concat(List.of(a, Tensor.of(new double[] {1, 2}, 1, 2)), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("float64");
        assertThatThrownBy(() -> a.split(0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("add up to 2");
    }

    @Test
    void padGrowsEveryDimensionWithTheFillValue() {
        Tensor t = Tensor.of(new int[] {1, 2, 3, 4}, 2, 2);
        Tensor p = t.pad(new long[] {3, 3}, -1);
        assertThat(p.shape()).containsExactly(3, 3);
        assertThat(p.toIntArray()).containsExactly(1, 2, -1, 3, 4, -1, -1, -1, -1);
        assertThat(t.pad(new long[] {2, 2}, 0)).isSameAs(t);
        assertThatThrownBy(() -> t.pad(new long[] {1, 2}, 0)).isInstanceOf(IllegalArgumentException.class);
        Tensor seq = Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 2).pad(new long[] {1, 3, 2}, 0);
        assertThat(seq.toFloatArray()).containsExactly(1, 2, 3, 4, 0, 0);
    }

    @Test
    void equalityIsByTypeShapeAndBytes() {
        assertThat(Tensor.of(new float[] {1, 2}, 2)).isEqualTo(Tensor.of(new float[] {1, 2}, 2))
                .hasSameHashCodeAs(Tensor.of(new float[] {1, 2}, 2))
                .isNotEqualTo(Tensor.of(new float[] {1, 2}, 1, 2))
                .isNotEqualTo(Tensor.of(new float[] {1, 3}, 2));
        assertThat(Tensor.full(ElementType.BOOL, 1, 2)).isEqualTo(Tensor.of(new boolean[] {true, true}, 2));
        assertThat(Tensor.of(new float[] {1, 2}, 2).toString()).isEqualTo("float32[2] [1.0, 2.0]");
    }

    @Test
    void splitViewsEqualCopyingSplit() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 6, 2);
        List<Tensor> views = t.splitViewsAxis0(new int[] {1, 3, 2});
        assertThat(views).isEqualTo(t.split(0, 1, 3, 2));
        assertThat(views.get(1).shape()).containsExactly(3, 2);
        assertThat(views.get(2).toFloatArray()).containsExactly(9, 10, 11, 12);
    }
}
