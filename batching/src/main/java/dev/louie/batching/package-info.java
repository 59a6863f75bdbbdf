/**
 * Request batching: many concurrent single requests become batched calls of one function, such
 * as one model call. Nothing here knows about tasks or ONNX.
 *
 * <p>Start from {@link dev.louie.batching.Batcher}: {@code Batcher.builder(fn)} with a
 * {@link dev.louie.batching.BatchFunction} (or {@code Batcher.asyncBuilder(fn)} with an
 * {@link dev.louie.batching.AsyncBatchFunction} that answers through a future), a
 * {@link dev.louie.batching.BatchPolicy} ({@code none()}, {@code fixed(...)}, {@code aimd(slo)},
 * {@code latencyFit(slo)}, {@code peakThroughput(slo)}; {@link dev.louie.batching.AimdPolicy},
 * {@link dev.louie.batching.LatencyFitPolicy} and {@link dev.louie.batching.PeakThroughputPolicy}
 * have builders for their tunables), then
 * {@code submit}. Failures arrive through the returned future:
 * {@link dev.louie.batching.BatcherOverloadedException},
 * {@link dev.louie.batching.DeadlineExceededException} or the function's own exception. Metrics go
 * to a {@link dev.louie.batching.BatchListener} as {@link dev.louie.batching.BatchEvent}s;
 * {@link dev.louie.batching.BatcherStats} is a ready one with percentiles. Time comes from a
 * {@link dev.louie.batching.BatchClock}, real time unless one is passed in.
 *
 * <p>Package-private: {@code FixedPolicy} (behind {@code BatchPolicy.fixed} and {@code none}),
 * {@code SystemClock} (the default clock, one timer thread per batcher) and {@code ChainedListener}
 * (the listeners of {@code Batcher.addListener}). The virtual clock and the
 * simulator live in {@link dev.louie.batching.simulation}.
 */
package dev.louie.batching;
