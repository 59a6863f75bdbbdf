package dev.louie.sqlite;

/**
 * Every statement {@link SqliteStorage} runs, in one place so that the query-plan test can check
 * that each one uses the index it was written for. States are literals (not parameters) so that
 * SQLite can match the partial indexes.
 */
final class Sql {
    private Sql() {
    }

    static final String BEGIN = "BEGIN IMMEDIATE";
    static final String COMMIT = "COMMIT";
    static final String ROLLBACK = "ROLLBACK";

    // ---- queue ----------------------------------------------------------------------------
    /**
     * Inserts a message unconditionally: the second half of {@code retry}, which replaces its own row.
     * The eta of a ready row is when it became visible (now, for an insert).
     */
    static final String ENQUEUE =
            "INSERT INTO louie_messages(queue, id, priority, state, eta, deliveries, body) VALUES (?, ?, ?, ?, ?, 0, ?)";
    /**
     * Inserts a message unless its id is in the queue already (ready, scheduled, leased or
     * dead-lettered): enqueue is idempotent by id. Same parameters as {@link #ENQUEUE}.
     */
    static final String ENQUEUE_IF_NEW =
            "INSERT INTO louie_messages(queue, id, priority, state, eta, deliveries, body) SELECT ?1, ?2, ?3, ?4, ?5, 0, ?6"
                    + " WHERE NOT EXISTS (SELECT 1 FROM louie_messages WHERE queue = ?1 AND id = ?2)"
                    + " AND NOT EXISTS (SELECT 1 FROM louie_dead_letters WHERE queue = ?1 AND id = ?2)";

    /** Expired leases of a queue become ready again (the start of every dequeue), visible since their deadline. */
    static final String REDELIVER_EXPIRED = "UPDATE louie_messages SET state = 0, eta = deadline, token = NULL, deadline = NULL"
            + " WHERE queue = ? AND state = 2 AND deadline <= ?";

    /** Leases the best ready rows; the token is a per-call prefix followed by the row's seq. */
    static final String DEQUEUE_SELECT =
            "SELECT seq FROM louie_messages WHERE queue = ? AND state = 0 ORDER BY priority DESC, seq LIMIT ?";
    static final String DEQUEUE = "UPDATE louie_messages SET state = 2, deliveries = deliveries + 1, token = ? || seq, deadline = ?"
            + " WHERE seq IN (" + DEQUEUE_SELECT + ")"
            + " RETURNING seq, id, priority, body, deliveries, token";

    static final String HAS_WORK = "SELECT EXISTS (SELECT 1 FROM louie_messages WHERE queue = ? AND state = 0)"
            + " OR EXISTS (SELECT 1 FROM louie_messages WHERE queue = ? AND state = 2 AND deadline <= ?)";

    // every lease operation matches the delivery by row, token and a deadline still in the future
    private static final String CURRENT = " WHERE seq = ? AND token = ? AND state = 2 AND deadline > ?";
    static final String ACK = "DELETE FROM louie_messages" + CURRENT;
    static final String ACK_RETURNING = "DELETE FROM louie_messages" + CURRENT + " RETURNING body, deliveries";
    static final String EXTEND = "UPDATE louie_messages SET deadline = ?" + CURRENT;
    /** Same parameters as {@link #ACK}; visible again since now (?3). */
    static final String RELEASE = "UPDATE louie_messages SET state = 0, eta = ?3, deliveries = deliveries - 1, token = NULL,"
            + " deadline = NULL WHERE seq = ?1 AND token = ?2 AND state = 2 AND deadline > ?3";
    static final String INSERT_DEAD =
            "INSERT INTO louie_dead_letters(queue, id, body, reason, deliveries, at) VALUES (?, ?, ?, ?, ?, ?)";
    static final String DEAD_LETTERS =
            "SELECT queue, id, body, reason, deliveries, at FROM louie_dead_letters WHERE queue = ? ORDER BY seq LIMIT ?";

    // ---- schedule -------------------------------------------------------------------------
    /** Due messages become ready; their eta stays, as when they became visible. */
    static final String PROMOTE =
            "UPDATE louie_messages SET state = 0 WHERE queue = ? AND state = 1 AND eta <= ?";

