/**
 * ONNX models through ONNX Runtime, alone or behind a batcher.
 *
 * <p>Start from {@link dev.louie.onnx.OnnxModel#load(java.nio.file.Path) OnnxModel.load(...)},
 * optionally with {@link dev.louie.onnx.OnnxOptions} (the {@link dev.louie.onnx.Device}, CPU or
 * CUDA, thread pools, graph optimization, warm-up), and call {@code run} with named
 * {@link dev.louie.onnx.Tensor}s. Wrap the model in a {@link dev.louie.onnx.BatchedModel}
 * ({@code BatchedModel.builder(model)...build()}) so that concurrent {@code predict} calls share
 * one model call: requests are stacked along the batch axis and the outputs split back.
 * {@link dev.louie.onnx.TensorSpec} and {@link dev.louie.onnx.ElementType} describe what a model
 * declares; a model that cannot be loaded or run fails with {@link dev.louie.onnx.OnnxException}.
 * {@link dev.louie.onnx.OnnxFileWriter} writes small ONNX files in code, for tests and demos.
 *
 * <p>Package-private: {@code ProtoWriter}, the protobuf wire-format writer under
 * {@code OnnxFileWriter}.
 */
package dev.louie.onnx;
