package dev.louie.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.Lease;
import dev.louie.core.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file written by Louie 0.1 (schema version 1) opens, migrates and keeps its data, including
 * what 0.1 allowed and schema 2 refuses (one id twice in a queue).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteMigrationTest {
    private static final String Q = "default";
    private static final Duration LEASE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    Path file;
    final ManualClock clock = new ManualClock();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Connection jdbc() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    /** Writes the file as Louie 0.1 left it: migration 1 only, with data. */
    @BeforeEach
    void writeVersionOneFile() throws Exception {
        file = dir.resolve("louie-0.1.db");
        try (Connection c = jdbc(); Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL");
            st.execute(Schema.MIGRATION_TABLE);
            for (String ddl : Schema.MIGRATIONS.get(0)) {
                st.execute(ddl);
            }
            st.execute("INSERT INTO louie_schema(version, applied_at) VALUES (1, 0)");
            // 0.1 enqueued an id as often as asked
            st.execute("INSERT INTO louie_messages(queue, id, priority, state, deliveries, body)"
                    + " VALUES ('default', 'twice', 0, 0, 0, X'31'), ('default', 'twice', 0, 0, 0, X'32')");
            st.execute("INSERT INTO louie_dead_letters(queue, id, body, reason, deliveries, at)"
                    + " VALUES ('default', 'dead', X'33', 'bad', 1, 0), ('default', 'dead', X'34', 'bad', 1, 0)");
            st.execute("INSERT INTO louie_counters(name, value) VALUES ('n', 7)");
            st.execute("INSERT INTO louie_revocations(key, until, once) VALUES ('flag', NULL, 0)");
        }
    }

    @Test
    void versionOneFileMigratesAndKeepsEverything() throws Exception {
        try (SqliteStorage storage = SqliteStorage.builder(file).clock(clock).build()) {
            assertThat(versions()).containsExactlyElementsOf(allVersions());
            assertThat(storage.queueSize(Q)).isEqualTo(2);
            assertThat(storage.oldestPending(Q)).as("old ready rows count from the migration").isPresent();
            assertThat(storage.deadLetterCount(Q)).isEqualTo(2);
            assertThat(storage.counter("n")).isEqualTo(7);
            assertThat(storage.revocation("flag")).isPresent();

            // the new rules hold for the old rows
            assertThat(storage.enqueue(Q, Envelope.of("twice", 0, bytes("3")))).isFalse();
            assertThat(storage.enqueue(Q, Envelope.of("dead", 0, bytes("5")))).isFalse();
            assertThat(storage.increment("n", -7)).isZero();
            assertThat(storage.counter("n")).isZero();

            // both old copies are still delivered, and retrying one does not drop it for its twin
            List<Lease> leases = storage.dequeue(Q, 10, LEASE);
            assertThat(leases).extracting(Lease::id).containsExactly("twice", "twice");
            assertThat(storage.retry(leases.get(0), Envelope.of("twice", 0, bytes("1 again")))).isTrue();
            assertThat(storage.queueSize(Q)).isEqualTo(1);
            assertThat(storage.ack(leases.get(1))).isTrue();
            List<String> bodies = new ArrayList<>();
            for (Lease lease : storage.dequeue(Q, 10, LEASE)) {
                bodies.add(new String(lease.body(), StandardCharsets.UTF_8));
            }
            assertThat(bodies).containsExactly("1 again");

            // a 0.1 file has no application name: the first one attached is recorded
            storage.attach("shop");
        }
        try (SqliteStorage reopened = SqliteStorage.builder(file).clock(clock).build()) {
            assertThat(versions()).containsExactlyElementsOf(allVersions());
            reopened.attach("shop");
        }
    }

    /** 1 to the current version: every migration applied once, in order. */
    private static List<Integer> allVersions() {
        return java.util.stream.IntStream.rangeClosed(1, Schema.CURRENT).boxed().toList();
    }

    private List<Integer> versions() throws SQLException {
        try (Connection c = jdbc(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version FROM louie_schema ORDER BY version")) {
            List<Integer> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
            return out;
        }
    }
}
