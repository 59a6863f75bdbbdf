/**
 * Louie's embedded storage: queues, schedules, leases, results, locks, revocation flags and
 * counters in one SQLite database file that several processes on one machine may share.
 *
 * <p>The public surface is {@link dev.louie.sqlite.SqliteStorage} (open one with
 * {@code SqliteStorage.file(path)} or {@code SqliteStorage.builder(path)...build()}) and its
 * {@code Synchronous} option, and {@link dev.louie.sqlite.SqliteStorageProvider}, which opens
 * {@code sqlite:PATH} URIs for {@code Storages.open}. Everything else is package-private: {@code SqliteConfig} (the
 * immutable, validated configuration), {@code Database} (connections, group commit, busy retries),
 * {@code SharedFile} (what the storages of one JVM on one file share: the write lock and wake-ups),
 * {@code Schema} (the migrations, recorded in {@code louie_schema}) and {@code Sql} (every
 * statement, each checked against its index by a test) and {@code SqliteInspection} (listings,
 * dead-letter repairs and heartbeats, with their statements).
 */
package dev.louie.sqlite;
