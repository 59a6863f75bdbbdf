package dev.louie.sqlite;

import java.util.List;

/**
 * The database schema, as an ordered list of migrations. Version {@code n} is reached by
 * applying migrations {@code 1..n}; each applied version is recorded in {@code louie_schema}.
 * A migration is only ever appended, never edited, once released.
 */
final class Schema {
    private Schema() {
    }

    /** The migration table: one row per applied version. */
    static final String MIGRATION_TABLE = """
            CREATE TABLE IF NOT EXISTS louie_schema (
              version    INTEGER PRIMARY KEY,
              applied_at INTEGER NOT NULL
            )""";

    /**
     * Message states. One table holds ready, scheduled and leased messages; a partial index per
     * state keeps each access path small.
     */
    static final int READY = 0;
    static final int SCHEDULED = 1;
    static final int LEASED = 2;

    /** Migrations; element {@code i} takes the schema from version {@code i} to {@code i + 1}. */
    static final List<List<String>> MIGRATIONS = List.of(
            List.of(
                    """
                    CREATE TABLE louie_messages (
                      seq        INTEGER PRIMARY KEY,
                      queue      TEXT    NOT NULL,
                      id         TEXT    NOT NULL,
                      priority   INTEGER NOT NULL,
                      state      INTEGER NOT NULL,
                      eta        INTEGER,
                      deliveries INTEGER NOT NULL,
                      token      TEXT,
                      deadline   INTEGER,
                      body       BLOB    NOT NULL
                    )""",
                    "CREATE INDEX louie_messages_ready ON louie_messages(queue, priority DESC, seq) WHERE state = 0",
                    "CREATE INDEX louie_messages_scheduled ON louie_messages(queue, eta) WHERE state = 1",
                    "CREATE INDEX louie_messages_leased ON louie_messages(queue, deadline) WHERE state = 2",
                    """
                    CREATE TABLE louie_dead_letters (
                      seq        INTEGER PRIMARY KEY,
                      queue      TEXT    NOT NULL,
                      id         TEXT    NOT NULL,
                      body       BLOB    NOT NULL,
                      reason     TEXT    NOT NULL,
                      deliveries INTEGER NOT NULL,
                      at         INTEGER NOT NULL
                    )""",
                    "CREATE INDEX louie_dead_letters_queue ON louie_dead_letters(queue, seq)",
                    """
                    CREATE TABLE louie_results (
                      key     TEXT PRIMARY KEY,
                      value   BLOB NOT NULL,
                      expires INTEGER
                    )""",
                    "CREATE INDEX louie_results_expires ON louie_results(expires)",
                    """
                    CREATE TABLE louie_locks (
                      name    TEXT PRIMARY KEY,
                      owner   TEXT NOT NULL,
                      expires INTEGER NOT NULL
                    ) WITHOUT ROWID""",
                    """
                    CREATE TABLE louie_revocations (
                      key   TEXT PRIMARY KEY,
                      until INTEGER,
                      once  INTEGER NOT NULL
                    ) WITHOUT ROWID""",
                    """
                    CREATE TABLE louie_counters (
                      name  TEXT PRIMARY KEY,
                      value INTEGER NOT NULL
                    ) WITHOUT ROWID"""),
            // 2 (after Louie 0.1): enqueue idempotent by id, counters with a TTL, the application name.
            // The id indexes are not UNIQUE: a 0.1 file may hold one id twice, and a migration
            // never deletes messages. Enqueue checks both indexes before inserting instead.
            List.of(
                    "CREATE INDEX louie_messages_id ON louie_messages(queue, id)",
                    "CREATE INDEX louie_dead_letters_id ON louie_dead_letters(queue, id)",
                    "ALTER TABLE louie_counters ADD COLUMN expires INTEGER",
                    "CREATE INDEX louie_counters_expires ON louie_counters(expires) WHERE expires IS NOT NULL",
                    "CREATE INDEX louie_revocations_until ON louie_revocations(until) WHERE until IS NOT NULL",
                    """
                    CREATE TABLE louie_meta (
                      key   TEXT PRIMARY KEY,
                      value TEXT NOT NULL
                    ) WITHOUT ROWID"""),
            // 3: consumer heartbeats (one row per running consumer, deleted when it stops or expires)
            List.of(
                    """
                    CREATE TABLE louie_consumers (
                      id      TEXT    PRIMARY KEY,
                      record  BLOB    NOT NULL,
                      expires INTEGER NOT NULL
                    ) WITHOUT ROWID"""),
            // 4: exchanges and bindings (routing); the routing table's version is a row of louie_meta
            List.of(
                    """
                    CREATE TABLE IF NOT EXISTS louie_exchanges (
                      name            TEXT PRIMARY KEY,
                      type            TEXT NOT NULL,
                      alternate_queue TEXT
                    ) WITHOUT ROWID""",
                    """
                    CREATE TABLE IF NOT EXISTS louie_bindings (
                      exchange TEXT NOT NULL,
                      queue    TEXT NOT NULL,
                      pattern  TEXT NOT NULL,
                      PRIMARY KEY (exchange, queue, pattern)
                    ) WITHOUT ROWID"""),
            // 5 (louie.queue.oldest.age): eta also records when a ready or leased message became
            // visible (its enqueue, eta, release or lease expiry); older rows get the migration's time.
            List.of(
                    "UPDATE louie_messages SET eta = CAST((julianday('now') - 2440587.5) * 86400000000.0 AS INTEGER)"
                            + " WHERE state <> 1 AND eta IS NULL"),
            // 6: global limits (SqliteLimits): the GCRA state of each rate limit and the leased slots
            // of each concurrency limit, times in epoch microseconds
            List.of(
                    """
                    CREATE TABLE louie_rate_limits (
                      name TEXT    PRIMARY KEY,
                      tat  INTEGER NOT NULL
                    )""",
                    """
                    CREATE TABLE louie_limit_slots (
                      name    TEXT    NOT NULL,
                      holder  TEXT    NOT NULL,
                      expires INTEGER NOT NULL,
                      PRIMARY KEY (name, holder)
                    ) WITHOUT ROWID"""));

    /** The key in {@code louie_meta} of the name of the application the file belongs to. */
    static final String APPLICATION_KEY = "application";

    /** The schema version this code writes and reads. */
    static final int CURRENT = MIGRATIONS.size();
}
