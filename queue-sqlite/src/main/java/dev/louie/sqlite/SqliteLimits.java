package dev.louie.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;

/**
 * The global limits of a {@link SqliteStorage} ({@code LimitStorage}): table
 * {@code louie_rate_limits(name, tat)} holds each rate limit's GCRA theoretical arrival time and
 * {@code louie_limit_slots(name, holder, expires)} the holders of each limit's slots, times in epoch
 * microseconds. Each operation is one write transaction that reads the storage's clock inside it,
 * so processes sharing the file see one order of events.
 */
final class SqliteLimits {
    private static final String TAT = "SELECT tat FROM louie_rate_limits WHERE name = ?";
    private static final String SET_TAT = "INSERT INTO louie_rate_limits(name, tat) VALUES (?, ?)"
            + " ON CONFLICT(name) DO UPDATE SET tat = excluded.tat";
    /** Rate states that no longer hold anything back (their tat is past), a few at a time. */
    private static final String PURGE_TATS = "DELETE FROM louie_rate_limits WHERE rowid IN"
            + " (SELECT rowid FROM louie_rate_limits WHERE tat <= ? LIMIT 100)";
    private static final String DROP_EXPIRED = "DELETE FROM louie_limit_slots WHERE name = ? AND expires <= ?";
    private static final String HOLDS = "SELECT EXISTS (SELECT 1 FROM louie_limit_slots WHERE name = ? AND holder = ?)";
    private static final String HELD = "SELECT COUNT(*) FROM louie_limit_slots WHERE name = ?";
    private static final String HOLD = "INSERT INTO louie_limit_slots(name, holder, expires) VALUES (?, ?, ?)"
            + " ON CONFLICT(name, holder) DO UPDATE SET expires = excluded.expires";
    private static final String EXTEND = "UPDATE louie_limit_slots SET expires = ? WHERE name = ? AND holder = ? AND expires > ?";
    private static final String RELEASE = "DELETE FROM louie_limit_slots WHERE name = ? AND holder = ? AND expires > ?";
    static final String[] FLUSH = {"DELETE FROM louie_rate_limits", "DELETE FROM louie_limit_slots"};

    private final Database db;
    private final Clock clock;

    SqliteLimits(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    long admitRate(String limit, Duration period, int permits) {
        long periodMicros = period.toNanos() / 1_000;
        long interval = Math.round((double) periodMicros / permits);
        return db.write(c -> {
            long now = SqliteStorage.micros(clock.instant());
            PreparedStatement read = c.ps(TAT);
            read.setString(1, limit);
            long tat = now;
            try (ResultSet rs = read.executeQuery()) {
                if (rs.next()) {
                    tat = Math.max(tat, rs.getLong(1));
                }
            }
            long next = tat + interval;
            long allowAt = next - periodMicros;
            if (allowAt > now) {
                return Math.max(1, (allowAt - now + 999) / 1_000);
            }
            PreparedStatement purge = c.ps(PURGE_TATS);
            purge.setLong(1, now);
            purge.executeUpdate();
            PreparedStatement write = c.ps(SET_TAT);
            write.setString(1, limit);
            write.setLong(2, next);
            write.executeUpdate();
            return 0L;
        });
    }

    boolean acquireSlot(String limit, int slots, String holder, Duration lease) {
        return db.write(c -> {
            long now = SqliteStorage.micros(clock.instant());
            dropExpired(c, limit, now);
            boolean holds;
            PreparedStatement h = c.ps(HOLDS);
            h.setString(1, limit);
            h.setString(2, holder);
            try (ResultSet rs = h.executeQuery()) {
                holds = rs.next() && rs.getInt(1) == 1;
            }
            if (!holds) {
                PreparedStatement count = c.ps(HELD);
                count.setString(1, limit);
                try (ResultSet rs = count.executeQuery()) {
                    if (rs.next() && rs.getInt(1) >= slots) {
                        return false;
                    }
                }
            }
            PreparedStatement hold = c.ps(HOLD);
            hold.setString(1, limit);
            hold.setString(2, holder);
            hold.setLong(3, now + lease.toNanos() / 1_000);
            hold.executeUpdate();
            return true;
        });
    }

    boolean extendSlot(String limit, String holder, Duration lease) {
        return db.write(c -> {
            long now = SqliteStorage.micros(clock.instant());
            PreparedStatement ps = c.ps(EXTEND);
            ps.setLong(1, now + lease.toNanos() / 1_000);
            ps.setString(2, limit);
            ps.setString(3, holder);
            ps.setLong(4, now);
            return ps.executeUpdate() == 1;
        });
    }

    boolean releaseSlot(String limit, String holder) {
        return db.write(c -> {
            long now = SqliteStorage.micros(clock.instant());
            PreparedStatement ps = c.ps(RELEASE);
            ps.setString(1, limit);
            ps.setString(2, holder);
            ps.setLong(3, now);
            boolean held = ps.executeUpdate() == 1;
            dropExpired(c, limit, now);
            return held;
        });
    }

    private static void dropExpired(Database.Conn c, String limit, long now) throws java.sql.SQLException {
        PreparedStatement ps = c.ps(DROP_EXPIRED);
        ps.setString(1, limit);
        ps.setLong(2, now);
        ps.executeUpdate();
    }
}
