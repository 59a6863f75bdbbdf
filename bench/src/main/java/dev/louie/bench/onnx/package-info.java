/**
 * {@code louie-bench onnx}: {@link dev.louie.bench.onnx.OnnxCommand} measures a
 * {@code BatchedModel} under closed-loop clients against the ceiling of raw {@code OnnxModel.run}
 * on pre-built batches, and writes the docs' serving plots with {@code --plots DIR}
 * ({@code OnnxPlots}, package-private).
 */
package dev.louie.bench.onnx;
