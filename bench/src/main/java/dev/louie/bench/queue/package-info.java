/**
 * {@code louie-bench queue}: {@link dev.louie.bench.queue.QueueCommand} measures enqueue rate,
 * drain rate and round-trip latency of no-op tasks on the memory, SQLite or Redis backend, next
 * to that backend's ceiling from {@link dev.louie.bench.sqlite} or {@link dev.louie.bench.redis}.
 */
package dev.louie.bench.queue;
