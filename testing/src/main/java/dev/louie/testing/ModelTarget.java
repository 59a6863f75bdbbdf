package dev.louie.testing;

import dev.louie.onnx.BatchedModel;
import dev.louie.onnx.Tensor;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link LoadTarget} that calls a {@link BatchedModel} in this process, so a load test measures
 * the batcher and the model without HTTP. Needs {@code louie-inference-onnx} on the classpath (an
 * optional dependency of this module).
 */
public final class ModelTarget {
    private ModelTarget() {
    }

    /** Each request is {@code model.predict(inputs)}; a rejected or failed prediction is an error. */
    public static LoadTarget of(BatchedModel model, Map<String, Tensor> inputs) {
        Objects.requireNonNull(model, "model");
        Map<String, Tensor> copy = Map.copyOf(inputs);
        return () -> model.predict(copy).thenApply(outputs -> 200);
    }
}