    // ---- results --------------------------------------------------------------------------
    static final String PUT_RESULT = "INSERT INTO louie_results(key, value, expires) VALUES (?, ?, ?)"
            + " ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = excluded.expires";
    static final String GET_RESULT =
            "SELECT value FROM louie_results WHERE key = ? AND (expires IS NULL OR expires > ?)";
    static final String CONSUME_RESULT =
            "DELETE FROM louie_results WHERE key = ? AND (expires IS NULL OR expires > ?) RETURNING value";
    static final String DELETE_RESULT =
            "DELETE FROM louie_results WHERE key = ? AND (expires IS NULL OR expires > ?)";
    static final String COUNT_RESULTS =
            "SELECT (SELECT count(*) FROM louie_results WHERE expires IS NULL)"
                    + " + (SELECT count(*) FROM louie_results WHERE expires IS NOT NULL AND expires > ?)";
    /** Background purge, in small batches so that no write transaction is long. */
    static final String PURGE_RESULTS = "DELETE FROM louie_results WHERE rowid IN"
            + " (SELECT rowid FROM louie_results WHERE expires IS NOT NULL AND expires <= ? LIMIT 500)";
    static final String PURGE_LOCKS = "DELETE FROM louie_locks WHERE expires <= ?";
    static final String PURGE_REVOCATIONS = "DELETE FROM louie_revocations WHERE until IS NOT NULL AND until <= ?";
    static final String PURGE_COUNTERS = "DELETE FROM louie_counters WHERE expires IS NOT NULL AND expires <= ?";

    // ---- the application --------------------------------------------------------------------
    static final String RECORD_APPLICATION = "INSERT INTO louie_meta(key, value) VALUES ('" + Schema.APPLICATION_KEY
            + "', ?) ON CONFLICT(key) DO NOTHING";
    static final String APPLICATION = "SELECT value FROM louie_meta WHERE key = '" + Schema.APPLICATION_KEY + "'";

    // ---- locks, flags, counters -----------------------------------------------------------
    static final String ACQUIRE_LOCK = "INSERT INTO louie_locks(name, owner, expires) VALUES (?, ?, ?)"
            + " ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expires = excluded.expires"
            + " WHERE louie_locks.owner = excluded.owner OR louie_locks.expires <= ?";
    static final String RELEASE_LOCK = "DELETE FROM louie_locks WHERE name = ? AND owner = ? AND expires > ?";
    static final String IS_LOCKED = "SELECT 1 FROM louie_locks WHERE name = ? AND expires > ?";
    static final String COUNT_LOCKS = "SELECT count(*) FROM louie_locks WHERE expires > ?";
    static final String DELETE_LOCKS = "DELETE FROM louie_locks";
    static final String REVOKE = "INSERT INTO louie_revocations(key, until, once) VALUES (?, ?, ?)"
            + " ON CONFLICT(key) DO UPDATE SET until = excluded.until, once = excluded.once";
    static final String REVOCATION =
            "SELECT until, once FROM louie_revocations WHERE key = ? AND (until IS NULL OR until > ?)";
    static final String RESTORE =
            "DELETE FROM louie_revocations WHERE key = ? RETURNING until";
    static final String COUNTER = "SELECT value FROM louie_counters WHERE name = ? AND (expires IS NULL OR expires > ?)";
    /**
     * Adds to a counter; an expired one counts from 0 again, without expiry. A given expiry replaces
     * the counter's, a null one leaves it as it was. Parameters: name, delta, expires (or null), now.
     */
    static final String INCREMENT = "INSERT INTO louie_counters(name, value, expires) VALUES (?1, ?2, ?3)"
            + " ON CONFLICT(name) DO UPDATE SET"
            + " value = CASE WHEN louie_counters.expires <= ?4 THEN 0 ELSE louie_counters.value END + excluded.value,"
            + " expires = CASE WHEN excluded.expires IS NOT NULL THEN excluded.expires"
            + " WHEN louie_counters.expires <= ?4 THEN NULL ELSE louie_counters.expires END"
            + " RETURNING value";
    /** A counter back at 0 is deleted. */
    static final String DELETE_COUNTER = "DELETE FROM louie_counters WHERE name = ?";

    // ---- sizes ----------------------------------------------------------------------------
    static final String QUEUE_SIZE = "SELECT count(*) FROM louie_messages WHERE queue = ? AND state = 0";
    static final String SCHEDULE_SIZE = "SELECT count(*) FROM louie_messages WHERE queue = ? AND state = 1";
    static final String LEASED_COUNT = "SELECT count(*) FROM louie_messages WHERE queue = ? AND state = 2";
    static final String DEAD_COUNT = "SELECT count(*) FROM louie_dead_letters WHERE queue = ?";
    /**
     * When the ready message that has waited longest became visible (the eta of a ready row). It
     * reads the queue's ready rows through the ready index rather than keeping an index of its own
     * that every enqueue and dequeue would pay for: metrics read it once per interval.
     */
    static final String OLDEST_PENDING =
            "SELECT min(eta) FROM louie_messages INDEXED BY louie_messages_ready WHERE queue = ? AND state = 0";

    /** Empties the file; {@code louie_schema} and {@code louie_meta} (whose file it is) stay. */
    static final String[] FLUSH = {
        "DELETE FROM louie_messages", "DELETE FROM louie_dead_letters", "DELETE FROM louie_results",
        "DELETE FROM louie_locks", "DELETE FROM louie_revocations", "DELETE FROM louie_counters",
        "DELETE FROM louie_consumers",
    };
}
