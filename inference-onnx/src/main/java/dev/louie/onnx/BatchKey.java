package dev.louie.onnx;

import java.util.Arrays;

/**
 * What requests must have in common to share a batch: equal shared inputs and equal dimensions,
 * other than the batch axis, of every batched input that is not padded. Built once per request
 * from arrays, with its hash computed once, because the batcher looks it up on every submit.
 */
final class BatchKey {
    private final Tensor[] shared;
    private final long[] dims;
    private final int hash;

    /**
     * @param shared the request's shared inputs, in input order
     * @param dims   the non-batch dimensions of its unpadded batched inputs, in input order (each
     *               input's rank is fixed by the model, so the flat list is unambiguous)
     */
    BatchKey(Tensor[] shared, long[] dims) {
        this.shared = shared;
        this.dims = dims;
        this.hash = 31 * Arrays.hashCode(shared) + Arrays.hashCode(dims);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BatchKey k) || k.hash != hash || !Arrays.equals(k.dims, dims)
                || k.shared.length != shared.length) {
            return false;
        }
        for (int i = 0; i < shared.length; i++) {
            if (k.shared[i] != shared[i] && !k.shared[i].equals(shared[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "BatchKey" + Arrays.toString(dims) + Arrays.toString(shared);
    }
}
