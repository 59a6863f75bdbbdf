/**
 * The sub-commands that test an HTTP API from outside: {@code load} (a {@link dev.louie.testing.LoadTest}),
 * {@code fuzz} (an {@link dev.louie.testing.ApiFuzzer}), {@code stats} (a
 * {@link dev.louie.testing.DistributionCheck} of a model's predictions) and {@code load-ceiling}
 * (the load generator against a no-op loopback endpoint, with {@code wrk} in the same run).
 */
package dev.louie.bench.api;
