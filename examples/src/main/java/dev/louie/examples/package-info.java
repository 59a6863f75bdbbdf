/**
 * Runnable starting points to copy; {@code mvn -q -DskipTests -pl examples -am package} builds
 * {@code examples/target/louie-examples.jar} with everything in it.
 *
 * <p>Start from {@link dev.louie.examples.Quickstart} (the README's demo on SQLite: tasks, results,
 * a pipeline, retries, caching, a periodic task and a batched ONNX model; its tasks are in
 * {@link dev.louie.examples.QuickstartTasks}). {@link dev.louie.examples.ReportsApp} is an
 * application's {@code Louie} in a static field for {@code ConsumerMain}, with a producer main for
 * the same database file; {@link dev.louie.examples.RedisExample} is a producer and two consumers
 * sharing one Redis; {@link dev.louie.examples.RoutingExample} publishes through direct, topic and
 * fanout exchanges; {@link dev.louie.examples.ServingApp} is a model service over HTTP (a task,
 * a batched ONNX classifier, health, OpenAPI and Swagger UI; its task is in
 * {@link dev.louie.examples.ServingTasks}).
 */
package dev.louie.examples;
