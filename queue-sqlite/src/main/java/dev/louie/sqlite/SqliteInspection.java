package dev.louie.sqlite;

import static dev.louie.sqlite.SqliteStorage.instant;
import static dev.louie.sqlite.SqliteStorage.micros;

import dev.louie.core.storage.DeadLetter;
import dev.louie.core.storage.StoredMessage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The listings, dead-letter repairs and consumer heartbeats of {@link SqliteStorage}
 * ({@code StorageInspection}), with their statements. Each repair is one write transaction.
 */
final class SqliteInspection {

    // states are literals so that SQLite matches the partial indexes
    static final String QUEUES = "SELECT DISTINCT queue FROM louie_messages UNION SELECT DISTINCT queue FROM louie_dead_letters";
    static final String PENDING = "SELECT id, priority, eta, deliveries, deadline, body FROM louie_messages"
            + " WHERE queue = ? AND state = 0 ORDER BY priority DESC, seq LIMIT ? OFFSET ?";
    static final String SCHEDULED = "SELECT id, priority, eta, deliveries, deadline, body FROM louie_messages"
            + " WHERE queue = ? AND state = 1 ORDER BY eta, seq LIMIT ? OFFSET ?";
    static final String LEASED = "SELECT id, priority, eta, deliveries, deadline, body FROM louie_messages"
            + " WHERE queue = ? AND state = 2 ORDER BY deadline, seq LIMIT ? OFFSET ?";
    static final String MESSAGE = "SELECT id, priority, eta, deliveries, deadline, body, state FROM louie_messages"
            + " WHERE queue = ? AND id = ? ORDER BY seq LIMIT 1";
    static final String DELETE_MESSAGE = "DELETE FROM louie_messages WHERE queue = ? AND id = ? AND state IN (0, 1)";
    static final String DEAD_PAGE = "SELECT seq, id, body, reason, deliveries, at FROM louie_dead_letters"
            + " WHERE queue = ? ORDER BY seq LIMIT ? OFFSET ?";
    static final String DEAD_ONE = "SELECT seq, id, body, reason, deliveries, at FROM louie_dead_letters"
            + " WHERE queue = ? AND id = ? ORDER BY seq LIMIT 1";
    static final String IN_QUEUE = "SELECT 1 FROM louie_messages WHERE queue = ? AND id = ? LIMIT 1";
    /** A requeued message is visible since now (the eta of a ready row; see {@code Sql.ENQUEUE}). */
    static final String REQUEUE = "INSERT INTO louie_messages(queue, id, priority, state, eta, deliveries, body)"
            + " SELECT queue, id, ?, 0, ?, 0, body FROM louie_dead_letters WHERE seq = ?";
    static final String DELETE_DEAD = "DELETE FROM louie_dead_letters WHERE seq = ?";
    static final String PURGE_DEAD = "DELETE FROM louie_dead_letters WHERE queue = ?";
    static final String PUT_HEARTBEAT = "INSERT INTO louie_consumers(id, record, expires) VALUES (?, ?, ?)"
            + " ON CONFLICT(id) DO UPDATE SET record = excluded.record, expires = excluded.expires";
    static final String PURGE_HEARTBEATS = "DELETE FROM louie_consumers WHERE expires <= ?";
    static final String HEARTBEATS = "SELECT id, record FROM louie_consumers WHERE expires > ?";
    static final String REMOVE_HEARTBEAT = "DELETE FROM louie_consumers WHERE id = ? AND expires > ?";

    private final Database db;
    private final Clock clock;

    SqliteInspection(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    private long nowMicros() {
        return micros(clock.instant());
    }

    private static void checkPage(int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must be 0 or more, not " + offset + " and " + limit);
        }
    }

