package dev.louie.examples;

import dev.louie.core.Task;
import dev.louie.onnx.BatchedModel;
import dev.louie.onnx.Tensor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The task of {@link ServingApp}: {@code predict(name)} classifies a name with the batched model,
 * on a consumer's worker (priority 10, 2 retries 1 s apart), so a caller can enqueue it and come
 * back for the result, or wait for it.
 */
public class ServingTasks {
    /** Features per name: the classifier's input width. */
    public static final int FEATURES = 64;

    /**
     * What {@code predict} answers.
     *
     * @param name          the name that was classified
     * @param label         the most probable class
     * @param probabilities one probability per class
     */
    public record Prediction(String name, int label, float[] probabilities) {
    }

    private final BatchedModel classifier;

    /** Tasks that run {@code classifier}. */
    public ServingTasks(BatchedModel classifier) {
        this.classifier = classifier;
    }

    /** Classifies {@code name}; a blank name fails (and is retried, as any failure). */
    @Task(name = "predict", priority = 10, retries = 2, retryDelay = "1s")
    public Prediction predict(String name) throws InterruptedException, ExecutionException, TimeoutException {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, not '" + name + "'");
        }
        Map<String, Tensor> out = classifier.predict(Map.of("x", Tensor.of(features(name), 1, FEATURES)))
                .get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
        float[] p = out.get("probabilities").toFloatArray();
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return new Prediction(name, best, p);
    }

    /** A deterministic feature vector of a name: its UTF-8 bytes folded into {@link #FEATURES} values in [0, 1). */
    public static float[] features(String name) {
        float[] f = new float[FEATURES];
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            f[(i * 31 + (bytes[i] & 0xff)) % FEATURES] += (bytes[i] & 0xff) / 256f;
        }
        for (int i = 0; i < FEATURES; i++) {
            f[i] = f[i] - (float) Math.floor(f[i]);
        }
        return f;
    }
}
