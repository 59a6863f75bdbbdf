package dev.louie.sqlite;

import dev.louie.core.Binding;
import dev.louie.core.Exchange;
import dev.louie.core.ExchangeType;
import dev.louie.core.storage.RoutingTable;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The exchanges and bindings of a {@link SqliteStorage}: tables {@code louie_exchanges} and
 * {@code louie_bindings}, and the routing table's version in {@code louie_meta} (raised in the
 * transaction of every change; a flush raises it too and never resets it). Each change is one
 * write transaction; the table is read with one statement, so it is one consistent snapshot.
 */
final class SqliteExchanges {
    static final String VERSION_KEY = "routing_version";

    private static final String DECLARE =
            "INSERT INTO louie_exchanges(name, type, alternate_queue) VALUES (?, ?, ?) ON CONFLICT(name) DO NOTHING";
    private static final String EXCHANGE = "SELECT type, alternate_queue FROM louie_exchanges WHERE name = ?";
    private static final String DELETE_BINDINGS = "DELETE FROM louie_bindings WHERE exchange = ?";
    private static final String DELETE_EXCHANGE = "DELETE FROM louie_exchanges WHERE name = ?";
    private static final String BIND = "INSERT INTO louie_bindings(exchange, queue, pattern) SELECT ?1, ?2, ?3"
            + " WHERE EXISTS (SELECT 1 FROM louie_exchanges WHERE name = ?1) ON CONFLICT DO NOTHING";
    private static final String EXISTS = "SELECT EXISTS (SELECT 1 FROM louie_exchanges WHERE name = ?)";
    private static final String UNBIND = "DELETE FROM louie_bindings WHERE exchange = ? AND queue = ? AND pattern = ?";
    private static final String BUMP = "INSERT INTO louie_meta(key, value) VALUES ('" + VERSION_KEY + "', '1')"
            + " ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1";
    private static final String VERSION = "SELECT CAST(value AS INTEGER) FROM louie_meta WHERE key = '" + VERSION_KEY + "'";
    /** The whole table in one statement: kind 0 the version, 1 an exchange, 2 a binding. */
    private static final String TABLE = "SELECT 0, CAST(value AS TEXT), NULL, NULL FROM louie_meta WHERE key = '" + VERSION_KEY + "'"
            + " UNION ALL SELECT 1, name, type, alternate_queue FROM louie_exchanges"
            + " UNION ALL SELECT 2, exchange, queue, pattern FROM louie_bindings";
    static final String[] FLUSH = {"DELETE FROM louie_bindings", "DELETE FROM louie_exchanges", BUMP};

    private final Database db;

    SqliteExchanges(Database db) {
        this.db = db;
    }

    Exchange declare(Exchange exchange) {
        return db.write(c -> {
            PreparedStatement ps = c.ps(DECLARE);
            ps.setString(1, exchange.name());
            ps.setString(2, exchange.type().name());
            ps.setString(3, exchange.alternateQueue());
            if (ps.executeUpdate() == 1) {
                c.ps(BUMP).executeUpdate();
                return exchange;
            }
            PreparedStatement read = c.ps(EXCHANGE);
            read.setString(1, exchange.name());
            try (ResultSet rs = read.executeQuery()) {
                rs.next();
                return new Exchange(exchange.name(), ExchangeType.valueOf(rs.getString(1)), rs.getString(2));
            }
        });
    }

    boolean delete(String name) {
        return db.write(c -> {
            PreparedStatement bindings = c.ps(DELETE_BINDINGS);
            bindings.setString(1, name);
            bindings.executeUpdate();
            PreparedStatement ps = c.ps(DELETE_EXCHANGE);
            ps.setString(1, name);
            if (ps.executeUpdate() == 0) {
                return false;
            }
            c.ps(BUMP).executeUpdate();
            return true;
        });
    }

    boolean bind(Binding binding) {
        return db.write(c -> {
            PreparedStatement ps = c.ps(BIND);
            ps.setString(1, binding.exchange());
            ps.setString(2, binding.queue());
            ps.setString(3, binding.pattern());
            if (ps.executeUpdate() == 1) {
                c.ps(BUMP).executeUpdate();
                return true;
            }
            PreparedStatement exists = c.ps(EXISTS);
            exists.setString(1, binding.exchange());
            try (ResultSet rs = exists.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        });
    }

    boolean unbind(Binding binding) {
        return db.write(c -> {
            PreparedStatement ps = c.ps(UNBIND);
            ps.setString(1, binding.exchange());
            ps.setString(2, binding.queue());
            ps.setString(3, binding.pattern());
            if (ps.executeUpdate() == 0) {
                return false;
            }
            c.ps(BUMP).executeUpdate();
            return true;
        });
    }

    RoutingTable table() {
        return db.read(c -> {
            long version = 0;
            List<Exchange> exchanges = new ArrayList<>();
            List<Binding> bindings = new ArrayList<>();
            try (ResultSet rs = c.ps(TABLE).executeQuery()) {
                while (rs.next()) {
                    switch (rs.getInt(1)) {
                        case 0 -> version = Long.parseLong(rs.getString(2));
                        case 1 -> exchanges.add(new Exchange(rs.getString(2), ExchangeType.valueOf(rs.getString(3)), rs.getString(4)));
                        default -> bindings.add(new Binding(rs.getString(2), rs.getString(3), rs.getString(4)));
                    }
                }
            }
            return new RoutingTable(version, exchanges, bindings);
        });
    }

    long version() {
        return db.read(c -> {
            try (ResultSet rs = c.ps(VERSION).executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** The part of a flush that empties the routing table (and raises its version), in the flush's transaction. */
    static void flush(Database.Conn c) throws SQLException {
        for (String sql : FLUSH) {
            c.ps(sql).executeUpdate();
        }
    }
}
