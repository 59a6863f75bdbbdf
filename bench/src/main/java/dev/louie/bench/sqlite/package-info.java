/**
 * {@link dev.louie.bench.sqlite.SqliteCeiling}: what plain JDBC does on a fresh SQLite file with
 * the backend's pragmas and statements, the ceiling the {@code queue} benchmark compares SQLite
 * against.
 */
package dev.louie.bench.sqlite;
