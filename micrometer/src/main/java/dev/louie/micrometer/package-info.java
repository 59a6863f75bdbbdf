/**
 * Micrometer meters for Louie: bind them to any {@code MeterRegistry} (Prometheus, JMX, OTLP, …).
 *
 * <ul>
 *   <li>{@link dev.louie.micrometer.LouieMetrics}: tasks ({@code louie.task.duration},
 *       {@code louie.task.queue.wait}, {@code louie.tasks.enqueued}, from the Louie's signals) and
 *       queues ({@code louie.queue.*}, read from its storage at most once per interval).</li>
 *   <li>{@link dev.louie.micrometer.ConsumerMetrics}: busy and configured workers of a consumer.</li>
 *   <li>{@link dev.louie.micrometer.BatcherMetrics}: batch sizes, waits, executions, dispatch reasons,
 *       rejections and expiries of a {@code Batcher} (a {@code BatchedModel}'s too, through its
 *       {@code batcher()}); needs {@code louie-batching}.</li>
 *   <li>{@link dev.louie.micrometer.CacheMetrics}: Micrometer's standard Caffeine meters
 *       ({@code cache.*}) for a {@code LouieCache} or every cache of a {@code TaskCaches}; needs
 *       {@code louie-cache}.</li>
 * </ul>
 *
 * <p>Package-private: {@code TaskMeters} (the signal listener behind the task meters) and
 * {@code QueueGauges} (the cached reading of one queue). docs/monitoring.md lists every meter.
 */
package dev.louie.micrometer;
