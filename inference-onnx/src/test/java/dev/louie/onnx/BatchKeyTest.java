package dev.louie.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link BatchKey}: requests share a batch exactly when shared values and non-batch dims are equal. */
class BatchKeyTest {

    @Test
    void equalSharedValuesAndDimsAreOneKeyWhateverTheInstances() {
        BatchKey a = new BatchKey(new Tensor[] {Tensor.of(new float[] {0.5f})}, new long[] {2, 64});
        BatchKey b = new BatchKey(new Tensor[] {Tensor.of(new float[] {0.5f})}, new long[] {2, 64});
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }

    @Test
    void anotherSharedValueOrAnotherDimIsAnotherKey() {
        BatchKey a = new BatchKey(new Tensor[] {Tensor.of(new float[] {0.5f})}, new long[] {2, 64});
        assertThat(a).isNotEqualTo(new BatchKey(new Tensor[] {Tensor.of(new float[] {0.25f})}, new long[] {2, 64}));
        assertThat(a).isNotEqualTo(new BatchKey(new Tensor[] {Tensor.of(new float[] {0.5f})}, new long[] {2, 32}));
        assertThat(a).isNotEqualTo(new BatchKey(new Tensor[0], new long[] {2, 64}));
    }
}
