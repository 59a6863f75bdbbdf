/**
 * {@link dev.louie.testing.plot.LineChart}: the PNG line charts of load tests and benchmarks.
 */
package dev.louie.testing.plot;
