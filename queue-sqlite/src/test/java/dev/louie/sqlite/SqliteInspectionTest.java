package dev.louie.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.louie.core.storage.DeadLetter;
import dev.louie.core.storage.Envelope;
import dev.louie.core.storage.Lease;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the conformance suite cannot see from outside: the indexes of the inspection statements, and repairs across storages on one file. */
class SqliteInspectionTest {
    @TempDir
    Path dir;

    private static String plan(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            ParameterMetaData meta = ps.getParameterMetaData();
            for (int i = 1; i <= meta.getParameterCount(); i++) {
                ps.setLong(i, 1);
            }
            StringBuilder out = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.append(rs.getString("detail")).append('\n');
                }
            }
            return out.toString();
        }
    }

    @Test
    void everyListingAndRepairUsesAnIndex() throws Exception {
        Path file = dir.resolve("louie.db");
        SqliteStorage.file(file).close();
        Map<String, String> expected = Map.ofEntries(
                Map.entry(SqliteInspection.PENDING, "louie_messages_ready"),
                Map.entry(SqliteInspection.SCHEDULED, "louie_messages_scheduled"),
                Map.entry(SqliteInspection.LEASED, "louie_messages_leased"),
                Map.entry(SqliteInspection.MESSAGE, "louie_messages_id"),
                Map.entry(SqliteInspection.DELETE_MESSAGE, "louie_messages_id"),
                Map.entry(SqliteInspection.IN_QUEUE, "louie_messages_id"),
                Map.entry(SqliteInspection.DEAD_PAGE, "louie_dead_letters_queue"),
                Map.entry(SqliteInspection.DEAD_ONE, "louie_dead_letters_id"),
                Map.entry(SqliteInspection.PURGE_DEAD, "louie_dead_letters_"),
                Map.entry(SqliteInspection.DELETE_DEAD, "INTEGER PRIMARY KEY"),
                Map.entry(SqliteInspection.REMOVE_HEARTBEAT, "PRIMARY KEY"),
                Map.entry(SqliteInspection.QUEUES, "INDEX"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            for (Map.Entry<String, String> e : expected.entrySet()) {
                String plan = plan(c, e.getKey());
                assertThat(plan).as(e.getKey()).contains(e.getValue());
                for (String line : plan.split("\n")) {
                    if (line.startsWith("SCAN louie_") && !line.contains("INDEX")) {
                        throw new AssertionError("full scan in plan of " + e.getKey() + ":\n" + plan);
                    }
                }
            }
        }
    }

    @Test
    void aDeadLetterRequeuedThroughOneStorageIsDeliveredThroughAnother() {
        Path file = dir.resolve("shared.db");
        try (SqliteStorage producer = SqliteStorage.file(file); SqliteStorage operator = SqliteStorage.file(file)) {
            producer.enqueue("q", Envelope.of("m", 0, "body".getBytes(StandardCharsets.UTF_8)));
            Lease lease = producer.dequeue("q", 1, Duration.ofSeconds(30)).get(0);
            producer.deadLetter(lease, "boom");
            DeadLetter dead = operator.deadLetter("q", "m").orElseThrow();
            assertThat(dead.reason()).isEqualTo("boom");
            assertThat(operator.requeueDeadLetter("q", "m", 0)).isTrue();
            assertThat(producer.requeueDeadLetter("q", "m", 0)).as("only one requeue wins").isFalse();
            Lease again = producer.dequeue("q", 1, Duration.ofSeconds(30)).get(0);
            assertThat(again.deliveries()).isEqualTo(1);
            assertThat(new String(again.body(), StandardCharsets.UTF_8)).isEqualTo("body");
        }
    }
}
