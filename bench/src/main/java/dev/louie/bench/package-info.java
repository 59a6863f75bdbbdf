/**
 * The end-to-end benchmark CLI, {@code java -jar bench/target/louie-bench.jar SCENARIO [options]}:
 * {@link dev.louie.bench.LouieBench} is its main class, with one sub-command per scenario in the
 * packages below ({@code queue}, {@code batch}, {@code onnx}, {@code cache}, and in {@code api} the
 * tests of an HTTP API: {@code load}, {@code load-ceiling}, {@code fuzz}, {@code stats}) and {@code jmh} for
 * the JMH micro-benchmarks in the jar. Each scenario ends with one line
 * {@code RESULT key=value ...} and, where it has one, the ceiling measured in the same run.
 * The docs' plots are drawn with {@link dev.louie.testing.plot.LineChart} of louie-testing.
 */
package dev.louie.bench;