    Set<String> queues() {
        return db.read(c -> {
            Set<String> names = new TreeSet<>();
            try (ResultSet rs = c.ps(QUEUES).executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        });
    }

    List<StoredMessage> list(String sql, StoredMessage.State state, String queue, int offset, int limit) {
        checkPage(offset, limit);
        if (limit == 0) {
            return List.of();
        }
        return db.read(c -> {
            PreparedStatement ps = c.ps(sql);
            ps.setString(1, queue);
            ps.setInt(2, limit);
            ps.setInt(3, offset);
            List<StoredMessage> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(message(queue, rs, state));
                }
            }
            return out;
        });
    }

    private static StoredMessage message(String queue, ResultSet rs, StoredMessage.State state) throws SQLException {
        long eta = rs.getLong(3);
        boolean noEta = rs.wasNull();
        long deadline = rs.getLong(5);
        boolean noDeadline = rs.wasNull();
        return new StoredMessage(queue, rs.getString(1), state, rs.getInt(2),
                state == StoredMessage.State.SCHEDULED && !noEta ? instant(eta) : null, rs.getInt(4),
                state == StoredMessage.State.LEASED && !noDeadline ? instant(deadline) : null, rs.getBytes(6));
    }

    Optional<StoredMessage> message(String queue, String id) {
        return db.read(c -> {
            PreparedStatement ps = c.ps(MESSAGE);
            ps.setString(1, queue);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<StoredMessage>empty();
                }
                StoredMessage.State state = switch (rs.getInt(7)) {
                    case Schema.SCHEDULED -> StoredMessage.State.SCHEDULED;
                    case Schema.LEASED -> StoredMessage.State.LEASED;
                    default -> StoredMessage.State.PENDING;
                };
                return Optional.of(message(queue, rs, state));
            }
        });
    }

    boolean deleteMessage(String queue, String id) {
        return db.writeOne(c -> {
            PreparedStatement ps = c.ps(DELETE_MESSAGE);
            ps.setString(1, queue);
            ps.setString(2, id);
            return ps.executeUpdate() > 0;
        });
    }

    List<DeadLetter> deadLetters(String queue, int offset, int limit) {
        checkPage(offset, limit);
        if (limit == 0) {
            return List.of();
        }
        return db.read(c -> {
            PreparedStatement ps = c.ps(DEAD_PAGE);
            ps.setString(1, queue);
            ps.setInt(2, limit);
            ps.setInt(3, offset);
            List<DeadLetter> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(deadLetter(queue, rs));
                }
            }
            return out;
        });
    }

    private static DeadLetter deadLetter(String queue, ResultSet rs) throws SQLException {
        return new DeadLetter(queue, rs.getString(2), rs.getBytes(3), rs.getString(4), rs.getInt(5), instant(rs.getLong(6)));
    }

    Optional<DeadLetter> deadLetter(String queue, String id) {
        return db.read(c -> {
            PreparedStatement ps = c.ps(DEAD_ONE);
            ps.setString(1, queue);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(deadLetter(queue, rs)) : Optional.<DeadLetter>empty();
            }
        });
    }

    /** The seq of the oldest dead letter {@code id} of {@code queue}, or -1. */
    private static long deadSeq(Database.Conn c, String queue, String id) throws SQLException {
        PreparedStatement ps = c.ps(DEAD_ONE);
        ps.setString(1, queue);
        ps.setString(2, id);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    /** One transaction: the message row is inserted and the dead letter deleted, or neither. */
    boolean requeueDeadLetter(String queue, String id, int priority) {
        boolean moved = db.write(c -> {
            long seq = deadSeq(c, queue, id);
            if (seq < 0) {
                return false;
            }
            PreparedStatement live = c.ps(IN_QUEUE);
            live.setString(1, queue);
            live.setString(2, id);
            try (ResultSet rs = live.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
            PreparedStatement insert = c.ps(REQUEUE);
            insert.setInt(1, priority);
            insert.setLong(2, micros(clock.instant()));
            insert.setLong(3, seq);
            insert.executeUpdate();
            PreparedStatement delete = c.ps(DELETE_DEAD);
            delete.setLong(1, seq);
            delete.executeUpdate();
            return true;
        });
        if (moved) {
            db.shared.messages.signal();
        }
        return moved;
    }

    boolean deleteDeadLetter(String queue, String id) {
        return db.write(c -> {
            long seq = deadSeq(c, queue, id);
            if (seq < 0) {
                return false;
            }
            PreparedStatement delete = c.ps(DELETE_DEAD);
            delete.setLong(1, seq);
            return delete.executeUpdate() == 1;
        });
    }

    long purgeDeadLetters(String queue) {
        return db.writeOne(c -> {
            PreparedStatement ps = c.ps(PURGE_DEAD);
            ps.setString(1, queue);
            return (long) ps.executeUpdate();
        });
    }

    /** Stores the record and, in the same transaction, deletes heartbeats that expired. */
    void putHeartbeat(String consumer, byte[] record, Duration ttl) {
        long now = nowMicros();
        db.write(c -> {
            PreparedStatement ps = c.ps(PUT_HEARTBEAT);
            ps.setString(1, consumer);
            ps.setBytes(2, record);
            ps.setLong(3, Math.addExact(now, Math.multiplyExact(ttl.toMillis(), 1000L)));
            ps.executeUpdate();
            PreparedStatement purge = c.ps(PURGE_HEARTBEATS);
            purge.setLong(1, now);
            purge.executeUpdate();
            return null;
        });
    }

    Map<String, byte[]> heartbeats() {
        long now = nowMicros();
        return db.read(c -> {
            PreparedStatement ps = c.ps(HEARTBEATS);
            ps.setLong(1, now);
            Map<String, byte[]> out = new TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getBytes(2));
                }
            }
            return out;
        });
    }

    boolean removeHeartbeat(String consumer) {
        long now = nowMicros();
        return db.writeOne(c -> {
            PreparedStatement ps = c.ps(REMOVE_HEARTBEAT);
            ps.setString(1, consumer);
            ps.setLong(2, now);
            return ps.executeUpdate() == 1;
        });
    }
}
