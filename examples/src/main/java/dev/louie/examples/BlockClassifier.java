package dev.louie.examples;

import dev.louie.onnx.ElementType;
import dev.louie.onnx.OnnxFileWriter;
import dev.louie.onnx.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The classifier {@link ServingApp} serves when no {@code --model} is given: an ONNX model written
 * in code whose answer is known by construction, so the service's tests can check it exactly.
 *
 * <p>The {@value ServingTasks#FEATURES} inputs form {@value #CLASSES} blocks of {@value #BLOCK}
 * consecutive features; the logit of class {@code k} is {@value #SHARPNESS} times the mean of block
 * {@code k}, and the output {@code probabilities} is their softmax. The predicted class is the block
 * with the largest mean. The graph is one {@code MatMul} with a constant {@code [64, 4]} weight
 * matrix and a {@code Softmax}.
 */
final class BlockClassifier {
    /** The number of classes, one per block. */
    static final int CLASSES = 4;
    /** Features per block. */
    static final int BLOCK = ServingTasks.FEATURES / CLASSES;
    /** The scale of the logits: the logit of a class is this times its block's mean. */
    static final float SHARPNESS = 8f;

    private BlockClassifier() {
    }

    /** The model as the bytes of a {@code .onnx} file: input {@code x [batch, 64]}, output {@code probabilities [batch, 4]}. */
    static byte[] onnx() {
        float[] w = new float[ServingTasks.FEATURES * CLASSES];
        for (int i = 0; i < ServingTasks.FEATURES; i++) {
            w[i * CLASSES + i / BLOCK] = SHARPNESS / BLOCK;
        }
        return OnnxFileWriter.create()
                .input("x", ElementType.FLOAT32, "batch", ServingTasks.FEATURES)
                .initializer("w", Tensor.of(w, ServingTasks.FEATURES, CLASSES))
                .node("MatMul", List.of("x", "w"), List.of("logits"))
                .node("Softmax", List.of("logits"), List.of("probabilities"), Map.of("axis", -1L))
                .output("probabilities", ElementType.FLOAT32, "batch", CLASSES)
                .toByteArray();
    }

    /** What the model answers for {@code features}, computed in Java: the softmax of the scaled block means. */
    static double[] probabilities(float[] features) {
        if (features.length != ServingTasks.FEATURES) {
            throw new IllegalArgumentException("features must be " + ServingTasks.FEATURES + " values, not " + features.length);
        }
        double[] logits = new double[CLASSES];
        for (int i = 0; i < features.length; i++) {
            logits[i / BLOCK] += (double) SHARPNESS * features[i] / BLOCK;
        }
        double max = Math.max(Math.max(logits[0], logits[1]), Math.max(logits[2], logits[3]));
        double sum = 0;
        double[] p = new double[CLASSES];
        for (int k = 0; k < CLASSES; k++) {
            p[k] = Math.exp(logits[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < CLASSES; k++) {
            p[k] /= sum;
        }
        return p;
    }

    /** The class the model predicts for {@code features}: the block with the largest mean (the first on a tie). */
    static int label(float[] features) {
        double[] p = probabilities(features);
        int best = 0;
        for (int k = 1; k < CLASSES; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }
}
