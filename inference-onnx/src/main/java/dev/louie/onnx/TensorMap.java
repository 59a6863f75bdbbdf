package dev.louie.onnx;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable map from output names to one request's output tensors, in the model's output
 * order, over arrays the batch shares: one small object per request instead of a hash map.
 */
final class TensorMap extends AbstractMap<String, Tensor> {
    private final String[] names;
    private final Tensor[] values;

    /** @param names output names, shared; @param values this request's tensors, null where an output is absent */
    TensorMap(String[] names, Tensor[] values) {
        int present = 0;
        for (Tensor v : values) {
            if (v != null) {
                present++;
            }
        }
        if (present == values.length) {
            this.names = names;
            this.values = values;
        } else {
            this.names = new String[present];
            this.values = new Tensor[present];
            for (int i = 0, j = 0; i < values.length; i++) {
                if (values[i] != null) {
                    this.names[j] = names[i];
                    this.values[j++] = values[i];
                }
            }
        }
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public Tensor get(Object key) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(key)) {
                return values[i];
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public Set<Map.Entry<String, Tensor>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return values.length;
            }

            @Override
            public Iterator<Map.Entry<String, Tensor>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < values.length;
                    }

                    @Override
                    public Map.Entry<String, Tensor> next() {
                        if (next >= values.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new AbstractMap.SimpleImmutableEntry<>(names[i], values[i]);
                    }
                };
            }
        };
    }
}
