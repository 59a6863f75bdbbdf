/**
 * The storage SPI: where messages, results, locks, flags and counters live.
 *
 * <p>{@link dev.louie.core.storage.Storage} is the one interface a backend implements;
 * {@link dev.louie.core.storage.Envelope} (a message as storage sees it), {@link dev.louie.core.storage.Lease}
 * (a taken message), {@link dev.louie.core.storage.Completion}, {@link dev.louie.core.storage.DeadLetter}
 * and {@link dev.louie.core.storage.Revocation} are the values it passes. The optional
 * {@link dev.louie.core.storage.StorageInspection} lists ({@link dev.louie.core.storage.StoredMessage}),
 * repairs and stores consumer heartbeats. {@link dev.louie.core.storage.Storages} opens a storage from a
 * URI through the {@link dev.louie.core.storage.StorageProvider}s backends register.
 * {@link dev.louie.core.storage.ExchangeStorage} is the optional capability to hold exchanges and
 * bindings (read as a {@link dev.louie.core.storage.RoutingTable}) and to publish into several queues;
 * {@link dev.louie.core.storage.LimitStorage} the optional capability to enforce global rate and
 * concurrency limits (GCRA rates, leased slots).
 * {@link dev.louie.core.storage.MemoryStorage} is the in-memory backend (tests, immediate mode,
 * single-process apps); {@code louie-queue-sqlite} and {@code louie-queue-redis} bring the others.
 * The conformance suite that pins the semantics ships in core's test-jar
 * ({@code StorageConformanceTest}, {@code ExchangeConformanceTest}, {@code LimitConformanceTest}); docs/storage-backends.md explains how to write a backend.
 */
package dev.louie.core.storage;
